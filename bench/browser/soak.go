package browser

import (
	"context"
	"time"

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
	// Tokens counts the refreshed tokens delivered (tokenRefreshed); Late
	// those delivered after the one before had expired by the browser's
	// clock; MaxGap is the longest wait between two, in milliseconds.
	Tokens int     `json:"tokens"`
	Late   int     `json:"late"`
	MaxGap float64 `json:"max_gap_ms"`
	// JS heap and wasm memory after garbage collection, once warmed up and
	// at the end.
	HeapBefore float64 `json:"heap_before"`
	HeapAfter  float64 `json:"heap_after"`
	WasmBefore float64 `json:"wasm_before"`
	WasmAfter  float64 `json:"wasm_after"`
	// WasmTrace and HeapTrace are the wasm memory and the JS heap (after
	// garbage collection) after each flap: a step once a heap finds its
	// size, or a slope if something grows.
	WasmTrace []float64 `json:"wasm_trace"`
	HeapTrace []float64 `json:"heap_trace"`
}

// soakWarmup lets the first refreshes run before the baseline, so that
// one-time allocations are not counted as growth.
const soakWarmup = 30 * time.Second

// Soak keeps one dashboard embedded for opts.Duration on loopback, the
// network flapping, and records every token refresh and the page's memory
// before and after.
func (b *Browser) Soak(pages Pages, sdk string, opts SoakOptions) (SoakResult, error) {
	res := SoakResult{SDK: sdk, Seconds: opts.Duration.Seconds(), Lifetime: opts.Lifetime.Seconds()}
	t, err := b.newTab(Loopback, opts.Duration+soakWarmup+5*time.Minute)
	if err != nil {
		return res, err
	}
	defer t.cancel()
	if err := t.openHostPage(pages, sdk); err != nil {
		return res, err
	}
	// Each later token is announced by tokenRefreshed with its expiry by
	// the browser's clock; the page records when it came.
	if _, err := eval[bool](t, `bench.embed('mount', {}).then((d) => {
		bench.md = d;
		bench.soak = [];
		d.on('tokenRefreshed', (e) => bench.soak.push({at: Date.now(), exp: e.expiresAtMs}));
		return true;
	})`); err != nil {
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
	}
	after, err := t.heap()
	if err != nil {
		return res, err
	}
	res.HeapAfter = after.UsedSize
	if res.WasmAfter, err = eval[float64](t, `bench.wasmBytes()`); err != nil {
		return res, err
	}
	type refresh struct{ At, Exp float64 }
	refreshes, err := eval[[]refresh](t, `bench.soak`)
	if err != nil {
		return res, err
	}
	res.Tokens = len(refreshes)
	for i := 1; i < len(refreshes); i++ {
		res.MaxGap = max(res.MaxGap, refreshes[i].At-refreshes[i-1].At)
		if refreshes[i].At >= refreshes[i-1].Exp {
			res.Late++
		}
	}
	return res, nil
}

// setOffline takes the tab's network off or back on.
func (t *tab) setOffline(offline bool) error {
	return chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromium.SetOffline(ctx, tg, offline)
	}))
}
