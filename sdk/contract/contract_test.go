package contract

import "testing"

// The lists are what the JavaScript shell and the types are generated from
// or checked against: a repeated entry would be a second source of truth.
func TestListsHaveNoRepeats(t *testing.T) {
	lists := map[string][]string{"Events": Events, "Codes": Codes, "Globals": Globals}
	for _, m := range Methods {
		lists["Methods"] = append(lists["Methods"], m.Name)
	}
	for name, list := range lists {
		seen := map[string]bool{}
		for _, s := range list {
			if s == "" || seen[s] {
				t.Errorf("%s: %q is empty or repeated", name, s)
			}
			seen[s] = true
		}
	}
}

func TestKnownEvent(t *testing.T) {
	for _, e := range Events {
		if !KnownEvent(e) {
			t.Errorf("KnownEvent(%q) = false", e)
		}
	}
	for _, e := range []string{"", "Ready", "load", "message"} {
		if KnownEvent(e) {
			t.Errorf("KnownEvent(%q) = true", e)
		}
	}
}

func TestMethodKinds(t *testing.T) {
	kinds := map[Kind]bool{KindPromise: true, KindVoid: true, KindSubscribe: true, KindInternal: true}
	for _, m := range Methods {
		if !kinds[m.Kind] {
			t.Errorf("method %s has kind %q", m.Name, m.Kind)
		}
	}
}
