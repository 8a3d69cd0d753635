package browser

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
)

// Pages is what a run needs to know about the served site.
type Pages interface {
	// PageURL is the host page for an SDK, embedding at load when cold.
	PageURL(sdk string, cold bool) string
	// SDKPrefix is the URL prefix of the SDK's files.
	SDKPrefix(sdk string) string
}

// Timeline is one embed's marks in milliseconds after the embedDashboard
// call.
type Timeline struct {
	// Iframe: the iframe is in the DOM (MutationObserver on the mount point).
	Iframe float64 `json:"iframe_ms"`
	// Token: the guest token is in the embedded page (its first
	// data-token-count change, seen from inside the frame).
	Token float64 `json:"token_ms"`
	// Resolved: embedDashboard's Promise resolved.
	Resolved float64 `json:"resolved_ms"`
	// CallAfterNav is when embedDashboard was called, after the navigation
	// started; for a cold embed, it is mostly the SDK script's download.
	CallAfterNav float64 `json:"call_after_nav_ms"`
}

// TokenAfterNav is the whole wait a visitor sees on a cold page: from the
// navigation to the token in the dashboard.
func (tl Timeline) TokenAfterNav() float64 { return tl.CallAfterNav + tl.Token }

// Idle is the host tab's main-thread work while nothing happens.
type Idle struct {
	Seconds float64 `json:"seconds"`
	// TaskMs and ScriptMs are Performance.getMetrics' TaskDuration and
	// ScriptDuration deltas (thread CPU time) over the window.
	TaskMs   float64 `json:"task_ms"`
	ScriptMs float64 `json:"script_ms"`
}

// RunResult is one run: one SDK, one profile, one fresh tab.
type RunResult struct {
	SDK     string   `json:"sdk"`
	Profile string   `json:"profile"`
	Cold    Timeline `json:"cold"`
	Warm    Timeline `json:"warm"`
	// RoundTripMs are getScrollSize round trips, in order, each the mean
	// of a batch of sequential calls (see RoundTripBatch).
	RoundTripMs []float64 `json:"round_trip_ms,omitempty"`
	// SDKWireBytes are the bytes the browser received for the SDK's files,
	// response headers included (Network.loadingFinished
	// encodedDataLength).
	SDKWireBytes float64 `json:"sdk_wire_bytes"`
	// SDKEncodings are the Content-Encoding values the SDK files came with.
	SDKEncodings []string `json:"sdk_encodings"`
	// SDKFiles are the SDK's files the page fetched, by path under the
	// SDK's prefix.
	SDKFiles []string `json:"sdk_files"`
	// EmbeddedTTFBMs is the embedded document's time to response headers,
	// as this tab's network events saw it: proof that the frame's requests
	// go through the tab's (emulated) network.
	EmbeddedTTFBMs float64 `json:"embedded_ttfb_ms"`
	Idle           *Idle   `json:"idle,omitempty"`
}

// RunOptions select the optional parts of a run.
type RunOptions struct {
	// RoundTrips is the number of sequential getScrollSize calls; 0 skips.
	// They are timed in batches of RoundTripBatch.
	RoundTrips int
	// Idle is how long to watch the idle tab after embedding; 0 skips.
	Idle time.Duration
}

// marks is the page's record of one embed (epoch milliseconds).
type marks struct {
	Nav      float64  `json:"nav"`
	Call     float64  `json:"call"`
	Iframe   *float64 `json:"iframe"`
	Resolved *float64 `json:"resolved"`
	Error    string   `json:"error"`
}

func (m marks) timeline(token tokenStamp) (Timeline, error) {
	if m.Error != "" {
		return Timeline{}, fmt.Errorf("embedDashboard rejected: %s", m.Error)
	}
	if m.Iframe == nil || m.Resolved == nil {
		return Timeline{}, fmt.Errorf("embed marks incomplete: %+v", m)
	}
	return Timeline{
		Iframe:       *m.Iframe - m.Call,
		Token:        token.At - m.Call,
		Resolved:     *m.Resolved - m.Call,
		CallAfterNav: m.Call - m.Nav,
	}, nil
}

// RoundTripBatch is how many getScrollSize calls one round-trip sample
// averages.
const RoundTripBatch = 10

// settle is the pause between the warm embed and the round trips and idle
// window.
const settle = time.Second

// embedTimeout bounds each wait of a run; a healthy embed takes well under
// a second even throttled.
const embedTimeout = 30 * time.Second

// Run loads the host page with the SDK in a fresh tab and measures, in
// order: the cold embed (called at script load), then, after unmounting
// it, a warm embed into a second mount point, the getScrollSize round trip
// on it, and the idle cost.
func (b *Browser) Run(pages Pages, sdk string, prof Profile, opts RunOptions) (RunResult, error) {
	res := RunResult{SDK: sdk, Profile: prof.Name}
	t, err := b.newTab(prof, 2*time.Minute)
	if err != nil {
		return res, err
	}
	defer t.cancel()

	if err := t.navigate(pages.PageURL(sdk, true)); err != nil {
		return res, fmt.Errorf("loading the host page: %w", err)
	}
	if res.Cold, err = awaitEmbed(t, "bench.cold"); err != nil {
		return res, fmt.Errorf("cold embed: %w", err)
	}
	if _, err := waitFor(t, `bench.dash && true`, embedTimeout); err != nil {
		return res, err
	}
	if _, err := eval[bool](t, `(() => { bench.dash.unmount(); return true; })()`); err != nil {
		return res, err
	}
	if _, err := eval[bool](t, `(() => { bench.warm = {}; bench.embed('mount2', bench.warm).then((d) => { bench.dash2 = d; }, () => {}); return true; })()`); err != nil {
		return res, err
	}
	if res.Warm, err = awaitEmbed(t, "bench.warm"); err != nil {
		return res, fmt.Errorf("warm embed: %w", err)
	}
	if _, err := waitFor(t, `bench.dash2`, embedTimeout); err != nil {
		return res, err
	}
	if opts.RoundTrips > 0 || opts.Idle > 0 {
		// Let the embedded dashboard finish drawing first: its charts run
		// on this renderer's main thread too and would delay the round
		// trips and count as idle work, for both SDKs alike.
		time.Sleep(settle)
	}
	if opts.RoundTrips > 0 {
		// Timers in a page that is not cross-origin isolated tick in
		// 100 µs steps, coarser than one round trip; so the calls are
		// timed in batches of RoundTripBatch and each batch gives one
		// per-call sample. One call first, outside the sample, so that
		// lazy set-up on either side does not count.
		res.RoundTripMs, err = eval[[]float64](t, fmt.Sprintf(`(async () => {
		  const d = bench.dash2;
		  await d.getScrollSize();
		  const out = [];
		  for (let i = 0; i < %d; i += %d) {
		    const n = Math.min(%d, %d - i);
		    const start = performance.now();
		    for (let j = 0; j < n; j++) await d.getScrollSize();
		    out.push((performance.now() - start) / n);
		  }
		  return out;
		})()`, opts.RoundTrips, RoundTripBatch, RoundTripBatch, opts.RoundTrips))
		if err != nil {
			return res, err
		}
	}
	if opts.Idle > 0 {
		before, err := t.metrics()
		if err != nil {
			return res, err
		}
		start := time.Now()
		time.Sleep(opts.Idle)
		after, err := t.metrics()
		if err != nil {
			return res, err
		}
		res.Idle = &Idle{
			Seconds:  time.Since(start).Seconds(),
			TaskMs:   (after["TaskDuration"] - before["TaskDuration"]) * 1000,
			ScriptMs: (after["ScriptDuration"] - before["ScriptDuration"]) * 1000,
		}
	}
	res.account(t.requests(), pages.SDKPrefix(sdk))
	return res, nil
}

// awaitEmbed waits for the embed recorded in the page object at path to
// settle and for its token to reach the embedded page, and returns its
// timeline.
func awaitEmbed(t *tab, path string) (Timeline, error) {
	token, err := t.nextToken(embedTimeout)
	if err != nil {
		// Say what the page knows: a rejection explains a missing token.
		if raw, e := eval[json.RawMessage](t, `JSON.stringify(`+path+` || null)`); e == nil {
			return Timeline{}, fmt.Errorf("%w (page marks: %s)", err, raw)
		}
		return Timeline{}, err
	}
	raw, err := waitFor(t, `(`+path+`.resolved || `+path+`.error) && JSON.stringify(`+path+`)`, embedTimeout)
	if err != nil {
		return Timeline{}, err
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return Timeline{}, err
	}
	var m marks
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return Timeline{}, err
	}
	return m.timeline(token)
}

// account sums the SDK's bytes from the tab's network events and finds the
// embedded document's time to first byte.
func (r *RunResult) account(reqs []request, sdkPrefix string) {
	encodings := map[string]bool{}
	for _, q := range reqs {
		switch {
		case strings.HasPrefix(q.url, sdkPrefix):
			r.SDKWireBytes += q.wireBytes
			file, _, _ := strings.Cut(q.url[len(sdkPrefix):], "?")
			if !slices.Contains(r.SDKFiles, file) {
				r.SDKFiles = append(r.SDKFiles, file)
			}
			enc := q.encoding
			if enc == "" {
				enc = "identity"
			}
			// These would make the byte count wrong; say so next to it.
			switch {
			case q.failed:
				enc += " (failed)"
			case !q.finished:
				enc += " (unfinished)"
			case q.fromCache:
				enc += " (from cache)"
			}
			encodings[enc] = true
		case q.typ == network.ResourceTypeDocument && strings.Contains(q.url, "/embedded/") && q.headers > 0 && r.EmbeddedTTFBMs == 0:
			r.EmbeddedTTFBMs = (q.headers - q.sent) * 1000
		}
	}
	for enc := range encodings {
		r.SDKEncodings = append(r.SDKEncodings, enc)
	}
}
