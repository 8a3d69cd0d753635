package browser

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// FieldPages is what a field run needs to know about the served site: a
// host page that embeds a heavy dashboard from another site, and the
// heavy page's own token reports (a cross-site iframe is out of reach of
// the tab's injected probe).
type FieldPages interface {
	// FieldPageURL is the host page for an SDK: it embeds at load and
	// calls getScrollSize as soon as embedDashboard resolves.
	FieldPageURL(sdk string) string
	// FieldSDKPrefix is the URL prefix of the SDK's files in that page.
	FieldSDKPrefix(sdk string) string
	// FieldSDKHasWasm reports whether the SDK runs a wasm of its own.
	FieldSDKHasWasm(sdk string) bool
	// NextFrameToken waits for the embedded page's next token report.
	NextFrameToken(timeout time.Duration) (float64, error)
	// DrainFrameTokens forgets reports of earlier runs.
	DrainFrameTokens()
}

// Visit is one load of the field host page.
type Visit struct {
	Timeline
	// FirstCall: the first getScrollSize, called when embedDashboard
	// resolved, answered.
	FirstCall float64 `json:"first_call_ms"`
	// SDKWireBytes and WasmWireBytes are what the browser received for
	// the SDK's files and for its wasm files alone (names holding
	// ".wasm"), headers included; zero for a file served from the cache.
	SDKWireBytes  float64 `json:"sdk_wire_bytes"`
	WasmWireBytes float64 `json:"wasm_wire_bytes"`
	// WasmMs spans the page's WebAssembly compile and instantiate calls,
	// from the first call to the last settling (nil without wasm); for a
	// streaming call it includes the download.
	WasmMs *float64 `json:"wasm_ms,omitempty"`
	// WasmUp is from the call to the wasm running (its instantiate
	// settled); nil for an SDK without one.
	WasmUp *float64 `json:"wasm_up_ms,omitempty"`
	// SDKEncodings are the Content-Encoding values of the SDK's files.
	SDKEncodings []string `json:"sdk_encodings"`
}

// FieldResult is one field run in one tab: a first visit with an empty
// HTTP cache, then a second visit that finds what the first left.
type FieldResult struct {
	SDK  string `json:"sdk"`
	Cell string `json:"cell"`
	// IframesThrottled counts the out-of-process iframes CPU-throttled.
	IframesThrottled int   `json:"iframes_throttled"`
	First            Visit `json:"first"`
	Second           Visit `json:"second"`
}

// fieldTimeout bounds each wait of a field visit: at 1.6 Mbit/s, 1.9 MB of
// dashboard and 3.4 MB of uncompressed wasm take 27 s.
const fieldTimeout = 90 * time.Second

// FieldRun visits the field host page twice in a fresh tab, with the
// browser's HTTP cache cleared before the first visit and the CPU of the
// host page and of the dashboard's iframe slowed by cpuRate (1: not). The
// network is whatever the site's link is set to.
func (b *Browser) FieldRun(pages FieldPages, sdk, cell string, cpuRate float64) (FieldResult, error) {
	res := FieldResult{SDK: sdk, Cell: cell}
	t, err := b.openTab(Profile{Name: cell}, max(cpuRate, 1), 5*time.Minute)
	if err != nil {
		return res, err
	}
	defer t.cancel()
	for i, v := range []*Visit{&res.First, &res.Second} {
		if err := fieldVisit(t, pages, sdk, v); err != nil {
			return res, fmt.Errorf("visit %d: %w", i+1, err)
		}
	}
	if p := t.throttleErr.Load(); p != nil {
		return res, *p
	}
	res.IframesThrottled = int(t.throttled.Load())
	if cpuRate > 1 && res.IframesThrottled == 0 {
		return res, fmt.Errorf("the dashboard's iframe was not CPU-throttled (no out-of-process iframe target seen)")
	}
	return res, nil
}

// fieldVisit loads the page once and fills v from the marks and from the
// requests this visit made.
func fieldVisit(t *tab, pages FieldPages, sdk string, v *Visit) error {
	pages.DrainFrameTokens()
	before := len(t.requests())
	// The navigation returns at the host page's load event, which waits
	// for the iframe's; the marks are read afterwards.
	if err := t.navigate(pages.FieldPageURL(sdk)); err != nil {
		return fmt.Errorf("loading the host page: %w", err)
	}
	token, err := pages.NextFrameToken(fieldTimeout)
	if err != nil {
		if raw, e := eval[json.RawMessage](t, `JSON.stringify(bench.cold || null)`); e == nil {
			return fmt.Errorf("%w (page marks: %s)", err, raw)
		}
		return err
	}
	raw, err := waitFor(t, `((bench.cold.resolved && bench.cold.firstCall) || bench.cold.error) && JSON.stringify({marks: bench.cold})`, fieldTimeout)
	if err != nil {
		return err
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	var page struct {
		Marks struct {
			marks
			FirstCall *float64 `json:"firstCall"`
		} `json:"marks"`
	}
	if err := json.Unmarshal([]byte(s), &page); err != nil {
		return err
	}
	if v.Timeline, err = page.Marks.timeline(tokenStamp{At: token}); err != nil {
		return err
	}
	if page.Marks.FirstCall == nil {
		return fmt.Errorf("no first getScrollSize answer: %s", s)
	}
	v.FirstCall = *page.Marks.FirstCall - page.Marks.Call
	if pages.FieldSDKHasWasm(sdk) {
		// The first call may be answered before the wasm is in (the
		// loader carries it): the visit ends once the wasm runs, so that
		// its bytes count and its span is whole.
		raw, err := waitFor(t, `bench.memories.length > 0 && JSON.stringify(bench.wasmSpan)`, fieldTimeout)
		if err != nil {
			return fmt.Errorf("the wasm never ran: %w", err)
		}
		var span struct{ Start, End float64 }
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(s), &span); err != nil {
			return err
		}
		ms, up := span.End-span.Start, span.End-page.Marks.Call
		v.WasmMs, v.WasmUp = &ms, &up
	}
	v.account(t.requests()[before:], pages.FieldSDKPrefix(sdk))
	return nil
}

// account sums the visit's SDK and wasm bytes from its network events.
func (v *Visit) account(reqs []request, sdkPrefix string) {
	var r RunResult
	r.account(reqs, sdkPrefix)
	v.SDKWireBytes, v.SDKEncodings = r.SDKWireBytes, r.SDKEncodings
	for _, q := range reqs {
		if strings.HasPrefix(q.url, sdkPrefix) && strings.Contains(q.url[len(sdkPrefix):], ".wasm") {
			v.WasmWireBytes += q.wireBytes
		}
	}
}
