package bundle

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// The option cases of the SDK's own tests (sdk/options, sdk/iframe) join
// the differential test. They are read from the test sources, so that the
// tables have one copy: every map[string]any literal (a test's `over`)
// applied to the base params, ui(...) wrapping one in dashboardUiConfig;
// every []string literal as both extras lists; every string literal of a
// domain test as supersetDomain. Literals this cannot evaluate are skipped.

// sdkTestSources are the globs of the test files read.
var sdkTestSources = []string{"../../sdk/options/*_test.go", "../../sdk/iframe/*_test.go"}

// minSDKCases guards against the tables moving out of reach unnoticed.
const minSDKCases = 80

// dropKey stands for sdktest.Drop{}: delete the key from the base params.
type dropKey struct{}

func sdkTestCases(t *testing.T) []*jsv {
	t.Helper()
	var cases []*jsv
	fset := token.NewFileSet()
	for _, glob := range sdkTestSources {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatalf("reading the SDK's test cases: %v", err)
			}
			cases = append(cases, casesInFile(f, strings.Contains(filepath.Base(name), "domain"))...)
		}
	}
	if len(cases) < minSDKCases {
		t.Fatalf("found %d option cases in %v, want at least %d: did the tables move?", len(cases), sdkTestSources, minSDKCases)
	}
	return cases
}

func casesInFile(f *ast.File, domainTest bool) []*jsv {
	var cases []*jsv
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			switch typeName(n.Type) {
			case "map[string]any":
				if v, err := evalExpr(n); err == nil {
					cases = append(cases, withOptions(v.(map[string]any)))
				}
				return false // the maps inside are part of this case
			case "[]string":
				if v, err := evalList(n.Elts); err == nil {
					cases = append(cases,
						withOptions(map[string]any{"iframeSandboxExtras": v}),
						withOptions(map[string]any{"iframeAllowExtras": v}))
				}
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "ui" && len(n.Args) == 1 {
				if v, err := evalExpr(n.Args[0]); err == nil {
					cases = append(cases, withOptions(map[string]any{"dashboardUiConfig": v}))
				}
				return false
			}
		case *ast.BasicLit:
			if domainTest && n.Kind == token.STRING {
				s, _ := strconv.Unquote(n.Value)
				cases = append(cases, withOptions(map[string]any{"supersetDomain": s}))
			}
		}
		return true
	})
	return cases
}

// withOptions is the base params with over applied, as sdktest.Options.
func withOptions(over map[string]any) *jsv {
	p := baseParams()
	for _, k := range sortedKeys(over) {
		if _, ok := over[k].(dropKey); ok {
			p.del(k)
		} else {
			p.set(str(k).S, fromGo(over[k]))
		}
	}
	return p
}

// fromGo is a jsvalue tree as the JavaScript value it was copied from;
// an object's keys go in sorted order.
func fromGo(v any) *jsv {
	switch v := v.(type) {
	case jsvalue.Null:
		return null()
	case bool:
		return boolean(v)
	case float64:
		return num(v)
	case string:
		return str(v)
	case []any:
		a := arr()
		for _, item := range v {
			a.A = append(a.A, fromGo(item))
		}
		return a
	case map[string]any:
		o := obj()
		for _, k := range sortedKeys(v) {
			o.set(str(k).S, fromGo(v[k]))
		}
		return o
	case jsvalue.Thrown:
		return throws(v.Message)
	case jsvalue.Handle:
		switch v.Kind {
		case jsvalue.KindFunction:
			return fn()
		case jsvalue.KindElement:
			return element(v.Connected)
		}
		return instance(cmpOr(v.Name, "Object"))
	}
	return undef()
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

var errUnknown = errors.New("not a plain-data literal")

// typeName is a type expression's source, without its package: "Null",
// "map[string]any".
func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.MapType:
		return "map[" + typeName(e.Key) + "]" + typeName(e.Value)
	case *ast.ArrayType:
		return "[]" + typeName(e.Elt)
	case *ast.InterfaceType:
		return "any"
	}
	return ""
}

// evalExpr evaluates the plain-data expressions the SDK's test tables
// write their options with.
func evalExpr(e ast.Expr) (any, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING:
			return strconv.Unquote(e.Value)
		case token.INT, token.FLOAT:
			return strconv.ParseFloat(strings.ReplaceAll(e.Value, "_", ""), 64)
		}
	case *ast.UnaryExpr:
		if x, err := evalExpr(e.X); err == nil && e.Op == token.SUB {
			if f, ok := x.(float64); ok {
				return -f, nil
			}
		}
	case *ast.ParenExpr:
		return evalExpr(e.X)
	case *ast.Ident, *ast.SelectorExpr:
		return evalName(typeName(e))
	case *ast.CallExpr:
		switch typeName(e.Fun) {
		case "nan", "NaN":
			return math.NaN(), nil
		case "inf", "Inf":
			return math.Inf(1), nil
		}
	case *ast.CompositeLit:
		return evalComposite(e)
	}
	return nil, errUnknown
}

// evalName reads the fixtures and constants the tables use by name.
func evalName(name string) (any, error) {
	switch {
	case name == "true" || name == "false":
		return name == "true", nil
	case name == "nil":
		return nil, nil
	case strings.HasSuffix(name, "Element"):
		return jsvalue.Handle{Kind: jsvalue.KindElement, Connected: true}, nil
	case strings.HasSuffix(name, "Function") || strings.HasSuffix(name, "Resolve"):
		return jsvalue.Handle{Kind: jsvalue.KindFunction}, nil
	}
	return nil, errUnknown
}

func evalComposite(e *ast.CompositeLit) (any, error) {
	fields := map[string]ast.Expr{}
	for i, elt := range e.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			fields[typeName(kv.Key)] = kv.Value
		} else {
			fields[strconv.Itoa(i)] = elt
		}
	}
	switch name := typeName(e.Type); name {
	case "map[string]any":
		m := map[string]any{}
		for _, elt := range e.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return nil, errUnknown
			}
			k, err := evalExpr(kv.Key)
			v, err2 := evalExpr(kv.Value)
			ks, isString := k.(string)
			if err != nil || err2 != nil || !isString {
				return nil, errUnknown
			}
			m[ks] = v
		}
		return m, nil
	case "[]any":
		return evalList(e.Elts)
	case "Null":
		return jsvalue.Null{}, nil
	case "Drop", "drop":
		return dropKey{}, nil
	case "Thrown":
		msg, err := evalExpr(cmpField(fields, "Message", "0"))
		if s, ok := msg.(string); ok && err == nil {
			return jsvalue.Thrown{Message: s}, nil
		}
	case "Handle":
		h := jsvalue.Handle{Kind: jsvalue.KindObject}
		switch typeName(fields["Kind"]) {
		case "KindElement":
			h.Kind = jsvalue.KindElement
		case "KindFunction":
			h.Kind = jsvalue.KindFunction
		}
		if c, err := evalExpr(cmpField(fields, "Connected", "")); err == nil {
			h.Connected, _ = c.(bool)
		}
		if n, err := evalExpr(cmpField(fields, "Name", "")); err == nil {
			h.Name, _ = n.(string)
		}
		return h, nil
	}
	return nil, errUnknown
}

// cmpField is the field named name, or else the one at position pos.
func cmpField(fields map[string]ast.Expr, name, pos string) ast.Expr {
	if e, ok := fields[name]; ok {
		return e
	}
	return fields[pos]
}

// evalList evaluates the items of a slice literal, as []any.
func evalList(elts []ast.Expr) (any, error) {
	out := []any{}
	for _, elt := range elts {
		v, err := evalExpr(elt)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
