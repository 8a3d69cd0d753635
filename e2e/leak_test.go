package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// leakBudget bounds the time TestLeakMountUnmount spends cycling: it runs
// leakCycles cycles, or as many as fit in the budget on a busy machine
// (about 25 a second on 2 cores), and logs how many it ran.
// DASHEMBED_LEAK_CYCLES overrides the count.
const leakBudget = 50 * time.Second

func leakCycles() int {
	if n, err := strconv.Atoi(os.Getenv("DASHEMBED_LEAK_CYCLES")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// kitHeap is what the tab holds after a full JavaScript GC.
type kitHeap struct {
	Used, Total, Backing float64 // Runtime.getHeapUsage
	PageUsed             float64 // performance.memory.usedJSHeapSize
	Iframes              int     // live HTMLIFrameElement objects, attached or not
	// The Go program's side, read from wasm_exec.js's Go instance (found
	// with queryObjects, since the loader keeps it private): the JavaScript
	// values Go holds references to, and the size of the wasm memory.
	GoRefs    int
	WasmBytes float64
}

// kitQuery runs fn (a function declaration, called with the array of live
// objects whose prototype is the value of proto) and decodes its result.
func kitQuery(ctx context.Context, tg *chromedp.Target, proto, fn string, out any) error {
	p, err := cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: proto, ObjectGroup: "leak"})
	if err != nil {
		return err
	}
	defer func() {
		_, _ = cdp.Call(ctx, tg, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "leak"})
	}()
	if p.ExceptionDetails != nil || p.Result.ObjectID == "" {
		return errors.New("no prototype " + proto)
	}
	objs, err := cdp.Call(ctx, tg, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: p.Result.ObjectID, ObjectGroup: "leak"})
	if err != nil {
		return err
	}
	byValue := true
	r, err := cdp.Call(ctx, tg, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: fn, ObjectID: objs.Objects.ObjectID, ReturnByValue: &byValue,
	})
	if err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return errors.New("exception in " + fn + ": " + r.ExceptionDetails.Text)
	}
	return json.Unmarshal(r.Result.Value, out)
}

// kitMeasure collects garbage and measures the heap.
func kitMeasure(t *testing.T, ctx context.Context) kitHeap {
	t.Helper()
	var h kitHeap
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for i := 0; i < 2; i++ {
			if _, err := cdp.Call(ctx, tg, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
				return err
			}
		}
		usage, err := cdp.Call(ctx, tg, runtime.GetHeapUsage, cdp.Empty{})
		if err != nil {
			return err
		}
		h.Used, h.Total, h.Backing = usage.UsedSize, usage.TotalSize, usage.BackingStorageSize
		if err := kitQuery(ctx, tg, `HTMLIFrameElement.prototype`, `function () { return this.length; }`, &h.Iframes); err != nil {
			return err
		}
		var goSide struct {
			Refs int     `json:"refs"`
			Mem  float64 `json:"mem"`
		}
		// The loader keeps Go's class off the page's globals, so look among
		// every object for the one instance with Go's fields.
		err = kitQuery(ctx, tg, `Object.prototype`, `function () {
			const go = this.find((g) => Array.isArray(g._values) && Array.isArray(g._idPool) && g._inst instanceof WebAssembly.Instance);
			return go ? {refs: go._values.length - go._idPool.length, mem: go._inst.exports.mem.buffer.byteLength} : {refs: -1, mem: -1};
		}`, &goSide)
		h.GoRefs, h.WasmBytes = goSide.Refs, goSide.Mem
		return err
	}))
	if err != nil {
		t.Fatalf("measuring the heap: %v", err)
	}
	eval(t, ctx, `performance.memory ? performance.memory.usedJSHeapSize : 0`, &h.PageUsed)
	return h
}

// guestTokensMinted counts the BI host's guest tokens minted after seq,
// and returns the latest event number.
func guestTokensMinted(after int64) (n int, last int64) {
	last = after
	for _, ev := range biHost.Events() {
		if ev.Seq > last {
			last = ev.Seq
		}
		if ev.Seq > after && ev.Kind == "token_minted" {
			n++
		}
	}
	return n, last
}

// TestLeakMountUnmount mounts and unmounts an embed (autoResize on, tokens
// from the dev server) many times into one mount point, waiting each time
// until it is ready. Afterwards nothing may be left: no iframe in the
// document or alive in the heap, no growth of the JavaScript heap, of the
// JavaScript values the Go program holds or of the wasm memory, and no
// timer of the SDK still running (no debug line, no poll, no token request).
func TestLeakMountUnmount(t *testing.T) {
	// A tab of its own with more time than newTab's.
	tab, closeTab := chromedp.NewContext(browserCtx)
	ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
	t.Cleanup(func() {
		cancel()
		closeTab()
	})
	openKit(t, ctx)
	sid := kitSession(t)
	// The SDK's debug lines are only counted: any line after the last
	// unmount is a timer or listener still alive.
	eval(t, ctx, `kit.lines = 0; kit.lastLine = ""; console.debug = (l) => { kit.lines++; kit.lastLine = String(l); };
		kit.cycle = async (n) => {
			const mountPoint = document.getElementById("mount");
			for (let i = 0; i < n; i++) {
				const d = await dashembed.embedDashboard({
					id: "leak", supersetDomain: "`+kitDomain("grow")+`", mountPoint,
					fetchGuestToken: window.fetchToken, autoResize: true, debug: true,
					dashboardUiConfig: {urlParams: {sid: "`+sid+`"}},
				});
				d.on("ready", () => {});
				d.unmount();
			}
			return true;
		}; true`, nil)

	// Warm up (compile, grow the Go heap to its working size), then let
	// the SDK settle as it would after any unmount.
	eval(t, ctx, `kit.cycle(20)`, nil)
	time.Sleep(2 * time.Second)
	before := kitMeasure(t, ctx)

	want := leakCycles()
	const batch = 50
	cycles := 0
	start := time.Now()
	for cycles < want && time.Since(start) < leakBudget {
		n := min(batch, want-cycles)
		eval(t, ctx, `kit.cycle(`+strconv.Itoa(n)+`)`, nil)
		cycles += n
	}
	elapsed := time.Since(start)
	t.Logf("%d mount/unmount cycles in %v (%.1f ms each, %.0f per second)", cycles, elapsed.Round(time.Millisecond),
		float64(elapsed.Milliseconds())/float64(cycles), float64(cycles)/elapsed.Seconds())
	if cycles < want {
		t.Logf("only %d of %d cycles fit in %v on this machine", cycles, want, leakBudget)
	}

	var lines int
	eval(t, ctx, `kit.lines`, &lines)
	_, seq := guestTokensMinted(0)
	polls := kitPageCalls.get(sid, "getScrollSize")

	// Quiet afterwards: no SDK activity, no polls, no token requests.
	time.Sleep(2 * time.Second)
	var linesLater int
	var lastLine string
	eval(t, ctx, `kit.lines`, &linesLater)
	eval(t, ctx, `kit.lastLine`, &lastLine)
	if linesLater != lines {
		t.Errorf("the SDK logged %d lines in the 2 s after the last unmount(), want none; last: %q", linesLater-lines, lastLine)
	}
	if n := kitPageCalls.get(sid, "getScrollSize") - polls; n != 0 {
		t.Errorf("%d getScrollSize polls reached a page after the last unmount()", n)
	}
	if n, _ := guestTokensMinted(seq); n != 0 {
		t.Errorf("%d guest tokens minted after the last unmount()", n)
	}

	after := kitMeasure(t, ctx)
	mb := func(b float64) string { return strconv.FormatFloat(b/(1<<20), 'f', 2, 64) + " MB" }
	t.Logf("JS heap used (Runtime.getHeapUsage): %s before, %s after (%+.0f KB)", mb(before.Used), mb(after.Used), (after.Used-before.Used)/1024)
	t.Logf("JS heap total: %s before, %s after", mb(before.Total), mb(after.Total))
	t.Logf("performance.memory.usedJSHeapSize: %s before, %s after", mb(before.PageUsed), mb(after.PageUsed))
	t.Logf("iframe elements alive: %d before, %d after", before.Iframes, after.Iframes)
	t.Logf("JS values held by the Go program: %d before, %d after", before.GoRefs, after.GoRefs)
	t.Logf("wasm memory: %s before, %s after", mb(before.WasmBytes), mb(after.WasmBytes))

	var inDocument int
	eval(t, ctx, `document.querySelectorAll("iframe").length`, &inDocument)
	if inDocument != 0 {
		t.Errorf("%d iframes in the document after the last unmount(), want 0", inDocument)
	}
	// A leaked embed keeps its iframe, ports, listeners and Go state:
	// some 20 KB of JavaScript heap and a dozen values held by Go.
	if after.Iframes > before.Iframes+5 {
		t.Errorf("%d iframe elements alive after %d cycles (%d before): unmounted iframes are kept", after.Iframes, cycles, before.Iframes)
	}
	if after.GoRefs > before.GoRefs+200 {
		t.Errorf("the Go program holds %d JavaScript values after %d cycles (%d before): they are released only when a Go GC runs, and none ran",
			after.GoRefs, cycles, before.GoRefs)
	}
	if grown := after.Used - before.Used; grown > 2<<20 {
		t.Errorf("the JS heap grew by %.0f KB over %d cycles (%.0f bytes a cycle)", grown/1024, cycles, grown/float64(cycles))
	}
	if grown := after.WasmBytes - before.WasmBytes; grown > 4<<20 {
		t.Errorf("the wasm memory grew by %s over %d cycles", mb(grown), cycles)
	}
}
