package browser

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestScoreTokens(t *testing.T) {
	// Tokens living 12 s (exp in seconds), the window from 100 s to 130 s.
	tok := func(atS, expS float64) soakToken { return soakToken{At: atS * 1000, Exp: expS} }
	for _, c := range []struct {
		name   string
		tokens []soakToken
		want   SoakResult
	}{
		{"on time", []soakToken{tok(95, 107), tok(102, 114), tok(109, 121), tok(116, 128), tok(123, 135)},
			SoakResult{Tokens: 4, MaxGap: 7000}},
		{"one late, by 3 s", []soakToken{tok(95, 107), tok(110, 122), tok(117, 129), tok(124, 136)},
			SoakResult{Tokens: 3, Late: 1, Unprotected: 3000, MaxGap: 15000}},
		// The official SDK's refresh chain ends at a failed fetch: the
		// token expires at 107 s and no other comes.
		{"none after the warm-up", []soakToken{tok(95, 107)},
			SoakResult{Unprotected: 23000}},
		{"expired before the window", []soakToken{tok(80, 92), tok(105, 117)},
			SoakResult{Tokens: 1, Late: 1, Unprotected: 5000 + 13000, MaxGap: 25000}},
		{"none at all", nil, SoakResult{Unprotected: 30000}},
	} {
		var r SoakResult
		r.scoreTokens(c.tokens, 100_000, 130_000)
		if !reflect.DeepEqual(r, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, r, c.want)
		}
	}
}

// snapshotOf writes a heap snapshot in V8's format with the given nodes,
// each {type, name, edges: [{type, name, to}]}.
type snapNode struct {
	typ, name string
	edges     []snapEdge
}

type snapEdge struct {
	typ  string
	name any // a string for properties, an index for elements
	to   int
}

func snapshotOf(t *testing.T, nodes []snapNode) []byte {
	t.Helper()
	nodeTypes := []string{"hidden", "array", "string", "object", "code", "closure", "native"}
	edgeTypes := []string{"context", "element", "property", "internal", "hidden", "shortcut", "weak"}
	index := func(list []string, s string) int {
		for i, x := range list {
			if x == s {
				return i
			}
		}
		t.Fatalf("unknown type %q", s)
		return 0
	}
	var strs []string
	str := func(s string) int {
		strs = append(strs, s)
		return len(strs) - 1
	}
	var ns, es []int
	for id, n := range nodes {
		ns = append(ns, index(nodeTypes, n.typ), str(n.name), id*2+1, 16, len(n.edges), 0, 0)
		for _, e := range n.edges {
			name := 0
			switch v := e.name.(type) {
			case string:
				name = str(v)
			case int:
				name = v
			}
			es = append(es, index(edgeTypes, e.typ), name, e.to*7)
		}
	}
	snap := map[string]any{
		"snapshot": map[string]any{"meta": map[string]any{
			"node_fields": []string{"type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"},
			"node_types":  []any{nodeTypes, "string", "number", "number", "number", "number", "number"},
			"edge_fields": []string{"type", "name_or_index", "to_node"},
			"edge_types":  []any{edgeTypes, "string_or_number", "node"},
		}},
		"nodes": ns, "edges": es, "strings": strs,
	}
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCountGoValues(t *testing.T) {
	data := snapshotOf(t, []snapNode{
		{"object", "Window", []snapEdge{{"property", "go", 1}}},
		// The Go instance: _values holds null (a released slot, and the
		// null every Go starts with), undefined, a string, an object and
		// true.
		{"object", "Go", []snapEdge{{"property", "_goRefCounts", 3}, {"property", "_values", 2}}},
		{"array", "", []snapEdge{{"element", 0, 4}, {"element", 1, 5}, {"element", 2, 4}, {"element", 3, 6}, {"element", 4, 7}, {"element", 5, 8}, {"hidden", 6, 7}}},
		{"array", "", nil},
		{"hidden", "null", nil},
		{"hidden", "undefined", nil},
		{"string", "eyJhbGciOi", nil},
		{"object", "Object", nil},
		{"hidden", "true", nil},
	})
	n, ok, live, err := countGoValues(data)
	if err != nil || !ok || n != 3 {
		t.Errorf("countGoValues = %d, %v, %v; want 3 (a string, an object, true), true", n, ok, err)
	}
	if live != 9*16 {
		t.Errorf("live = %v, want the 9 nodes' 16 bytes each", live)
	}

	n, ok, live, err = countGoValues(snapshotOf(t, []snapNode{{"object", "Window", nil}, {"object", "Object", []snapEdge{{"property", "_values", 0}}},
		{"native", "system / JSArrayBufferData", nil}}))
	if err != nil || ok || n != 0 || live != 2*16 {
		t.Errorf("a page without Go: %d, %v, %v, %v; want 0, false, 32 (the array buffer's contents not counted), nil", n, ok, live, err)
	}
	if _, _, _, err := countGoValues([]byte(`{"snapshot":{"meta":{}}}`)); err == nil {
		t.Error("a snapshot without meta: no error")
	}
	if _, _, _, err := countGoValues([]byte(`{"snapshot":{"meta":{"node_fields":["type","name","edge_count"],"node_types":[["hidden"]],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["property"]]}},"nodes":[0,0,5],"edges":[],"strings":["x"]}`)); err == nil {
		t.Error("a node with edges the snapshot lacks: no error")
	}
}
