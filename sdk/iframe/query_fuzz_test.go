package iframe

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dashembed/dashembed/sdk/options"
)

// FuzzQuery: whatever the id and urlParams, the iframe's src reads back
// (with net/url, as the dashboard's server reads it) as the same id and the
// same parameters: one per key, the last value given, and nothing else.
func FuzzQuery(f *testing.F) {
	for _, seed := range [][3]string{
		{"42", "a", "b"}, {"7c4f3e1a-9b2d", "native_filters", "(NATIVE_FILTER-1:(id:'x'))"}, {"a b/c?d#e", "a&b=c", "+ %"},
		{"Zürich", "uiConfig", "99"}, {"", "", ""}, {"%", "1", "2"}, {"\x00", "show_filters", "\x7f"},
	} {
		f.Add(seed[0], seed[1], seed[2], true, false)
	}
	f.Fuzz(func(t *testing.T, id, key, value string, hideTitle, visible bool) {
		if !utf8.ValidString(id + key + value) {
			return // the edge hands over UTF-8 only (lone surrogates become U+FFFD)
		}
		p := options.Params{ID: id, Domain: "https://bi.example.com", Origin: "https://bi.example.com",
			UIConfig: options.UIConfig{Set: true, HideTitle: hideTitle, FiltersVisible: &visible,
				URLParams: []options.Param{{Key: key, Value: value}}}}
		plan := New(p)
		u, err := url.Parse(plan.Src)
		if err != nil {
			t.Fatalf("src %q does not parse: %v", plan.Src, err)
		}
		if u.Scheme+"://"+u.Host != p.Domain {
			t.Fatalf("src %q: domain %q", plan.Src, u.Scheme+"://"+u.Host)
		}
		gotID, ok := strings.CutPrefix(u.Path, "/embedded/")
		if !ok || gotID != id {
			t.Fatalf("src %q: id %q, want %q", plan.Src, gotID, id)
		}
		if u.Fragment != "" {
			t.Fatalf("src %q has a fragment", plan.Src)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatalf("src %q: query does not parse: %v", plan.Src, err)
		}
		want := url.Values{"uiConfig": {"0"}, "show_filters": {"false"}}
		if hideTitle {
			want["uiConfig"] = []string{"1"}
		}
		if visible {
			want["show_filters"] = []string{"true"}
		}
		want[key] = []string{value}
		if len(q) != len(want) {
			t.Fatalf("src %q: parameters %v, want %v", plan.Src, q, want)
		}
		for k, v := range want {
			if got := q[k]; len(got) != 1 || got[0] != v[0] {
				t.Fatalf("src %q: %q = %q, want %q", plan.Src, k, got, v)
			}
		}
	})
}
