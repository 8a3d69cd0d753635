package e2e

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// The page's lifecycle as a laptop lives it: the machine sleeps (the wall
// clock jumps while timers stand still), the browser freezes the page, the
// tab is hidden and its timers throttled.

// lifecycleFetch counts fetchGuestToken calls in kit.calls, with the page's
// running time of each in kit.callTimes, and mints tokens living lifetime
// seconds.
func lifecycleFetch(lifetime string) string {
	return `() => { kit.calls++; kit.callTimes.push(performance.now()); return kit.token(` + lifetime + `); }`
}

// kitWaitCalls waits until kit.calls reaches n.
func kitWaitCalls(t *testing.T, ctx context.Context, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for kitCount(t, ctx, `kit.calls`) < n {
		if time.Now().After(deadline) {
			var lines []string
			eval(t, ctx, `kit.debug.concat(["document.hidden: " + document.hidden])`, &lines)
			t.Fatalf("fetchGuestToken called %d times after %v, want %d; SDK log: %q", kitCount(t, ctx, `kit.calls`), within, n, lines)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kitWaitLog waits until the SDK's debug log has n lines containing text.
func kitWaitLog(t *testing.T, ctx context.Context, text string, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for kitCount(t, ctx, `kit.debug.filter((l) => l.includes(`+strconv.Quote(text)+`)).length`) < n {
		if time.Now().After(deadline) {
			var lines []string
			eval(t, ctx, `kit.debug.concat(["document.hidden: " + document.hidden])`, &lines)
			t.Fatalf("%d log lines with %q after %v, want %d; SDK log: %q", kitCount(t, ctx, `kit.debug.filter((l) => l.includes(`+strconv.Quote(text)+`)).length`), text, within, n, lines)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestLifecycleClockJump: the machine sleeps ten minutes with 12 s tokens.
// Sleep is played by moving the page's wall clock (Date, which the SDK's
// clock reads) ten minutes on while its timers and performance.now() stand
// still, as after a real sleep. The SDK fetches a token within 2 s, once,
// instead of waiting 7 s for its refresh timer.
func TestLifecycleClockJump(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, `kit.calls = 0; kit.callTimes = [];
		(() => {
			const RealDate = Date;
			let shift = 0;
			class Shifted extends RealDate {
				constructor(...a) { if (a.length) super(...a); else super(RealDate.now() + shift); }
				static now() { return RealDate.now() + shift; }
			}
			window.Date = Shifted;
			kit.jump = (ms) => { shift += ms; return performance.now(); };
		})();
		true`, nil)
	eval(t, ctx, kitEmbed("grow", kitSession(t), "mount", "dash", lifecycleFetch("12"), `debug: true,`), nil)
	time.Sleep(500 * time.Millisecond)
	var jumpedAt float64
	eval(t, ctx, `kit.jump(10 * 60 * 1000)`, &jumpedAt)
	kitWaitCalls(t, ctx, 2, 2*time.Second)
	waitFrame(t, ctx, kitDomain("grow"), `Number(document.body.dataset.tokens) >= 2`)
	checkRecovery(t, ctx, jumpedAt, "the clock jumped")
}

// checkRecovery checks that the second fetchGuestToken call came within
// 2 s of since (the page's running time, in ms) and that no third followed.
func checkRecovery(t *testing.T, ctx context.Context, since float64, event string) {
	t.Helper()
	var times []float64
	eval(t, ctx, `kit.callTimes`, &times)
	if lag := times[1] - since; lag > 2000 {
		t.Errorf("the refresh came %.0f ms after %s, want within 2 s", lag, event)
	}
	time.Sleep(time.Second)
	if n := kitCount(t, ctx, `kit.calls`); n != 2 {
		t.Errorf("%d fetchGuestToken calls after %s, want 2 (one for the recovery)", n, event)
	}
}

// setLifecycle freezes the tab or makes it active again.
func setLifecycle(t *testing.T, ctx context.Context, state page.SetWebLifecycleStateState) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetWebLifecycleState, page.SetWebLifecycleStateParams{State: state})
		return err
	}))
	if err != nil {
		t.Fatalf("setting the page's lifecycle state to %s: %v", state, err)
	}
}

// TestLifecycleFreezeResume: the page is frozen past its 8 s token's
// expiry; once it resumes, the dashboard holds a fresh token within 2 s,
// with one fetchGuestToken call for the recovery.
func TestLifecycleFreezeResume(t *testing.T) {
	ctx := newTab(t)
	// A visible page is the case here (a hidden one has its own test): a
	// tab opened after others may start in the background, and a tab
	// another test opens meanwhile takes the front. A frozen tab resumes
	// when its user comes back to it: in front again.
	toFront(t, ctx)
	openKit(t, ctx)
	waitTop(t, ctx, `document.hidden === false`)
	eval(t, ctx, `kit.calls = 0; kit.callTimes = [];
		document.addEventListener("resume", () => { kit.resumedAt = performance.now(); });
		kit.hiddenAtStart = document.hidden;
		true`, nil)
	eval(t, ctx, kitEmbed("grow", kitSession(t), "mount", "dash", lifecycleFetch("8"), `debug: true,`), nil)
	t.Cleanup(func() { setLifecycle(t, ctx, page.SetWebLifecycleStateStateActive) })
	setLifecycle(t, ctx, page.SetWebLifecycleStateStateFrozen)
	time.Sleep(10 * time.Second)
	setLifecycle(t, ctx, page.SetWebLifecycleStateStateActive)
	toFront(t, ctx)
	kitWaitCalls(t, ctx, 2, 2*time.Second)
	// The frame's own count cannot be read here: a resumed page's frames
	// drop out of the driver's frame tree. The SDK's log says it sent it.
	kitWaitLog(t, ctx, "sent guest token", 2, 5*time.Second)
	var resumed float64
	eval(t, ctx, `kit.resumedAt || 0`, &resumed)
	if resumed == 0 {
		t.Fatal("the page heard no resume event: the freeze did not happen")
	}
	checkRecovery(t, ctx, resumed, "resuming")
}

// toFront brings ctx's tab to the front: a tab opened after others may
// start in the background.
func toFront(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("bringing the tab to the front: %v", err)
	}
}

// hideTab hides ctx's tab behind a new tab in the foreground of the same
// window; closing that tab shows it again.
func hideTab(t *testing.T, ctx context.Context) (show func()) {
	t.Helper()
	b := chromedp.FromContext(ctx).Browser
	no := false
	res, err := cdp.Call(ctx, b, target.CreateTarget, target.CreateTargetParams{URL: "about:blank", NewWindow: &no, Background: &no})
	if err != nil {
		t.Fatalf("opening a tab in front: %v", err)
	}
	closed := false
	return func() {
		if !closed {
			closed = true
			_, _ = cdp.Call(ctx, b, target.CloseTarget, target.CloseTargetParams{TargetID: res.TargetID})
		}
	}
}

// TestLifecycleHiddenTab: in a hidden tab, where Chromium runs timers at
// most once a second, 12 s tokens are each replaced before they expire for
// 40 s, without extra fetches.
func TestLifecycleHiddenTab(t *testing.T) {
	ctx := newTab(t)
	// Embedded in a visible tab, then hidden: the SDK knows since when.
	toFront(t, ctx)
	openKit(t, ctx)
	waitTop(t, ctx, `document.hidden === false`)
	eval(t, ctx, `kit.calls = 0; kit.callTimes = []; kit.wall = [];
		kit.visibility = [];
		document.addEventListener("visibilitychange", () => kit.visibility.push(document.hidden));
		true`, nil)
	eval(t, ctx, kitEmbed("grow", kitSession(t), "mount", "dash",
		`() => { kit.calls++; kit.wall.push(Date.now()); return kit.token(12); }`, `debug: true,`), nil)
	show := hideTab(t, ctx)
	t.Cleanup(show)
	waitTop(t, ctx, `document.hidden === true`)
	time.Sleep(40 * time.Second)
	var wall []float64
	eval(t, ctx, `kit.wall`, &wall)
	if len(wall) < 6 {
		t.Fatalf("%d fetches in 40 s hidden with 12 s tokens, want about 7", len(wall))
	}
	if len(wall) > 9 {
		t.Errorf("%d fetches in 40 s hidden with 12 s tokens, want about 7", len(wall))
	}
	for i := 1; i < len(wall); i++ {
		// Each token is minted as fetched: it lives 12 s from its call.
		if gap := wall[i] - wall[i-1]; gap > 11500 {
			t.Errorf("fetch %d came %.0f ms after the one before: its token expired first in the hidden tab", i, gap)
		}
	}
	show()
	waitTop(t, ctx, `document.hidden === false`)
}
