package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Profile is a network profile a run is measured under.
type Profile struct {
	// Name labels the profile in the results.
	Name string
	// Throttle turns on DevTools network emulation with the values below.
	Throttle bool
	// LatencyMs is the added latency per request, in milliseconds.
	LatencyMs float64
	// Mbps is the download and upload throughput, in Mbit/s.
	Mbps float64
}

// The two profiles of the cold-start measurement.
var (
	Loopback  = Profile{Name: "loopback"}
	Throttled = Profile{Name: "10 Mbit/s, 40 ms", Throttle: true, LatencyMs: 40, Mbps: 10}
)

// worldName is the isolated world the token probe runs in, in every frame;
// bindingName is the function the probe calls to report to Go. An isolated
// world sees the embedded page's DOM but not its scripts, so the probe
// neither changes nor depends on the page's JavaScript.
const (
	worldName   = "dashembed-bench"
	bindingName = "__dashembedBenchToken"
)

// tokenProbe reports, from inside each embedded document, the moment its
// first guest token arrives: the embedded page sets body[data-token-count]
// to "1" then. The time is epoch milliseconds on the same clock the host
// page's marks use.
const tokenProbe = `(() => {
  if (!/^\/embedded\//.test(location.pathname)) return;
  let reported = false;
  const check = () => {
    const body = document.body;
    if (reported || !body || body.dataset.tokenCount !== '1') return;
    reported = true;
    ` + bindingName + `(JSON.stringify({ at: performance.timeOrigin + performance.now(), url: location.href }));
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-token-count'] });
})();`

// tokenStamp is one report of the probe.
type tokenStamp struct {
	At  float64 `json:"at"`
	URL string  `json:"url"`
}

// request is what the network events say about one request of the tab.
type request struct {
	url       string
	typ       network.ResourceType
	sent      float64 // monotonic seconds
	headers   float64 // monotonic seconds; 0 until the response arrives
	encoding  string
	wireBytes float64 // encodedDataLength at loadingFinished: headers and body
	finished  bool
	failed    bool
	fromCache bool
}

// tab is one browser tab with its event collectors.
type tab struct {
	ctx    context.Context
	cancel func()
	tokens chan tokenStamp
	// iframes receives the targets of out-of-process iframes as they are
	// attached, for CPU throttling; nil when the CPU is not throttled.
	iframes chan target.ID
	// throttled counts the iframe targets throttled; throttleErr is the
	// first failure to.
	throttled   atomic.Int32
	throttleErr atomic.Pointer[error]

	mu    sync.Mutex
	reqs  map[network.RequestID]*request
	order []network.RequestID
}

// newTab opens a tab set up for a lab measurement: cache disabled, network
// emulation per the profile, the token probe installed for every future
// document. The tab closes when the returned tab's cancel is called or when
// timeout passes.
func (b *Browser) newTab(prof Profile, timeout time.Duration) (*tab, error) {
	return b.openTab(prof, 0, timeout)
}

// openTab is newTab with a choice of HTTP cache: with cpuRate set (the
// field), the browser's cache is cleared instead of disabled, so that a
// second visit in the tab finds what the first left, and the host page
// and every out-of-process iframe are CPU-throttled by cpuRate (1: not).
func (b *Browser) openTab(prof Profile, cpuRate float64, timeout time.Duration) (*tab, error) {
	t := &tab{tokens: make(chan tokenStamp, 1024), reqs: map[network.RequestID]*request{}}
	if cpuRate > 1 {
		t.iframes = make(chan target.ID, 64)
	}
	ctx, cancelTab := chromedp.NewContext(b.ctx, chromedp.WithListener(t.onEvent))
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.ctx = ctx
	t.cancel = func() {
		cancelTimeout()
		cancelTab()
	}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if cpuRate == 0 {
			if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
		} else if _, err := cdp.Call(ctx, tg, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			return err
		}
		if cpuRate > 1 {
			if _, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: cpuRate}); err != nil {
				return fmt.Errorf("CPU throttling: %w", err)
			}
		}
		if prof.Throttle {
			if err := emulateNetwork(ctx, tg, prof); err != nil {
				return fmt.Errorf("network emulation: %w", err)
			}
		}
		if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName, ExecutionContextName: worldName}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: tokenProbe, WorldName: worldName}); err != nil {
			return err
		}
		// Thread ticks count CPU time of the renderer's main thread, not
		// wall time, so that a busy machine does not inflate idle cost.
		if _, err := cdp.Call(ctx, tg, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, heapprofiler.Enable, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.cancel()
		return nil, fmt.Errorf("bench: setting up a tab: %w", err)
	}
	if t.iframes != nil {
		go t.throttleIframes(cpuRate)
	}
	return t, nil
}

// throttleIframes CPU-throttles each out-of-process iframe of the tab: it
// is a target of its own, which the host page's throttling does not reach.
// chromedp attaches to it when it starts; so the throttling lands a few
// milliseconds into the iframe's life, long before a heavy page's scripts
// have arrived. The attachments end (detach, not close) with the tab.
func (t *tab) throttleIframes(rate float64) {
	var detach []context.CancelFunc
	defer func() {
		for _, d := range detach {
			d()
		}
	}()
	for {
		select {
		case <-t.ctx.Done():
			return
		case id := <-t.iframes:
			ctx, cancel := chromedp.NewContext(t.ctx, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
			detach = append(detach, cancel)
			err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: rate})
				return err
			}))
			if err != nil {
				err = fmt.Errorf("CPU throttling of iframe %s: %w", id, err)
				t.throttleErr.CompareAndSwap(nil, &err)
				continue
			}
			t.throttled.Add(1)
		}
	}
}

// emulateNetwork throttles the tab's network per prof. Chromium 156 no
// longer has Network.emulateNetworkConditions, and a rule with an empty
// URL pattern is its global equivalent; an older one (Debian's 148)
// refuses the rule as the protocol now spells it, and has the old command.
// Throughput is in bytes per second.
func emulateNetwork(ctx context.Context, tg *chromedp.Target, prof Profile) error {
	bps := prof.Mbps * 1e6 / 8
	_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: prof.LatencyMs, DownloadThroughput: bps, UploadThroughput: bps}},
	})
	if err == nil {
		return nil
	}
	old := map[string]any{"offline": false, "latency": prof.LatencyMs, "downloadThroughput": bps, "uploadThroughput": bps}
	if tg.Call(ctx, "Network.emulateNetworkConditions", old, nil) == nil {
		return nil
	}
	return err
}

// onEvent runs on chromedp's event loop: it must not block.
func (t *tab) onEvent(ev any) {
	switch ev := ev.(type) {
	case *target.EventAttachedToTarget:
		if t.iframes != nil && ev.TargetInfo != nil && ev.TargetInfo.Type == "iframe" {
			select {
			case t.iframes <- ev.TargetInfo.TargetID:
			default:
			}
		}
	case *runtime.EventBindingCalled:
		if ev.Name != bindingName {
			return
		}
		var s tokenStamp
		if json.Unmarshal([]byte(ev.Payload), &s) == nil {
			select {
			case t.tokens <- s:
			default:
			}
		}
	case *network.EventRequestWillBeSent:
		t.mu.Lock()
		defer t.mu.Unlock()
		if _, ok := t.reqs[ev.RequestID]; !ok {
			t.order = append(t.order, ev.RequestID)
		}
		t.reqs[ev.RequestID] = &request{url: ev.Request.URL, typ: ev.Type, sent: ev.Timestamp.Float64()}
	case *network.EventResponseReceived:
		t.mu.Lock()
		defer t.mu.Unlock()
		if r, ok := t.reqs[ev.RequestID]; ok && ev.Response != nil {
			r.headers = ev.Timestamp.Float64()
			r.fromCache = ev.Response.FromDiskCache || ev.Response.FromPrefetchCache
			if enc, ok := ev.Response.Headers["content-encoding"].(string); ok {
				r.encoding = enc
			} else if enc, ok := ev.Response.Headers["Content-Encoding"].(string); ok {
				r.encoding = enc
			}
		}
	case *network.EventLoadingFinished:
		t.mu.Lock()
		defer t.mu.Unlock()
		if r, ok := t.reqs[ev.RequestID]; ok {
			r.finished = true
			r.wireBytes = ev.EncodedDataLength
		}
	case *network.EventLoadingFailed:
		t.mu.Lock()
		defer t.mu.Unlock()
		if r, ok := t.reqs[ev.RequestID]; ok {
			r.failed = true
		}
	}
}

// requests returns a snapshot of the tab's requests in the order they
// started.
func (t *tab) requests() []request {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]request, 0, len(t.order))
	for _, id := range t.order {
		out = append(out, *t.reqs[id])
	}
	return out
}

// nextToken waits for the probe's next report.
func (t *tab) nextToken(timeout time.Duration) (tokenStamp, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case s := <-t.tokens:
		return s, nil
	case <-timer.C:
		return tokenStamp{}, fmt.Errorf("no guest token reached the embedded page within %v", timeout)
	case <-t.ctx.Done():
		return tokenStamp{}, t.ctx.Err()
	}
}

// navigate loads url in the tab and waits for its load event.
func (t *tab) navigate(url string) error {
	return chromedp.Do(t.ctx, chromedp.Navigate(url))
}

// eval evaluates expr in the host page, awaiting a Promise, and decodes the
// value into T.
func eval[T any](t *tab, expr string) (T, error) {
	v, err := chromedp.Run(t.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		var zero T
		return zero, fmt.Errorf("evaluating %s: %w", short(expr), err)
	}
	return v, nil
}

// waitFor polls a condition inside the page (every 5 ms, no round trip to
// Go per poll) until it is truthy, and returns its value as JSON.
func waitFor(t *tab, cond string, timeout time.Duration) (json.RawMessage, error) {
	expr := `new Promise((resolve) => {
	  const start = performance.now();
	  const poll = () => {
	    let v;
	    try { v = (` + cond + `); } catch (e) { v = undefined; }
	    if (v) resolve(v);
	    else if (performance.now() - start > ` + fmt.Sprint(timeout.Milliseconds()) + `) resolve(null);
	    else setTimeout(poll, 5);
	  };
	  poll();
	})`
	raw, err := eval[json.RawMessage](t, expr)
	if err != nil {
		return nil, err
	}
	if string(raw) == "null" || len(raw) == 0 {
		return nil, fmt.Errorf("timed out after %v waiting for %s", timeout, short(cond))
	}
	return raw, nil
}

// metrics reads the Performance domain's counters.
func (t *tab) metrics() (map[string]float64, error) {
	res, err := chromedp.Run(t.ctx, func(ctx context.Context, tg *chromedp.Target) (performance.GetMetricsResult, error) {
		return cdp.Call(ctx, tg, performance.GetMetrics, cdp.Empty{})
	})
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, m := range res.Metrics {
		out[m.Name] = m.Value
	}
	return out, nil
}

// heap collects garbage (twice: the first pass can only schedule finalizers
// and WeakRef clearing) and returns the heap usage.
func (t *tab) heap() (runtime.GetHeapUsageResult, error) {
	return chromedp.Run(t.ctx, func(ctx context.Context, tg *chromedp.Target) (runtime.GetHeapUsageResult, error) {
		for range 2 {
			if _, err := cdp.Call(ctx, tg, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
				return runtime.GetHeapUsageResult{}, err
			}
		}
		return cdp.Call(ctx, tg, runtime.GetHeapUsage, cdp.Empty{})
	})
}

// short trims an expression for an error message.
func short(expr string) string {
	expr = strings.Join(strings.Fields(expr), " ")
	if len(expr) > 120 {
		return expr[:117] + "..."
	}
	return expr
}
