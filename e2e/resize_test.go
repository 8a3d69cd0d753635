package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// kitIframeHeight reads the embed's iframe height as the SDK set it, in px
// (0 when unset).
func kitIframeHeight(t *testing.T, ctx context.Context, mount string) float64 {
	t.Helper()
	var h string
	eval(t, ctx, `(document.querySelector("#`+mount+` iframe") || {style: {}}).style.height || ""`, &h)
	v, _ := strconv.ParseFloat(strings.TrimSuffix(h, "px"), 64)
	return v
}

// kitWaitHeight waits until the iframe in mount is want px high.
func kitWaitHeight(t *testing.T, ctx context.Context, mount string, want float64, why string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		got := kitIframeHeight(t, ctx, mount)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: iframe height %v px, want %v px", why, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kitSetContent sets the height of the test page's #content in the frame.
func kitSetContent(t *testing.T, ctx context.Context, frame string, px int) {
	t.Helper()
	if err := evalFrame(ctx, frame, `document.getElementById("content").style.height = "`+strconv.Itoa(px)+`px", true`, nil); err != nil {
		t.Fatalf("resizing the dashboard: %v", err)
	}
}

// TestResizeFollowsDashboard: with autoResize the iframe is as high as the
// dashboard, as it grows and shrinks, and each change is a resize event.
func TestResizeFollowsDashboard(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, kitEmbed("grow", sid, "mount", "dash", `() => kit.token(300)`, `autoResize: true,`)+
		`.then(() => { kit.record(window.dash, "resize"); return true; })`, nil)
	frame := kitDomain("grow")
	kitWaitHeight(t, ctx, "mount", 300, "first measurement")
	for _, px := range []int{700, 1250, 420} {
		kitSetContent(t, ctx, frame, px)
		kitWaitHeight(t, ctx, "mount", float64(px), "dashboard resized to "+strconv.Itoa(px)+" px")
	}
	evs := kitRecorded(t, ctx, "resize", "")
	var heights []float64
	for _, ev := range evs {
		h, _ := ev.Detail["height"].(float64)
		heights = append(heights, h)
		if w, _ := ev.Detail["width"].(float64); w <= 0 {
			t.Errorf("resize event %v without a width", ev.Detail)
		}
	}
	// The first measurement may land before the listener was added.
	want := []float64{700, 1250, 420}
	if len(heights) < len(want) || !kitEqualFloats(heights[len(heights)-len(want):], want) {
		t.Errorf("resize events with heights %v, want them to end with %v", heights, want)
	}
}

// TestResizeEqualSteps: a dashboard growing twice by the same amount (two
// chart rows of equal height loading one after the other) is followed both
// times.
func TestResizeEqualSteps(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, kitEmbed("grow", sid, "mount", "dash", `() => kit.token(300)`, `autoResize: true,`), nil)
	frame := kitDomain("grow")
	kitWaitHeight(t, ctx, "mount", 300, "first measurement")
	kitSetContent(t, ctx, frame, 700)
	kitWaitHeight(t, ctx, "mount", 700, "first row of 400 px")
	kitSetContent(t, ctx, frame, 1100)
	kitWaitHeight(t, ctx, "mount", 1100, "second row of 400 px")
}

func TestResizeBounds(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, kitEmbed("grow", sid, "mount", "dash", `() => kit.token(300)`, `autoResize: {minHeight: 350, maxHeight: 900},`), nil)
	frame := kitDomain("grow")
	kitWaitHeight(t, ctx, "mount", 350, "a 300 px dashboard with minHeight 350")
	kitSetContent(t, ctx, frame, 2000)
	kitWaitHeight(t, ctx, "mount", 900, "a 2000 px dashboard with maxHeight 900")
	kitSetContent(t, ctx, frame, 610)
	kitWaitHeight(t, ctx, "mount", 610, "a 610 px dashboard")
}

// TestResizeEchoStabilises: a page whose scroll height is always its
// viewport + 16 px would make a naive resizer grow the iframe by 16 px on
// every poll, for ever. The height must settle within a few polls.
func TestResizeEchoStabilises(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, kitEmbed("echo", sid, "mount", "dash", `() => kit.token(300)`, `autoResize: true,`), nil)
	// Four polls to settle, then watch four more.
	time.Sleep(2 * time.Second)
	settledAt := kitIframeHeight(t, ctx, "mount")
	polls := kitPageCalls.get(sid, "getScrollSize")
	time.Sleep(2 * time.Second)
	final := kitIframeHeight(t, ctx, "mount")
	t.Logf("echo page: %d polls, iframe settled at %v px, %v px two seconds later", kitPageCalls.get(sid, "getScrollSize"), settledAt, final)
	if settledAt == 0 {
		t.Fatal("the iframe was never resized")
	}
	if final != settledAt {
		t.Errorf("the iframe kept growing: %v px, then %v px two seconds later", settledAt, final)
	}
	if kitPageCalls.get(sid, "getScrollSize") <= polls {
		t.Errorf("polling stopped altogether; it should go on, ignoring the echo")
	}
	if final > 150+16*3 {
		t.Errorf("the iframe grew to %v px from 150 px, want at most a couple of 16 px steps", final)
	}
}

// TestResizePollingStops: the poll pauses while the iframe is scrolled out
// of view, resumes when it is back, and ends with unmount().
func TestResizePollingStops(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, `document.body.appendChild(Object.assign(document.createElement("div"), {id: "spacer", style: "height: 5000px"})); true`, nil)
	eval(t, ctx, kitEmbed("grow", sid, "mount", "dash", `() => kit.token(300)`, `autoResize: true, debug: true,`), nil)
	kitWaitHeight(t, ctx, "mount", 300, "first measurement")
	sdkPolls := func() int {
		var n int
		eval(t, ctx, `kit.debug.filter((l) => / get getScrollSize /.test(l)).length`, &n)
		return n
	}
	pagePolls := func() int { return kitPageCalls.get(sid, "getScrollSize") }

	// Polling while visible: about two a second.
	p0 := pagePolls()
	time.Sleep(1100 * time.Millisecond)
	if pagePolls()-p0 < 1 {
		t.Fatalf("no polls while the iframe is on screen")
	}

	eval(t, ctx, `window.scrollTo(0, 4000), true`, nil)
	time.Sleep(700 * time.Millisecond) // the observer reports; a poll in flight ends
	sdk, page := sdkPolls(), pagePolls()
	time.Sleep(1600 * time.Millisecond)
	if n := sdkPolls() - sdk; n != 0 {
		t.Errorf("%d getScrollSize calls sent while the iframe was out of view", n)
	}
	if n := pagePolls() - page; n > 0 {
		t.Errorf("the page got %d getScrollSize calls while out of view", n)
	}

	eval(t, ctx, `window.scrollTo(0, 0), true`, nil)
	deadline := time.Now().Add(2 * time.Second)
	for pagePolls() == page {
		if time.Now().After(deadline) {
			t.Fatal("polling did not resume when the iframe came back into view")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The dashboard changed while nobody watched: the iframe catches up.
	kitSetContent(t, ctx, kitDomain("grow"), 480)
	kitWaitHeight(t, ctx, "mount", 480, "after scrolling back")

	eval(t, ctx, `window.dash.unmount(), true`, nil)
	time.Sleep(100 * time.Millisecond)
	sdk, page = sdkPolls(), pagePolls()
	time.Sleep(1600 * time.Millisecond)
	if n := sdkPolls() - sdk; n != 0 {
		t.Errorf("%d getScrollSize calls sent after unmount()", n)
	}
	if n := pagePolls() - page; n != 0 {
		t.Errorf("the page got %d getScrollSize calls after unmount()", n)
	}
}

func kitEqualFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
