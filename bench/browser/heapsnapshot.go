package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/chromedp"
)

// goValues counts the JavaScript values a Go wasm program holds in one
// page, read from a V8 heap snapshot: Go's wasm_exec.js keeps every value
// Go has a js.Value of in the array _values of its Go instance (the object
// that also has _goRefCounts), until a finalizer after a Go GC releases it.
// A steady count is the proof that a long session pins nothing: the JS
// heap's own size moves with the browser's internals (both SDKs' do).
// ok is false when the page has no Go instance.
func (t *tab) goValues() (n int, ok bool, err error) {
	snap, err := t.heapSnapshot()
	if err != nil {
		return 0, false, err
	}
	return countGoValues(snap)
}

// heapSnapshot takes a heap snapshot of the tab's page (HeapProfiler is
// enabled by openTab) and returns its JSON.
func (t *tab) heapSnapshot() ([]byte, error) {
	var mu sync.Mutex
	var buf strings.Builder
	ctx, stop := context.WithCancel(t.ctx)
	defer stop()
	if err := chromedp.Listen(ctx, func(ev any) {
		if c, ok := ev.(*heapprofiler.EventAddHeapSnapshotChunk); ok {
			mu.Lock()
			buf.WriteString(c.Chunk)
			mu.Unlock()
		}
	}); err != nil {
		return nil, err
	}
	// The command returns once every chunk has been sent, and events are
	// handed to listeners in order, before the command's answer.
	err := chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, heapprofiler.TakeHeapSnapshot, heapprofiler.TakeHeapSnapshotParams{})
		return err
	}))
	mu.Lock()
	defer mu.Unlock()
	return []byte(buf.String()), err
}

// heapSnapshotJSON is the part of V8's heap snapshot format that
// countGoValues reads: nodes and edges are flat arrays of integers, each
// node node_fields long (its edges follow in edges, edge_count of them),
// each edge edge_fields long; types index the meta's type lists, names
// the strings.
type heapSnapshotJSON struct {
	Snapshot struct {
		Meta struct {
			NodeFields []string          `json:"node_fields"`
			NodeTypes  []json.RawMessage `json:"node_types"`
			EdgeFields []string          `json:"edge_fields"`
			EdgeTypes  []json.RawMessage `json:"edge_types"`
		} `json:"meta"`
	} `json:"snapshot"`
	Nodes   []int    `json:"nodes"`
	Edges   []int    `json:"edges"`
	Strings []string `json:"strings"`
}

// countGoValues finds the Go instance in a heap snapshot and counts the
// values in its _values that are neither undefined nor null (the slots of
// released values).
func countGoValues(data []byte) (n int, ok bool, err error) {
	var s heapSnapshotJSON
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, false, fmt.Errorf("heap snapshot: %w", err)
	}
	meta := s.Snapshot.Meta
	var nodeTypes, edgeTypes []string
	if len(meta.NodeTypes) == 0 || len(meta.EdgeTypes) == 0 ||
		json.Unmarshal(meta.NodeTypes[0], &nodeTypes) != nil || json.Unmarshal(meta.EdgeTypes[0], &edgeTypes) != nil {
		return 0, false, errors.New("heap snapshot: no node or edge types")
	}
	field := func(fields []string, name string) int {
		for i, f := range fields {
			if f == name {
				return i
			}
		}
		return -1
	}
	nf, ef := len(meta.NodeFields), len(meta.EdgeFields)
	nType, nName, nEdges := field(meta.NodeFields, "type"), field(meta.NodeFields, "name"), field(meta.NodeFields, "edge_count")
	eType, eName, eTo := field(meta.EdgeFields, "type"), field(meta.EdgeFields, "name_or_index"), field(meta.EdgeFields, "to_node")
	if min(nType, nName, nEdges, eType, eName, eTo) < 0 || nf == 0 || ef == 0 {
		return 0, false, errors.New("heap snapshot: missing node or edge fields")
	}
	count := len(s.Nodes) / nf
	// first[i] is where node i's edges start in s.Edges.
	first := make([]int, count+1)
	for i := range count {
		first[i+1] = first[i] + s.Nodes[i*nf+nEdges]*ef
	}
	if first[count] > len(s.Edges) {
		return 0, false, errors.New("heap snapshot: edges shorter than the nodes say")
	}
	str := func(i int) string {
		if i < 0 || i >= len(s.Strings) {
			return ""
		}
		return s.Strings[i]
	}
	kind := func(types []string, i int) string {
		if i < 0 || i >= len(types) {
			return ""
		}
		return types[i]
	}
	// property returns the node a named property edge of node i points to.
	property := func(i int, name string) (int, bool) {
		for e := first[i]; e < first[i+1]; e += ef {
			if kind(edgeTypes, s.Edges[e+eType]) == "property" && str(s.Edges[e+eName]) == name {
				return s.Edges[e+eTo] / nf, true
			}
		}
		return 0, false
	}
	for i := range count {
		if _, isGo := property(i, "_goRefCounts"); !isGo {
			continue
		}
		values, has := property(i, "_values")
		if !has || values >= count {
			continue
		}
		for e := first[values]; e < first[values+1]; e += ef {
			if kind(edgeTypes, s.Edges[e+eType]) != "element" {
				continue
			}
			to := s.Edges[e+eTo] / nf
			if to >= count {
				continue
			}
			if kind(nodeTypes, s.Nodes[to*nf+nType]) == "hidden" {
				if name := str(s.Nodes[to*nf+nName]); name == "undefined" || name == "null" {
					continue
				}
			}
			n++
		}
		return n, true, nil
	}
	return 0, false, nil
}
