package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/bench/browser"
	"github.com/dashembed/dashembed/bench/load"
	"github.com/dashembed/dashembed/bench/report"
	"github.com/dashembed/dashembed/bench/site"
	"github.com/dashembed/dashembed/bench/sizes"
	"github.com/dashembed/dashembed/bench/stats"
)

// results collects every measurement of one invocation.
type results struct {
	sdks     map[string]*site.SDK
	runs     []browser.RunResult
	field    []browser.FieldResult
	memory   []browser.MemoryResult
	failures []string
	mint     *testing.BenchmarkResult
	load     []load.Result
}

// Goal thresholds, from the issues that set the budgets.
const (
	brotliBudget   = 600_000 // bytes, JS + wasm
	coldTokenRatio = 1.1
	// The field: a heavy dashboard page on one shaped link.
	fieldTokenRatio   = 1.05
	fieldResolveRatio = 1.10
	fieldRawBudget    = 1_000_000 // SDK bytes on the wire, no server compression
	fieldBrotliBudget = 650_000   // SDK bytes on the wire, brotli
	roundTripRatio    = 1.5
	heapSlack         = 64_000 // bytes of GC noise allowed over the official SDK
	idleSlack         = 0.1    // percentage points of a core over the official SDK
	serverRatio       = 0.5    // of the bare handler's throughput
	serverP99Ms       = 5.0
)

// median of f over the successful runs of sdk under prof ("" = any).
func (r *results) median(sdk, prof string, f func(browser.RunResult) float64) float64 {
	var xs []float64
	for _, run := range r.runs {
		if run.SDK == sdk && (prof == "" || run.Profile == prof) {
			if v := f(run); !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
	}
	return stats.Median(xs)
}

func (r *results) memoryOf(sdk string) *browser.MemoryResult {
	for i := range r.memory {
		if r.memory[i].SDK == sdk {
			return &r.memory[i]
		}
	}
	return nil
}

func (r *results) loadOf(name string) *load.Result {
	for i := range r.load {
		if r.load[i].Name == name {
			return &r.load[i]
		}
	}
	return nil
}

// pair is a row of ours against official from one per-run metric.
func (r *results) pair(section, metric, prof string, f func(browser.RunResult) float64) report.Row {
	return report.Row{
		Section: section, Metric: metric, Unit: report.Millis,
		Ours: report.V(r.median(ours, prof, f)), Ref: report.V(r.median(official, prof, f)),
	}
}

// files are the SDK's files the browser fetched in any lab run, sorted.
func (r *results) files(sdk string) []string {
	var names []string
	for _, run := range r.runs {
		if run.SDK != sdk {
			continue
		}
		for _, f := range run.SDKFiles {
			if !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
	}
	slices.Sort(names)
	return names
}

// sizes are the raw, gzip and brotli bytes of the files the browser
// fetched for sdk, or nil when they could not be compressed.
func (r *results) sizes(sdk string, files []string) *sizes.Sizes {
	s, err := r.sdks[sdk].Sizes(files)
	if err != nil {
		return nil
	}
	return &s
}

// fieldMedian is the median of f over the field runs of sdk in cell.
func (r *results) fieldMedian(sdk, cell string, f func(browser.FieldResult) float64) float64 {
	var xs []float64
	for _, run := range r.field {
		if run.SDK == sdk && run.Cell == cell {
			if v := f(run); !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
	}
	return stats.Median(xs)
}

// fieldPair is a row of ours against official from one field metric.
func (r *results) fieldPair(section, metric, cell string, unit report.Unit, f func(browser.FieldResult) float64) report.Row {
	return report.Row{
		Section: section, Metric: metric, Unit: unit,
		Ours: report.V(r.fieldMedian(ours, cell, f)), Ref: report.V(r.fieldMedian(official, cell, f)),
	}
}

// ratioGoal judges a row whose goal is ours/ref ≤ limit.
func ratioGoal(row report.Row, limit float64) report.Row {
	row.Goal = fmt.Sprintf("≤ %g× official", limit)
	if v := row.RatioValue(); v != nil {
		row.Met = report.B(*v <= limit)
	}
	return row
}

// nan marks a metric a run did not measure.
var nan = math.NaN()

func (r *results) rows(c config) []report.Row {
	var rows []report.Row
	add := func(row report.Row) { rows = append(rows, row) }

	const sz = "SDK bytes (JS + wasm the host page fetched)"
	o, f := r.sizes(ours, r.files(ours)), r.sizes(official, r.files(official))
	size := func(s *sizes.Sizes, pick func(sizes.Sizes) int) *float64 {
		if s == nil {
			return nil
		}
		return report.V(float64(pick(*s)))
	}
	raw := func(s sizes.Sizes) int { return s.Raw }
	gz := func(s sizes.Sizes) int { return s.Gzip }
	br := func(s sizes.Sizes) int { return s.Brotli }
	add(report.Row{Section: sz, Metric: "files, raw", Unit: report.Bytes, Ours: size(o, raw), Ref: size(f, raw)})
	add(report.Row{Section: sz, Metric: "files, gzip -9 (a .gz file as it is)", Unit: report.Bytes, Ours: size(o, gz), Ref: size(f, gz)})
	brRow := report.Row{Section: sz, Metric: "files, brotli q11 (a .gz file as it is)", Unit: report.Bytes, Ours: size(o, br), Ref: size(f, br),
		Goal: "dashembed ≤ 600 KB"}
	if o != nil {
		brRow.Met = report.B(o.Brotli <= brotliBudget)
	}
	add(brRow)
	wire := func(run browser.RunResult) float64 { return run.SDKWireBytes }
	// Loopback runs only: they make getScrollSize calls, so a wasm that
	// loads late has arrived by the end of the run.
	add(report.Row{Section: sz, Metric: "fetched by the browser on loopback (brotli + headers)", Unit: report.Bytes,
		Ours: report.V(r.median(ours, browser.Loopback.Name, wire)), Ref: report.V(r.median(official, browser.Loopback.Name, wire))})

	for _, cell := range fieldCells() {
		rows = append(rows, r.fieldRows(cell.name(), cell.compress)...)
	}

	for _, prof := range []browser.Profile{browser.Loopback, browser.Throttled} {
		sec := "Cold start (embedDashboard at script load), " + prof.Name
		add(r.pair(sec, "call → iframe in DOM", prof.Name, func(x browser.RunResult) float64 { return x.Cold.Iframe }))
		add(ratioGoal(r.pair(sec, "call → token in page", prof.Name, func(x browser.RunResult) float64 { return x.Cold.Token }), coldTokenRatio))
		add(r.pair(sec, "call → Promise resolved", prof.Name, func(x browser.RunResult) float64 { return x.Cold.Resolved }))
		add(r.pair(sec, "navigation → call (SDK script ran)", prof.Name, func(x browser.RunResult) float64 { return x.Cold.CallAfterNav }))
		add(r.pair(sec, "navigation → token in page", prof.Name, func(x browser.RunResult) float64 { return x.Cold.TokenAfterNav() }))
	}
	for _, prof := range []browser.Profile{browser.Loopback, browser.Throttled} {
		sec := "Warm (SDK loaded, second embed), " + prof.Name
		add(r.pair(sec, "call → iframe in DOM", prof.Name, func(x browser.RunResult) float64 { return x.Warm.Iframe }))
		add(r.pair(sec, "call → token in page", prof.Name, func(x browser.RunResult) float64 { return x.Warm.Token }))
		add(r.pair(sec, "call → Promise resolved", prof.Name, func(x browser.RunResult) float64 { return x.Warm.Resolved }))
	}

	rt := fmt.Sprintf("getScrollSize round trip (%d sequential calls, loopback)", c.roundTrips)
	batch := fmt.Sprintf("median per call (batches of %d)", browser.RoundTripBatch)
	perRun := func(agg func([]float64) float64) func(browser.RunResult) float64 {
		return func(x browser.RunResult) float64 {
			if len(x.RoundTripMs) == 0 {
				return nan
			}
			return agg(x.RoundTripMs)
		}
	}
	add(ratioGoal(r.pair(rt, batch, browser.Loopback.Name, perRun(stats.Median)), roundTripRatio))
	add(ratioGoal(r.pair(rt, "mean per call", browser.Loopback.Name, perRun(stats.Mean)), roundTripRatio))

	mem := fmt.Sprintf("Memory over %d mount/unmount cycles (after GC)", c.cycles)
	mo, mf := r.memoryOf(ours), r.memoryOf(official)
	memVal := func(m *browser.MemoryResult, f func(browser.MemoryResult) float64) *float64 {
		if m == nil {
			return nil
		}
		return report.V(f(*m))
	}
	noWorse := func(row report.Row, goal string, slack float64) report.Row {
		row.Goal = goal
		if row.Ours != nil && row.Ref != nil {
			row.Met = report.B(*row.Ours <= math.Max(*row.Ref, 0)+slack)
		}
		return row
	}
	heap := func(m browser.MemoryResult) float64 { return m.HeapGrowth() }
	add(noWorse(report.Row{Section: mem, Metric: "JS heap growth", Unit: report.Bytes, Ours: memVal(mo, heap), Ref: memVal(mf, heap)},
		"≤ official + 64 KB (GC noise)", heapSlack))
	embedder := func(m browser.MemoryResult) float64 { return m.EmbedderGrowth() }
	add(report.Row{Section: mem, Metric: "Blink heap growth (DOM, documents)", Unit: report.Bytes, Ours: memVal(mo, embedder), Ref: memVal(mf, embedder)})
	wasm := func(m browser.MemoryResult) float64 { return m.WasmGrowth() }
	add(noWorse(report.Row{Section: mem, Metric: "wasm memory growth", Unit: report.Bytes, Ours: memVal(mo, wasm), Ref: memVal(mf, wasm)},
		"≤ official (no wasm: 0)", 0))
	heapLate := func(m browser.MemoryResult) float64 { return m.HeapGrowthLate() }
	add(report.Row{Section: mem, Metric: "JS heap growth, second half of the cycles", Unit: report.Bytes, Ours: memVal(mo, heapLate), Ref: memVal(mf, heapLate)})
	wasmLate := func(m browser.MemoryResult) float64 { return m.WasmGrowthLate() }
	add(report.Row{Section: mem, Metric: "wasm memory growth, second half of the cycles", Unit: report.Bytes, Ours: memVal(mo, wasmLate), Ref: memVal(mf, wasmLate)})
	retained := func(m browser.MemoryResult) float64 { return float64(m.Retained) }
	add(noWorse(report.Row{Section: mem, Metric: "unmounted iframes still alive", Unit: report.Count, Ours: memVal(mo, retained), Ref: memVal(mf, retained)},
		"≤ official", 0))
	inDOM := func(m browser.MemoryResult) float64 { return float64(m.InDOM) }
	add(report.Row{Section: mem, Metric: "iframes left in the DOM", Unit: report.Count, Ours: memVal(mo, inDOM), Ref: memVal(mf, inDOM)})

	idle := fmt.Sprintf("Idle host tab, %v after embedding (%d samples)", c.idle, c.idleSamples)
	idleCPU := func(x browser.RunResult) float64 {
		if x.Idle == nil || x.Idle.Seconds == 0 {
			return nan
		}
		return x.Idle.TaskMs / (x.Idle.Seconds * 1000) * 100
	}
	cpu := report.Row{Section: idle, Metric: "main-thread CPU (TaskDuration)", Unit: report.Percent,
		Ours: report.V(r.median(ours, browser.Loopback.Name, idleCPU)), Ref: report.V(r.median(official, browser.Loopback.Name, idleCPU))}
	add(noWorse(cpu, fmt.Sprintf("≤ official + %.1f pt", idleSlack), idleSlack))
	script := func(x browser.RunResult) float64 {
		if x.Idle == nil {
			return nan
		}
		return x.Idle.ScriptMs
	}
	add(report.Row{Section: idle, Metric: "script time in the window", Unit: report.Millis,
		Ours: report.V(r.median(ours, browser.Loopback.Name, script)), Ref: report.V(r.median(official, browser.Loopback.Name, script))})

	srv := fmt.Sprintf("Dev server, %d connections on loopback (reference: bare net/http)", c.loadConns)
	if r.mint != nil && r.mint.N > 0 {
		us := float64(r.mint.NsPerOp()) / 1000
		add(report.Row{Section: srv, Metric: "guest-token mint, Go benchmark (in-process, per op)", Unit: report.Micros, Ours: report.V(us)})
		add(report.Row{Section: srv, Metric: "guest-token mint, Go benchmark (tokens/s, one goroutine)", Unit: report.PerSecond, Ours: report.V(1e6 / us)})
		add(report.Row{Section: srv, Metric: "guest-token mint, Go benchmark (allocs/op)", Unit: report.Count, Ours: report.V(float64(r.mint.AllocsPerOp()))})
	}
	bare := r.loadOf("bare")
	for _, t := range []struct{ name, label string }{{"guest_token", "guest token"}, {"embedded_page", "embedded page"}} {
		l := r.loadOf(t.name)
		if l == nil {
			continue
		}
		ref := func(f func(load.Result) float64) *float64 {
			if bare == nil {
				return nil
			}
			return report.V(f(*bare))
		}
		tput := report.Row{Section: srv, Metric: t.label + ": throughput", Unit: report.PerSecond,
			Ours: report.V(l.PerSecond), Ref: ref(func(x load.Result) float64 { return x.PerSecond }),
			Goal: fmt.Sprintf("≥ %.1f× bare", serverRatio)}
		if v := tput.RatioValue(); v != nil {
			tput.Met = report.B(*v >= serverRatio)
		}
		add(tput)
		add(report.Row{Section: srv, Metric: t.label + ": p50", Unit: report.Millis,
			Ours: report.V(l.P50Ms), Ref: ref(func(x load.Result) float64 { return x.P50Ms })})
		p99 := report.Row{Section: srv, Metric: t.label + ": p99", Unit: report.Millis,
			Ours: report.V(l.P99Ms), Ref: ref(func(x load.Result) float64 { return x.P99Ms }),
			Goal: fmt.Sprintf("≤ %.0f ms", serverP99Ms)}
		if p99.Ours != nil {
			p99.Met = report.B(*p99.Ours <= serverP99Ms)
		}
		add(p99)
		add(report.Row{Section: srv, Metric: t.label + ": errors", Unit: report.Count,
			Ours: report.V(float64(l.Errors)), Ref: ref(func(x load.Result) float64 { return float64(x.Errors) }),
			Goal: "0", Met: report.B(l.Errors == 0)})
	}
	return rows
}

// fieldRows are one field cell's rows: the first visit with its goals,
// then the second visit.
func (r *results) fieldRows(cell string, compress bool) []report.Row {
	var rows []report.Row
	add := func(row report.Row) { rows = append(rows, row) }
	first := func(f func(browser.Visit) float64) func(browser.FieldResult) float64 {
		return func(x browser.FieldResult) float64 { return f(x.First) }
	}
	second := func(f func(browser.Visit) float64) func(browser.FieldResult) float64 {
		return func(x browser.FieldResult) float64 { return f(x.Second) }
	}
	token := func(v browser.Visit) float64 { return v.Token }
	resolved := func(v browser.Visit) float64 { return v.Resolved }
	firstCall := func(v browser.Visit) float64 { return v.FirstCall }
	wasmMs := func(v browser.Visit) float64 {
		if v.WasmMs == nil {
			return nan
		}
		return *v.WasmMs
	}

	wasmUp := func(v browser.Visit) float64 {
		if v.WasmUp == nil {
			return nan
		}
		return *v.WasmUp
	}

	sec := "Field, first visit: " + cell
	add(r.fieldPair(sec, "call → iframe in DOM", cell, report.Millis, first(func(v browser.Visit) float64 { return v.Iframe })))
	add(ratioGoal(r.fieldPair(sec, "call → token in page", cell, report.Millis, first(token)), fieldTokenRatio))
	add(ratioGoal(r.fieldPair(sec, "call → Promise resolved", cell, report.Millis, first(resolved)), fieldResolveRatio))
	add(ratioGoal(r.fieldPair(sec, "call → first getScrollSize answered", cell, report.Millis, first(firstCall)), fieldResolveRatio))
	add(r.fieldPair(sec, "navigation → token in page", cell, report.Millis, first(func(v browser.Visit) float64 { return v.TokenAfterNav() })))
	budget, label := fieldRawBudget, "1.0 MB"
	if compress {
		budget, label = fieldBrotliBudget, "650 KB"
	}
	bytes := r.fieldPair(sec, "SDK bytes on the wire", cell, report.Bytes, first(func(v browser.Visit) float64 { return v.SDKWireBytes }))
	bytes.Goal = "dashembed ≤ " + label
	if bytes.Ours != nil {
		bytes.Met = report.B(*bytes.Ours <= float64(budget))
	}
	add(bytes)
	add(r.fieldPair(sec, "wasm compile + instantiate (streaming: with download)", cell, report.Millis, first(wasmMs)))
	up := r.fieldPair(sec, "call → wasm running", cell, report.Millis, first(wasmUp))
	up.Ref = nil
	add(up)

	sec = "Field, second visit (HTTP cache from the first): " + cell
	add(r.fieldPair(sec, "call → token in page", cell, report.Millis, second(token)))
	add(r.fieldPair(sec, "call → Promise resolved", cell, report.Millis, second(resolved)))
	add(r.fieldPair(sec, "call → first getScrollSize answered", cell, report.Millis, second(firstCall)))
	add(r.fieldPair(sec, "SDK bytes on the wire", cell, report.Bytes, second(func(v browser.Visit) float64 { return v.SDKWireBytes })))
	wasm := r.fieldPair(sec, "wasm bytes on the wire", cell, report.Bytes, second(func(v browser.Visit) float64 { return v.WasmWireBytes }))
	wasm.Ref = nil // the official SDK has no wasm
	wasm.Goal = "0 (hashed name, immutable)"
	if wasm.Ours != nil {
		wasm.Met = report.B(*wasm.Ours == 0)
	}
	add(wasm)
	add(r.fieldPair(sec, "wasm compile + instantiate (compiled-code cache)", cell, report.Millis, second(wasmMs)))
	return rows
}

// notes say how the numbers were taken and what to keep in mind.
func (r *results) notes(c config) []string {
	var n []string
	n = append(n, fmt.Sprintf("Browser runs: %d per SDK and profile, alternating dashembed and official, after one discarded warm-up run each; "+
		"each run is a fresh tab with the HTTP cache disabled (Network.setCacheDisabled). Both SDKs are served by the same handler on the BI origin: "+
		"in the lab brotli (quality 11) Content-Encoding, text/javascript or application/wasm. The host page is identical "+
		"except for the script's src: both SDKs set supersetEmbeddedSdk.", c.runs))
	n = append(n, "Marks are epoch milliseconds (performance.timeOrigin + performance.now()): the call and the iframe (MutationObserver) in the host page; "+
		"the token inside the embedded page, from a probe in an isolated world (Page.addScriptToEvaluateOnNewDocument) that watches data-token-count. "+
		"Warm = the second embed in the same tab, into another mount point, after the cold one was unmounted. "+
		"getScrollSize is timed 1 s after the warm embed, in batches of sequential calls, because a page that is not cross-origin isolated "+
		"only has a 100 µs clock; the median is over the batches' per-call means.")
	loopTTFB := r.median(ours, browser.Loopback.Name, func(x browser.RunResult) float64 { return x.EmbeddedTTFBMs })
	thrTTFB := r.median(ours, browser.Throttled.Name, func(x browser.RunResult) float64 { return x.EmbeddedTTFBMs })
	check := "the iframe's requests are throttled too"
	if math.IsNaN(thrTTFB) || thrTTFB < browser.Throttled.LatencyMs {
		check = "WARNING: the embedded document did not show the emulated latency, so the iframe's requests may not be throttled"
	}
	n = append(n, fmt.Sprintf("Lab throttling: Network.emulateNetworkConditionsByRule (the protocol's replacement for emulateNetworkConditions; "+
		"a Chromium that refuses it, such as Debian's 148, gets emulateNetworkConditions), %g Mbit/s both ways, %g ms latency, on the tab. "+
		"The embedded document's time to headers, seen in the tab's own network events: %.1f ms on loopback, %.1f ms throttled: %s "+
		"(the frame is same-site, so it shares the tab's renderer and network agent).",
		browser.Throttled.Mbps, browser.Throttled.LatencyMs, loopTTFB, thrTTFB, check))
	enc := map[string]bool{}
	for _, run := range r.runs {
		for _, e := range run.SDKEncodings {
			enc[run.SDK+": "+e] = true
		}
	}
	var encs []string
	for e := range enc {
		encs = append(encs, e)
	}
	slices.Sort(encs)
	n = append(n, "SDK responses' Content-Encoding as the browser saw them: "+strings.Join(encs, "; ")+".")
	var files, immutable []string
	for _, sdk := range []string{ours, official} {
		for _, name := range r.files(sdk) {
			if s := r.sizes(sdk, []string{name}); s != nil {
				files = append(files, fmt.Sprintf("%s %s %d / %d / %d", sdk, name, s.Raw, s.Gzip, s.Brotli))
			}
		}
		for name, f := range r.sdks[sdk].Files {
			if f.Hashed {
				immutable = append(immutable, sdk+" "+name)
			}
		}
	}
	slices.Sort(immutable)
	if len(immutable) == 0 {
		immutable = []string{"none"}
	}
	n = append(n, "Per file the host page fetched, raw / gzip / brotli bytes: "+strings.Join(files, "; ")+".")
	n = append(n, fieldNote(c))
	n = append(n, "SDK files whose names carry a content hash, served Cache-Control: public, max-age=31536000, immutable "+
		"(every other SDK file: no-cache with an ETag, so a second visit revalidates it): "+strings.Join(immutable, ", ")+".")
	for _, cell := range fieldCells() {
		for _, sdk := range []string{ours, official} {
			enc := map[string]bool{}
			throttled := 0
			for _, run := range r.field {
				if run.SDK == sdk && run.Cell == cell.name() {
					for _, e := range run.First.SDKEncodings {
						enc[e] = true
					}
					throttled += run.IframesThrottled
				}
			}
			if len(enc) > 0 {
				n = append(n, fmt.Sprintf("Field %s, %s: SDK Content-Encoding on the first visit %s; out-of-process iframes CPU-throttled: %d.",
					cell.name(), sdk, strings.Join(slices.Sorted(maps.Keys(enc)), ", "), throttled))
			}
		}
	}
	n = append(n, "Memory: one tab per SDK on loopback; 3 warm-up cycles, then the baseline, then each cycle embeds, waits for the token in the page and unmounts. "+
		"Heaps after HeapProfiler.collectGarbage (twice); they cover the whole renderer, the same-process embedded pages included. "+
		"wasm memory is the byte length of every WebAssembly.Memory the page instantiated (the host page wraps WebAssembly.instantiate*); "+
		"a Go wasm memory never shrinks, so growth is the high-water mark. Both are read again after half the cycles: a leak grows in both halves, "+
		"a heap finding its size once only in the first. Unmounted iframes are tracked with WeakRefs.")
	n = append(n, "Idle CPU: Performance.getMetrics TaskDuration and ScriptDuration (thread ticks) deltas on the host tab, from 1 s after the warm embed; "+
		"the renderer's main thread also runs the embedded page, the same for both SDKs.")
	n = append(n, fmt.Sprintf("Dev server: the load generator runs in the same process as the servers and shares the machine's cores with them, "+
		"so the bare handler's numbers are this machine's ceiling for the method, not a network's. Closed loop: %d connections, each sending its next request on the last answer; "+
		"%v measured per target after a short warm-up (default 10 s rather than 30 s, to keep `make bench` short; "+
		"use -load-duration 30s for steadier numbers). Guest tokens: logged in once, then POST /api/v1/security/guest_token/ with the Bearer token. "+
		"Embedded page: GET /embedded/<uuid> with the host app's Referer.", c.loadConns, c.loadDuration))
	if bare := r.loadOf("bare"); bare != nil && bare.PerSecond > 0 {
		n = append(n, fmt.Sprintf("In a closed loop the mean latency is connections / throughput (Little's law): a mean of %.0f ms at %d connections "+
			"takes %.0f requests/s, and a p99 that low takes more; the bare handler served %.0f requests/s here (%.1f ms mean per request).",
			serverP99Ms, bare.Connections, float64(bare.Connections)/(serverP99Ms/1000), bare.PerSecond, float64(bare.Connections)/bare.PerSecond*1000))
	}
	for _, l := range r.load {
		if l.Errors > 0 {
			n = append(n, fmt.Sprintf("Load %s: %d errors, first: %s.", l.Name, l.Errors, l.FirstError))
		}
	}
	if len(r.failures) > 0 {
		n = append(n, fmt.Sprintf("%d browser runs failed and are left out: %s.", len(r.failures), strings.Join(r.failures, "; ")))
	}
	return n
}

// fieldNote says how the field cells were taken.
func fieldNote(c config) string {
	var profiles []string
	for _, p := range fieldProfiles {
		profiles = append(profiles, fmt.Sprintf("%s (%g Mbit/s, %v per response, CPU %g×)", p.name, p.link.Mbps, p.link.Latency, p.cpu))
	}
	return fmt.Sprintf("Field: %d runs per SDK and cell, alternating, after one discarded run each; each run is a fresh tab: the browser's HTTP cache cleared "+
		"(Network.clearBrowserCache), a first visit, then a second visit to the same page in the same tab. "+
		"The host page embeds from http://localhost:<port>, another site than the host page's http://127.0.0.1:<port>, so the dashboard runs in an out-of-process iframe. "+
		"The embedded page is heavy: before the script that starts its switchboard it loads, deferred, %d KB and %d KB of incompressible script "+
		"(random bytes in a comment; no-store, never compressed), as Superset's embedded entry and vendor chunks weigh on the wire. "+
		"Both origins send through one shaped link (bench/link): one token bucket shared by every connection of both servers, cut into 4 KB turns, "+
		"plus the latency before each response (the servers' side is shaped; the browser's requests are small); the host app's backend mints guest tokens over a port of its own, off the visitor's link. "+
		"Profiles: %s. CPU throttling is Emulation.setCPUThrottlingRate on the host tab and on each iframe target, attached as it starts. "+
		"Compression: \"no compression\" serves every SDK file as it is (as most servers send application/wasm); \"brotli\" sends the SDKs' .js and .wasm "+
		"brotli-encoded (a .br the build wrote first, else quality 11). The token time comes from a probe in the heavy page "+
		"(body[data-token-count], sent by sendBeacon); the first call is a getScrollSize called when embedDashboard resolves. "+
		"wasm compile + instantiate spans the page's WebAssembly.compile*/instantiate* calls, from the first call to the last settling; "+
		"call → wasm running ends at that settling. A visit ends only once the wasm runs, so that all its bytes are counted, "+
		"though the first getScrollSize may be answered before (the loader carries it on the dashboard's port).",
		c.fieldRuns, site.HeavyEntryBytes/1000, site.HeavyVendorBytes/1000, strings.Join(profiles, "; "))
}

// samples is the raw data kept in the JSON.
func (r *results) samples() any {
	sz := map[string]any{}
	for sdk := range r.sdks {
		files := map[string]*sizes.Sizes{}
		for _, name := range r.files(sdk) {
			files[name] = r.sizes(sdk, []string{name})
		}
		sz[sdk] = map[string]any{"total": r.sizes(sdk, r.files(sdk)), "files": files}
	}
	out := map[string]any{"sizes": sz, "runs": r.runs, "field": r.field, "memory": r.memory, "load": r.load, "failures": r.failures}
	if r.mint != nil {
		out["mint"] = map[string]any{"n": r.mint.N, "ns_per_op": r.mint.NsPerOp(), "allocs_per_op": r.mint.AllocsPerOp(), "bytes_per_op": r.mint.AllocedBytesPerOp()}
	}
	return out
}
