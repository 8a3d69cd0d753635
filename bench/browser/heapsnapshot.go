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

// heapFigures counts the JavaScript values a Go wasm program holds in one
// page, read from a V8 heap snapshot: Go's wasm_exec.js keeps every value
// Go has a js.Value of in the array _values of its Go instance (the object
// that also has _goRefCounts), until a finalizer after a Go GC releases it.
// A steady count is the proof that a long session pins nothing through
// Go. hasGo is false when the page has no Go instance.
//
// It also returns the self size of every object in the snapshot but array
// buffers' backing stores (the wasm memory is read on its own): what the
// page keeps alive, without the allocator's slack that the JS heap's used
// size moves with.
func (t *tab) heapFigures() (goValues int, hasGo bool, live float64, err error) {
	snap, err := t.heapSnapshot()
	if err != nil {
		return 0, false, 0, err
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
// released values); live is the self size of every node but array buffers'
// backing stores.
func countGoValues(data []byte) (n int, ok bool, live float64, err error) {
	var s heapSnapshotJSON
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, false, 0, fmt.Errorf("heap snapshot: %w", err)
	}
	meta := s.Snapshot.Meta
	var nodeTypes, edgeTypes []string
	if len(meta.NodeTypes) == 0 || len(meta.EdgeTypes) == 0 ||
		json.Unmarshal(meta.NodeTypes[0], &nodeTypes) != nil || json.Unmarshal(meta.EdgeTypes[0], &edgeTypes) != nil {
		return 0, false, 0, errors.New("heap snapshot: no node or edge types")
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
	nType, nName, nEdges, nSize := field(meta.NodeFields, "type"), field(meta.NodeFields, "name"), field(meta.NodeFields, "edge_count"), field(meta.NodeFields, "self_size")
	eType, eName, eTo := field(meta.EdgeFields, "type"), field(meta.EdgeFields, "name_or_index"), field(meta.EdgeFields, "to_node")
	if min(nType, nName, nEdges, nSize, eType, eName, eTo) < 0 || nf == 0 || ef == 0 {
		return 0, false, 0, errors.New("heap snapshot: missing node or edge fields")
	}
	count := len(s.Nodes) / nf
	// first[i] is where node i's edges start in s.Edges.
	first := make([]int, count+1)
	for i := range count {
		first[i+1] = first[i] + s.Nodes[i*nf+nEdges]*ef
	}
	if first[count] > len(s.Edges) {
		return 0, false, 0, errors.New("heap snapshot: edges shorter than the nodes say")
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
	values := -1 // the Go instance's _values
	for i := range count {
		if str(s.Nodes[i*nf+nName]) != "system / JSArrayBufferData" {
			live += float64(s.Nodes[i*nf+nSize])
		}
		if _, isGo := property(i, "_goRefCounts"); isGo && values < 0 {
			if v, has := property(i, "_values"); has && v < count {
				values = v
			}
		}
	}
	if values < 0 {
		return 0, false, live, nil
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
	return n, true, live, nil
}
