package browser

import (
	"fmt"
	"time"
)

// MemoryResult is what repeated mount/unmount cycles leave behind in one
// tab.
type MemoryResult struct {
	SDK    string `json:"sdk"`
	Cycles int    `json:"cycles"`
	// JS heap (Runtime.getHeapUsage usedSize) and Blink's own heap
	// (embedderHeapUsedSize, where DOM nodes and detached documents live),
	// after garbage collection, before and after the cycles.
	HeapBefore     float64 `json:"heap_before"`
	HeapAfter      float64 `json:"heap_after"`
	EmbedderBefore float64 `json:"embedder_before"`
	EmbedderAfter  float64 `json:"embedder_after"`
	// WasmBefore and WasmAfter are the byte lengths of every wasm memory
	// the page instantiated (zero for a JavaScript-only SDK).
	WasmBefore float64 `json:"wasm_before"`
	WasmAfter  float64 `json:"wasm_after"`
	// HeapHalf and WasmHalf are the JS heap and the wasm memory after half
	// the cycles: growth in the second half tells a leak (which grows in
	// both) from a heap finding its size once (a Go heap grows its wasm
	// memory in 64 KB pages and never gives them back).
	HeapHalf float64 `json:"heap_half"`
	WasmHalf float64 `json:"wasm_half"`
	// Retained counts the unmounted iframes still alive after garbage
	// collection (held through WeakRefs, which do not keep them alive);
	// InDOM counts iframes still in the document.
	Retained int `json:"retained_iframes"`
	InDOM    int `json:"iframes_in_dom"`
}

// HeapGrowth is the JS heap's growth over the cycles, in bytes.
func (m MemoryResult) HeapGrowth() float64 { return m.HeapAfter - m.HeapBefore }

// EmbedderGrowth is Blink's heap growth over the cycles, in bytes.
func (m MemoryResult) EmbedderGrowth() float64 { return m.EmbedderAfter - m.EmbedderBefore }

// WasmGrowth is the wasm memory's growth over the cycles, in bytes.
func (m MemoryResult) WasmGrowth() float64 { return m.WasmAfter - m.WasmBefore }

// HeapGrowthLate and WasmGrowthLate are the growth over the second half of
// the cycles, in bytes.
func (m MemoryResult) HeapGrowthLate() float64 { return m.HeapAfter - m.HeapHalf }

// WasmGrowthLate: see HeapGrowthLate.
func (m MemoryResult) WasmGrowthLate() float64 { return m.WasmAfter - m.WasmHalf }

// warmupCycles run before the baseline, so that one-time allocations
// (compiled code, the SDK's first embed, pools) are not counted as growth.
const warmupCycles = 3

// Memory embeds and unmounts the dashboard cycles times in one tab on
// loopback, each time waiting for the token to reach the embedded page
// before unmounting, and compares memory before and after.
func (b *Browser) Memory(pages Pages, sdk string, cycles int) (MemoryResult, error) {
	res := MemoryResult{SDK: sdk, Cycles: cycles}
	t, err := b.newTab(Loopback, 5*time.Minute)
	if err != nil {
		return res, err
	}
	defer t.cancel()
	if err := t.openHostPage(pages, sdk); err != nil {
		return res, err
	}
	cycle := func(track bool) error {
		weak := ""
		if track {
			weak = `bench.refs.push(new WeakRef(document.querySelector('#mount iframe')));`
		}
		if _, err := eval[bool](t, `bench.embed('mount', {}).then((d) => { bench.md = d; `+weak+` return true; })`); err != nil {
			return err
		}
		if _, err := t.nextToken(embedTimeout); err != nil {
			return err
		}
		_, err := eval[bool](t, `(() => { bench.md.unmount(); bench.md = null; return true; })()`)
		return err
	}
	for range warmupCycles {
		if err := cycle(false); err != nil {
			return res, fmt.Errorf("warm-up cycle: %w", err)
		}
	}
	before, err := t.heap()
	if err != nil {
		return res, err
	}
	if res.WasmBefore, err = eval[float64](t, `bench.wasmBytes()`); err != nil {
		return res, err
	}
	for i := range cycles {
		if err := cycle(true); err != nil {
			return res, fmt.Errorf("cycle %d: %w", i+1, err)
		}
		if i+1 == cycles/2 {
			half, err := t.heap()
			if err != nil {
				return res, err
			}
			res.HeapHalf = half.UsedSize
			if res.WasmHalf, err = eval[float64](t, `bench.wasmBytes()`); err != nil {
				return res, err
			}
		}
	}
	// Let late work (pending replies, timers set at unmount) finish before
	// measuring what stays.
	time.Sleep(time.Second)
	after, err := t.heap()
	if err != nil {
		return res, err
	}
	res.HeapBefore, res.HeapAfter = before.UsedSize, after.UsedSize
	res.EmbedderBefore, res.EmbedderAfter = before.EmbedderHeapUsedSize, after.EmbedderHeapUsedSize
	if res.WasmAfter, err = eval[float64](t, `bench.wasmBytes()`); err != nil {
		return res, err
	}
	if res.Retained, err = eval[int](t, `bench.refs.filter((r) => r.deref() !== undefined).length`); err != nil {
		return res, err
	}
	if res.InDOM, err = eval[int](t, `document.querySelectorAll('iframe').length`); err != nil {
		return res, err
	}
	return res, nil
}

// openHostPage loads the host page of sdk, embedding nothing, and waits for
// the SDK's script to have run.
func (t *tab) openHostPage(pages Pages, sdk string) error {
	if err := t.navigate(pages.PageURL(sdk, false)); err != nil {
		return fmt.Errorf("loading the host page: %w", err)
	}
	_, err := waitFor(t, `typeof supersetEmbeddedSdk === 'object'`, embedTimeout)
	return err
}
