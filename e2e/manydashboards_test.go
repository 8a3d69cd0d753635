package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestManyDashboardsRefresh: eight dashboards on one page, each with its
// own fetchGuestToken and 8 s tokens, for 25 s. Each refreshes on time
// (5 s after its token arrived, well before it expires), once per cycle,
// and the page's main thread has no long task meanwhile.
func TestManyDashboardsRefresh(t *testing.T) {
	const n = 8
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	eval(t, ctx, `kit.calls = {}; kit.longTasks = 0;
		new PerformanceObserver((list) => { kit.longTasks += list.getEntries().length; }).observe({type: "longtask"});
		true`, nil)
	var embeds []string
	for i := range n {
		name := "d" + strconv.Itoa(i)
		embeds = append(embeds, kitEmbed("grow", sid, "mount"+name, name,
			`() => { (kit.calls["`+name+`"] = kit.calls["`+name+`"] || []).push(Date.now()); return kit.token(8); }`, `id: "`+name+`",`))
	}
	eval(t, ctx, `Promise.all([`+strings.Join(embeds, ",")+`]).then(() => true)`, nil)
	eval(t, ctx, `kit.longTasks = 0; true`, nil) // count from here: mounting eight iframes may take long
	time.Sleep(25 * time.Second)

	var calls map[string][]float64
	eval(t, ctx, `kit.calls`, &calls)
	if len(calls) != n {
		t.Fatalf("%d dashboards fetched tokens, want %d", len(calls), n)
	}
	for name, times := range calls {
		if len(times) < 5 || len(times) > 7 {
			t.Errorf("%s: %d fetches in 25 s of 8 s tokens, want 5 or 6 (one per 5 s cycle)", name, len(times))
		}
		for i := 1; i < len(times); i++ {
			// Upstream's schedule: max(10 s, lifetime) − 5 s, well before
			// the 8 s token expires.
			if gap := times[i] - times[i-1]; gap < 4500 || gap > 6000 {
				t.Errorf("%s: fetch %d came %.0f ms after the one before, want about 5000", name, i, gap)
			}
		}
	}
	if long := kitCount(t, ctx, `kit.longTasks`); long != 0 {
		t.Errorf("%d long tasks on the host page while %d dashboards refreshed", long, n)
	}
}
