package spec

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/sdk/contract"
)

// The package's hand-written types (dist/index.d.ts) must list what Go
// lists: the error codes, the events and the dashboard's methods.

const typesFile = "../../dist/index.d.ts"

var (
	quoted     = regexp.MustCompile(`'([^']*)'`)
	memberName = regexp.MustCompile(`^([A-Za-z_$][\w$]*)\??\s*:`)
)

func TestTypesMatchContract(t *testing.T) {
	src, err := os.ReadFile(typesFile)
	if err != nil {
		t.Fatal(err)
	}
	types := stripComments(string(src))

	codes := quoted.FindAllStringSubmatch(declaration(t, types, "type ErrorCode =", ";"), -1)
	var gotCodes []string
	for _, m := range codes {
		gotCodes = append(gotCodes, m[1])
	}
	sameSet(t, "ErrorCode", gotCodes, contract.Codes)

	sameSet(t, "DashboardEvents' keys", members(t, types, "DashboardEvents"), contract.Events)

	var reasons []string
	for _, m := range quoted.FindAllStringSubmatch(declaration(t, types, "type WasmLoadReason =", ";"), -1) {
		reasons = append(reasons, m[1])
	}
	sameSet(t, "WasmLoadReason", reasons, LoadReasons)

	var methods []string
	for _, m := range contract.Methods {
		if m.Kind != contract.KindInternal {
			methods = append(methods, m.Name)
		}
	}
	sameSet(t, "EmbeddedDashboard's members", members(t, types, "EmbeddedDashboard"), methods)
}

// declaration returns the text from after start up to end, which must
// follow.
func declaration(t *testing.T, types, start, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(types, start)
	body, _, closed := strings.Cut(rest, end)
	if !ok || !closed {
		t.Fatalf("%s: no %q … %q", typesFile, start, end)
	}
	return body
}

// members lists the names of the members of `type name = { … }`: the
// members at the top level of the braces, each ended by ";".
func members(t *testing.T, types, name string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(types, "type "+name+" = {")
	if !ok {
		t.Fatalf("%s: no type %s = {", typesFile, name)
	}
	var names []string
	depth, start := 0, 0
	for i, c := range rest {
		switch c {
		case '{', '(', '[':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				return names
			}
			depth--
		case ';':
			if depth == 0 {
				member := strings.TrimSpace(rest[start:i])
				if n := memberName.FindStringSubmatch(member); n != nil {
					names = append(names, n[1])
				} else {
					t.Errorf("%s: cannot read member %q of %s", typesFile, member, name)
				}
				start = i + 1
			}
		}
	}
	t.Fatalf("%s: type %s is not closed", typesFile, name)
	return nil
}

// stripComments removes /* … */ and // … comments; the file has neither
// inside a string.
func stripComments(s string) string {
	s = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(s, "")
	return regexp.MustCompile(`//[^\n]*`).ReplaceAllString(s, "")
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	a, b := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(a, b) {
		t.Errorf("%s in %s are %q; Go (sdk/contract) lists %q", what, typesFile, got, want)
	}
}
