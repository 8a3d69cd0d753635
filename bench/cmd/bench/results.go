package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/bench/browser"
	"github.com/dashembed/dashembed/bench/load"
	"github.com/dashembed/dashembed/bench/report"
	"github.com/dashembed/dashembed/bench/sizes"
	"github.com/dashembed/dashembed/bench/stats"
)

// sizesOf is an SDK's size, in total and per file.
type sizesOf struct {
	total sizes.Sizes
	files map[string]sizes.Sizes
}

// results collects every measurement of one invocation.
type results struct {
	sdkSizes map[string]sizesOf
	runs     []browser.RunResult
	memory   []browser.MemoryResult
	failures []string
	mint     *testing.BenchmarkResult
	load     []load.Result
}

// Goal thresholds, from the issue that set the budgets.
const (
	brotliBudget   = 600_000 // bytes, JS + wasm
	coldTokenRatio = 1.1
	roundTripRatio = 1.5
	heapSlack      = 64_000 // bytes of GC noise allowed over the official SDK
	idleSlack      = 0.1    // percentage points of a core over the official SDK
	serverRatio    = 0.5    // of the bare handler's throughput
	serverP99Ms    = 5.0
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

// ratioGoal judges a row whose goal is ours/ref ≤ limit.
func ratioGoal(row report.Row, limit float64) report.Row {
	row.Goal = fmt.Sprintf("≤ %.1f× official", limit)
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

	const sz = "SDK bytes (JS + wasm)"
	o, f := r.sdkSizes[ours].total, r.sdkSizes[official].total
	add(report.Row{Section: sz, Metric: "files, raw", Unit: report.Bytes, Ours: report.V(float64(o.Raw)), Ref: report.V(float64(f.Raw))})
	add(report.Row{Section: sz, Metric: "files, gzip -9", Unit: report.Bytes, Ours: report.V(float64(o.Gzip)), Ref: report.V(float64(f.Gzip))})
	add(report.Row{Section: sz, Metric: "files, brotli q11", Unit: report.Bytes, Ours: report.V(float64(o.Brotli)), Ref: report.V(float64(f.Brotli)),
		Goal: "dashembed ≤ 600 KB", Met: report.B(o.Brotli <= brotliBudget)})
	wire := func(run browser.RunResult) float64 { return run.SDKWireBytes }
	add(report.Row{Section: sz, Metric: "fetched by the browser (brotli + headers)", Unit: report.Bytes,
		Ours: report.V(r.median(ours, "", wire)), Ref: report.V(r.median(official, "", wire))})

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

// notes say how the numbers were taken and what to keep in mind.
func (r *results) notes(c config) []string {
	var n []string
	n = append(n, fmt.Sprintf("Browser runs: %d per SDK and profile, alternating dashembed and official, after one discarded warm-up run each; "+
		"each run is a fresh tab with the HTTP cache disabled (Network.setCacheDisabled). Both SDKs are served by the same handler on the BI origin: "+
		"brotli (quality 11) Content-Encoding, Cache-Control: no-store, text/javascript or application/wasm. The host page is identical "+
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
	n = append(n, fmt.Sprintf("Throttling: Network.emulateNetworkConditionsByRule (the protocol's replacement for emulateNetworkConditions), %g Mbit/s both ways, %g ms latency, on the tab. "+
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
	var files []string
	for _, sdk := range []string{ours, official} {
		var names []string
		for name := range r.sdkSizes[sdk].files {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			s := r.sdkSizes[sdk].files[name]
			files = append(files, fmt.Sprintf("%s %s %d / %d / %d", sdk, name, s.Raw, s.Gzip, s.Brotli))
		}
	}
	n = append(n, "Per file, raw / gzip / brotli bytes: "+strings.Join(files, "; ")+".")
	n = append(n, "Memory: one tab per SDK on loopback; 3 warm-up cycles, then the baseline, then each cycle embeds, waits for the token in the page and unmounts. "+
		"Heaps after HeapProfiler.collectGarbage (twice); they cover the whole renderer, the same-process embedded pages included. "+
		"wasm memory is the byte length of every WebAssembly.Memory the page instantiated (the host page wraps WebAssembly.instantiate*); "+
		"a Go wasm memory never shrinks, so growth is the high-water mark. Unmounted iframes are tracked with WeakRefs.")
	n = append(n, "Idle CPU: Performance.getMetrics TaskDuration and ScriptDuration (thread ticks) deltas on the host tab, from 1 s after the warm embed; "+
		"the renderer's main thread also runs the embedded page, the same for both SDKs.")
	n = append(n, fmt.Sprintf("Dev server: the load generator runs in the same process as the servers and shares the machine's cores with them, "+
		"so the bare handler's numbers are this machine's ceiling for the method, not a network's. Closed loop: %d connections, each sending its next request on the last answer; "+
		"%v measured per target after a short warm-up (default 10 s rather than 30 s, so that `make bench` stays under five minutes on two cores; "+
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

// samples is the raw data kept in the JSON.
func (r *results) samples() any {
	sz := map[string]any{}
	for sdk, s := range r.sdkSizes {
		sz[sdk] = map[string]any{"total": s.total, "files": s.files}
	}
	out := map[string]any{"sizes": sz, "runs": r.runs, "memory": r.memory, "load": r.load, "failures": r.failures}
	if r.mint != nil {
		out["mint"] = map[string]any{"n": r.mint.N, "ns_per_op": r.mint.NsPerOp(), "allocs_per_op": r.mint.AllocsPerOp(), "bytes_per_op": r.mint.AllocedBytesPerOp()}
	}
	return out
}
