package e2e

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/internal/chromium"
)

// kitRefreshLine is the SDK's debug line announcing the refresh schedule.
var kitRefreshLine = regexp.MustCompile(`\[dashboard ([^\]]+)\] next guest token in (\d+) ms`)

// kitSchedules returns, per dashboard id, the refresh delays the SDK
// announced in its debug log, in order.
func kitSchedules(t *testing.T, ctx context.Context) map[string][]time.Duration {
	t.Helper()
	var lines []string
	eval(t, ctx, `kit.debug`, &lines)
	out := map[string][]time.Duration{}
	for _, l := range lines {
		if m := kitRefreshLine.FindStringSubmatch(l); m != nil {
			ms, _ := strconv.Atoi(m[2])
			out[m[1]] = append(out[m[1]], time.Duration(ms)*time.Millisecond)
		}
	}
	return out
}

func kitCount(t *testing.T, ctx context.Context, expr string) int {
	t.Helper()
	var n int
	eval(t, ctx, expr, &n)
	return n
}

// TestRefreshSkewedToken: the browser's clock disagrees with the BI host's
// by hours. A fresh 300 s token then looks long expired (browser ahead) or
// good for far too long (browser behind). Either way the refresh comes
// 295 s after the token arrived: no refresh loop, no tokenError.
func TestRefreshSkewedToken(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, `Math.random = () => 0; kit.calls = {ahead: 0, behind: 0}; true`, nil)
	sid := kitSession(t)
	eval(t, ctx, `Promise.all([
		`+kitEmbed("grow", sid, "mount", "ahead", `() => { kit.calls.ahead++; return kit.token(300, -2 * 3600); }`, `id: "ahead", debug: true,`)+`,
		`+kitEmbed("grow", sid, "mount2", "behind", `() => { kit.calls.behind++; return kit.token(300, 15 * 60); }`, `id: "behind", debug: true,`)+`,
	]).then(() => {
		for (const name of ["ahead", "behind"]) {
			kit.record(window[name], "tokenError", name);
			kit.record(window[name], "error", name);
		}
		return true;
	})`, nil)
	time.Sleep(3 * time.Second)
	schedules := kitSchedules(t, ctx)
	for _, name := range []string{"ahead", "behind"} {
		if n := kitCount(t, ctx, `kit.calls.`+name); n != 1 {
			t.Errorf("browser %s: fetchGuestToken called %d times in 3 s, want once", name, n)
		}
		for _, ev := range []string{"tokenError", "error"} {
			if evs := kitRecorded(t, ctx, ev, name); len(evs) != 0 {
				t.Errorf("browser %s: %s %v for a fresh token", name, ev, evs[0].Detail)
			}
		}
		s := schedules[name]
		if len(s) != 1 || s[0] < 294*time.Second || s[0] > 296*time.Second {
			t.Errorf("browser %s: refreshes scheduled in %v, want one in 295 s (exp − iat − 5 s)", name, s)
		}
	}
}

// kitSetOffline switches the tab's network, and navigator.onLine with its
// online/offline events, off or back on.
func kitSetOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromium.SetOffline(ctx, tg, offline)
	}))
	if err != nil {
		t.Fatalf("setting offline=%v: %v", offline, err)
	}
}

// TestRefreshWaitsWhileOffline: a refresh that falls due while the browser
// is offline does not fetch (it could only fail); going online fetches at
// once.
func TestRefreshWaitsWhileOffline(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, `kit.calls = 0; kit.callTimes = [];
		window.addEventListener("offline", () => kit.events.push({name: "offline", tag: "", detail: null, at: Date.now()}));
		window.addEventListener("online", () => kit.events.push({name: "online", tag: "", detail: null, at: Date.now()}));
		true`, nil)
	// 8 s tokens: the refresh falls due 5 s after the first one.
	eval(t, ctx, kitEmbed("grow", sid, "mount", "dash", `() => { kit.calls++; kit.callTimes.push(Date.now()); return kit.token(8); }`, `debug: true,`), nil)
	t.Cleanup(func() { kitSetOffline(t, ctx, false) })
	kitSetOffline(t, ctx, true)
	waitTop(t, ctx, `navigator.onLine === false`)
	kitWaitEvents(t, ctx, "offline", "", 1, 2*time.Second)

	// Past the due time, with a margin.
	time.Sleep(6500 * time.Millisecond)
	if n := kitCount(t, ctx, `kit.calls`); n != 1 {
		t.Errorf("fetchGuestToken called %d times while offline, want only the first call", n)
	}
	var online int64
	eval(t, ctx, `Date.now()`, &online)
	kitSetOffline(t, ctx, false)
	waitTop(t, ctx, `navigator.onLine === true`)
	deadline := time.Now().Add(3 * time.Second)
	for kitCount(t, ctx, `kit.calls`) < 2 {
		if time.Now().After(deadline) {
			var lines []string
			eval(t, ctx, `kit.debug`, &lines)
			t.Fatalf("no fetch within 3 s of going online; SDK log: %q", lines)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var times []float64
	eval(t, ctx, `kit.callTimes`, &times)
	if lag := times[1] - float64(online); lag > 1000 {
		t.Errorf("the overdue refresh came %.0f ms after going online, want at once", lag)
	}
	time.Sleep(300 * time.Millisecond)
	if n := kitCount(t, ctx, `kit.calls`); n != 2 {
		t.Errorf("%d fetches after going online, want exactly one", n-1)
	}
	waitFrame(t, ctx, kitDomain("grow"), `Number(document.body.dataset.tokens) >= 2`)
}

// TestRefreshSharedFetch: two dashboards on one page with the same
// fetchGuestToken function ask the backend once per refresh cycle.
func TestRefreshSharedFetch(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, `kit.calls = 0;
		window.sharedFetch = () => { kit.calls++; return new Promise((r) => setTimeout(() => r(kit.token(8)), 300)); };
		true`, nil)
	eval(t, ctx, `Promise.all([
		`+kitEmbed("grow", sid, "mount", "a", `window.sharedFetch`, `id: "a",`)+`,
		`+kitEmbed("grow", sid, "mount2", "b", `window.sharedFetch`, `id: "b",`)+`,
	]).then(() => { kit.record(window.a, "tokenRefreshed", "a"); kit.record(window.b, "tokenRefreshed", "b"); return true; })`, nil)
	if n := kitCount(t, ctx, `kit.calls`); n != 1 {
		t.Errorf("%d fetchGuestToken calls for two dashboards mounted together, want 1", n)
	}
	kitWaitEvents(t, ctx, "tokenRefreshed", "a", 1, 9*time.Second)
	kitWaitEvents(t, ctx, "tokenRefreshed", "b", 1, 2*time.Second)
	if n := kitCount(t, ctx, `kit.calls`); n != 2 {
		t.Errorf("%d fetchGuestToken calls after one refresh cycle of two dashboards, want 2 (one per cycle)", n)
	}
	for _, id := range []string{"a", "b"} {
		waitFrame(t, ctx, kitDomain("grow")+"/embedded/"+id, `Number(document.body.dataset.tokens) >= 2`)
	}
	// A different function is a different backend call.
	eval(t, ctx, `kit.other = 0; `+kitEmbed("grow", sid, "m3", "c", `() => { kit.other++; return window.sharedFetch(); }`, `id: "c",`), nil)
	if n := kitCount(t, ctx, `kit.calls`); n != 3 {
		t.Errorf("a third dashboard with its own function: %d calls in all, want 3", n)
	}
}
