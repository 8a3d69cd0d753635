package spec

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/wasm/loader"
)

// TestJSONIsTheSpec checks that JSON() carries New() whole, under the keys
// the loader imports.
func TestJSONIsTheSpec(t *testing.T) {
	data, err := JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got Spec
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	// Compare as JSON: a list may be nil on one side and empty on the other.
	if a, b := mustJSON(t, got), mustJSON(t, New()); a != b {
		t.Errorf("JSON() reads back as\n%s\nwant\n%s", a, b)
	}
	var top map[string]json.RawMessage
	_ = json.Unmarshal(data, &top)
	for k, v := range top {
		if string(v) == `""` || string(v) == "null" || string(v) == "[]" {
			t.Errorf("spec key %q is empty: %s", k, v)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShellCanReadIt checks what the shell takes for granted: sdk.js builds
// the dashboard object from the kinds below (a kind added in Go must be
// taught to it), the unsubscribe method is an internal one, and plan.js
// finds each uiConfig flag among the uiConfig keys.
func TestShellCanReadIt(t *testing.T) {
	s := New()
	known := []string{string(contract.KindPromise), string(contract.KindVoid), string(contract.KindSubscribe), string(contract.KindInternal)}
	for _, m := range s.Methods {
		if !slices.Contains(known, m.Kind) {
			t.Errorf("method %s has kind %q, which wasm/loader/sdk.js does not handle", m.Name, m.Kind)
		}
	}
	if !slices.Contains(s.Methods, Method{Name: s.UnsubscribeMethod, Kind: string(contract.KindInternal)}) {
		t.Errorf("the unsubscribe method %q is not an internal method", s.UnsubscribeMethod)
	}
	for _, f := range s.UIFlags {
		if !slices.Contains(s.UIConfigKeys, f.Option) {
			t.Errorf("uiConfig flag %s is not among the uiConfig keys %q", f.Option, s.UIConfigKeys)
		}
	}
}

// jsString matches a quoted JavaScript string literal.
var jsString = regexp.MustCompile(`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`)

// TestLoaderHasNoCopies keeps the shell from writing again, by hand, a
// value the spec gives it. Left out are values that are also common words
// of the platform (events such as "error", referrer policies such as
// "same-origin"), and the switchboard actions: glue.js is evaluated on its
// own by the edge's tests, so it cannot import the spec.
func TestLoaderHasNoCopies(t *testing.T) {
	s := New()
	values := slices.Concat(s.Globals, s.Codes, s.Sandbox, s.Allow, s.DomainOptions, []string{
		s.WasmFile, s.ErrorName, s.PortClosedErrorName, s.CommsType, s.Handshake, s.DefaultTitle, s.UnsubscribeMethod,
	})
	for _, m := range s.Methods {
		values = append(values, m.Name)
	}
	for _, f := range s.UIFlags {
		values = append(values, f.Option)
	}
	files, _ := fs.Glob(loader.Files, "*.js")
	for _, name := range files {
		src, _ := fs.ReadFile(loader.Files, name)
		for _, lit := range jsString.FindAllString(string(src), -1) {
			v, err := strconv.Unquote(`"` + strings.ReplaceAll(lit[1:len(lit)-1], `"`, `\"`) + `"`)
			if err == nil && slices.Contains(values, v) {
				t.Errorf("%s writes %s, which it should read from 'dashembed:spec'", name, lit)
			}
		}
	}
}

// TestESMEntryNamesTheWasm: bundlers find the wasm only through the literal
// new URL('./<file>', import.meta.url), so entry-esm.js must spell it.
func TestESMEntryNamesTheWasm(t *testing.T) {
	src, err := fs.ReadFile(loader.Files, "entry-esm.js")
	if err != nil {
		t.Fatal(err)
	}
	if want := "new URL('./" + WasmFile + "', import.meta.url)"; !strings.Contains(string(src), want) {
		t.Errorf("entry-esm.js does not contain %s", want)
	}
}
