package e2e

import "testing"

func TestScratchDemoEvents(t *testing.T) {
	_, devApp := makeDevWorld(t)
	ctx := newTab(t)
	navigate(t, ctx, devApp+"/")
	waitTop(t, ctx, `document.body.dataset.state === "embedded"`)
	waitTop(t, ctx, `document.querySelectorAll("#event-feed li").length >= 18`)
	var s []string
	eval(t, ctx, `[...document.querySelectorAll("#event-feed li")].map(l => l.textContent.slice(0, 160)).reverse()`, &s)
	for _, l := range s { t.Log(l) }
}
