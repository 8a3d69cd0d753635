package browser

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/internal/chromium"
)

// SoakOptions shape a long run of one embedded dashboard.
type SoakOptions struct {
	// Duration is how long the dashboard stays embedded after warming up.
	Duration time.Duration
	// Lifetime is the guest tokens' lifetime, as the BI host mints them.
	Lifetime time.Duration
	// FlapEvery and FlapFor take the tab offline for FlapFor every
	// FlapEvery (none when FlapEvery is zero).
	FlapEvery, FlapFor time.Duration
}

// SoakResult is what a long session did to the page and to the tokens.
type SoakResult struct {
	SDK      string  `json:"sdk"`
	Seconds  float64 `json:"seconds"`
	Lifetime float64 `json:"lifetime_s"`
	Flaps    int     `json:"flaps"`
	// Tokens counts the tokens the dashboard's document received after
	// the warm-up, as the document itself saw them. Late counts those that
	// came after the one before had expired; Unprotected is how long, in
	// all, the document held no valid token (gaps, and from the last
	// token's expiry to the end); MaxGap is the longest wait between two,
	// in milliseconds. Expiry is the token's exp claim against the
	// browser's clock (the BI host and the browser share the machine's).
	Tokens      int     `json:"tokens"`
	Late        int     `json:"late"`
	Unprotected float64 `json:"unprotected_ms"`
	MaxGap      float64 `json:"max_gap_ms"`
	// JS heap and wasm memory after garbage collection, once warmed up and
	// at the end.
	HeapBefore float64 `json:"heap_before"`
	HeapAfter  float64 `json:"heap_after"`
	WasmBefore float64 `json:"wasm_before"`
	WasmAfter  float64 `json:"wasm_after"`
	// WasmTrace and HeapTrace are the wasm memory and the JS heap (after
	// garbage collection) after each flap: a step once a heap finds its
	// size, or a slope if something grows. GoValues is the number of
	// JavaScript values the SDK's Go holds after each flap (none for an
	// SDK without Go), from a heap snapshot: what a leak through Go would
	// show first.
	// LiveTrace is the size of the objects the page keeps alive, from the
	// same snapshot (see tab.heapFigures): the JS heap's used size also moves
	// with the allocator's pages and compiled code, by tens of KB.
	WasmTrace []float64 `json:"wasm_trace"`
	HeapTrace []float64 `json:"heap_trace"`
	GoValues  []int     `json:"go_values,omitempty"`
	LiveTrace []float64 `json:"live_trace"`
}

// soakWarmup lets the first refreshes run before the baseline, so that
// one-time allocations are not counted as growth.
const soakWarmup = 30 * time.Second

// soakBinding is the function soakProbe calls to report a token.
const soakBinding = "__dashembedBenchSoakToken"

// soakProbe reports, from inside each embedded document, every guest token
// the document receives (the mock page counts them in body[data-token-count]
// and shows the exp claim in #token-status[data-exp]): when it came, in
// epoch milliseconds, and its exp claim, in seconds.
const soakProbe = `(() => {
  if (!/^\/embedded\//.test(location.pathname)) return;
  let seen = 0;
  new MutationObserver(() => {
    const count = Number(document.body && document.body.dataset.tokenCount);
    if (!(count > seen)) return;
    seen = count;
    const status = document.getElementById('token-status');
    ` + soakBinding + `(JSON.stringify({ at: performance.timeOrigin + performance.now(), exp: Number(status && status.dataset.exp) || 0 }));
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-token-count'] });
})();`

// soakToken is one report of soakProbe.
type soakToken struct {
	At  float64 `json:"at"`  // epoch milliseconds
	Exp float64 `json:"exp"` // epoch seconds
}

// Soak keeps one dashboard embedded for opts.Duration on loopback, the
// network flapping, and records every token the dashboard receives and the
// page's memory after each flap.
func (b *Browser) Soak(pages Pages, sdk string, opts SoakOptions) (SoakResult, error) {
	res := SoakResult{SDK: sdk, Seconds: opts.Duration.Seconds(), Lifetime: opts.Lifetime.Seconds()}
	t, err := b.newTab(Loopback, opts.Duration+soakWarmup+5*time.Minute)
	if err != nil {
		return res, err
	}
	defer t.cancel()
	var mu sync.Mutex
	var tokens []soakToken
	if err := chromedp.Listen(t.ctx, func(ev any) {
		if c, ok := ev.(*runtime.EventBindingCalled); ok && c.Name == soakBinding {
			var tok soakToken
			if json.Unmarshal([]byte(c.Payload), &tok) == nil {
				mu.Lock()
				tokens = append(tokens, tok)
				mu.Unlock()
			}
		}
	}); err != nil {
		return res, err
	}
	if err := chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: soakBinding, ExecutionContextName: worldName}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: soakProbe, WorldName: worldName})
		return err
	})); err != nil {
		return res, err
	}
	if err := t.openHostPage(pages, sdk); err != nil {
		return res, err
	}
	if _, err := eval[bool](t, `bench.embed('mount', {}).then((d) => { bench.md = d; return true; })`); err != nil {
		return res, err
	}
	sleep := func(d time.Duration) error {
		select {
		case <-time.After(d):
			return nil
		case <-t.ctx.Done():
			return t.ctx.Err()
		}
	}
	if err := sleep(soakWarmup); err != nil {
		return res, err
	}
	start := float64(time.Now().UnixMilli())
	before, err := t.heap()
	if err != nil {
		return res, err
	}
	res.HeapBefore = before.UsedSize
	if res.WasmBefore, err = eval[float64](t, `bench.wasmBytes()`); err != nil {
		return res, err
	}

	end := time.Now().Add(opts.Duration)
	for time.Now().Before(end) {
		if opts.FlapEvery <= 0 || time.Until(end) < opts.FlapEvery+opts.FlapFor {
			if err := sleep(time.Until(end)); err != nil {
				return res, err
			}
			break
		}
		if err := sleep(opts.FlapEvery); err != nil {
			return res, err
		}
		if err := t.setOffline(true); err != nil {
			return res, err
		}
		err := sleep(opts.FlapFor)
		if oerr := t.setOffline(false); oerr != nil {
			return res, oerr
		}
		if err != nil {
			return res, err
		}
		res.Flaps++
		wasm, err := eval[float64](t, `bench.wasmBytes()`)
		if err != nil {
			return res, err
		}
		res.WasmTrace = append(res.WasmTrace, wasm)
		heap, err := t.heap()
		if err != nil {
			return res, err
		}
		res.HeapTrace = append(res.HeapTrace, heap.UsedSize)
		n, hasGo, live, err := t.heapFigures()
		if err != nil {
			return res, err
		}
		if hasGo {
			res.GoValues = append(res.GoValues, n)
		}
		res.LiveTrace = append(res.LiveTrace, live)
	}
	stop := float64(time.Now().UnixMilli())
	after, err := t.heap()
	if err != nil {
		return res, err
	}
	res.HeapAfter = after.UsedSize
	if res.WasmAfter, err = eval[float64](t, `bench.wasmBytes()`); err != nil {
		return res, err
	}
	mu.Lock()
	defer mu.Unlock()
	res.scoreTokens(tokens, start, stop)
	return res, nil
}

// scoreTokens fills the token figures from the tokens the dashboard
// received, for the window [start, stop] in epoch milliseconds: tokens
// before start count only as the one the window begins with.
func (r *SoakResult) scoreTokens(tokens []soakToken, start, stop float64) {
	var held *soakToken
	for i := range tokens {
		tok := &tokens[i]
		if tok.At < start {
			held = tok
			continue
		}
		r.Tokens++
		if held != nil {
			r.MaxGap = max(r.MaxGap, tok.At-held.At)
			if expired := held.Exp * 1000; tok.At > expired {
				r.Late++
				r.Unprotected += tok.At - max(expired, start)
			}
		}
		held = tok
	}
	if held == nil {
		r.Unprotected = stop - start
	} else if expired := held.Exp * 1000; stop > expired {
		r.Unprotected += stop - max(expired, start)
	}
}

// setOffline takes the tab's network off or back on.
func (t *tab) setOffline(offline bool) error {
	return chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromium.SetOffline(ctx, tg, offline)
	}))
}
