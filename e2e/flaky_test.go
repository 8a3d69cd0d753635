package e2e

import (
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// TestRefreshNetworkFlapping: for 30 s the network goes off and on every
// 3 s, with 8 s tokens fetched from the host app's backend. No unhandled
// rejection reaches the host page, no retry storm hits the backend, no
// token is delivered already expired, and the dashboard keeps refreshing
// once the network stays.
func TestRefreshNetworkFlapping(t *testing.T) {
	kitFaults(t, devserver.Faults{TokenLifetime: 8 * time.Second})
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, `kit.calls = 0; kit.unhandled = [];
		window.addEventListener("unhandledrejection", (e) => kit.unhandled.push(String(e.reason)));
		window.fetchToken = () => { kit.calls++; return kit.strictFetch(); };
		true`, nil)
	eval(t, ctx, embedJS(`debug: true,`)+`.then(() => { kit.record(window.dash, "tokenRefreshed"); kit.record(window.dash, "tokenError"); return true; })`, nil)
	t.Cleanup(func() { kitSetOffline(t, ctx, false) })
	for range 5 {
		kitSetOffline(t, ctx, true)
		time.Sleep(3 * time.Second)
		kitSetOffline(t, ctx, false)
		time.Sleep(3 * time.Second)
	}
	before := len(kitRecorded(t, ctx, "tokenRefreshed", ""))
	kitWaitEvents(t, ctx, "tokenRefreshed", "", before+1, 6*time.Second)

	var unhandled []string
	eval(t, ctx, `kit.unhandled`, &unhandled)
	if len(unhandled) != 0 {
		t.Errorf("unhandled rejections on the host page: %q", unhandled)
	}
	// One fetch per 5 s cycle, plus at most one catch-up per return of the
	// network and a retry or two.
	if n := kitCount(t, ctx, `kit.calls`); n > 36/5+5+3 {
		t.Errorf("%d fetchGuestToken calls in 36 s of flapping: a retry storm", n)
	}
	for _, ev := range kitRecorded(t, ctx, "tokenRefreshed", "") {
		exp, _ := ev.Detail["exp"].(float64)
		if ev.At >= exp*1000 {
			t.Errorf("a token delivered at %.0f had expired at %.0f", ev.At, exp*1000)
		}
	}
}
