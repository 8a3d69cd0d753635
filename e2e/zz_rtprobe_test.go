//go:build rtprobe

package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestRTProbe(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate("http://127.0.0.1:9101/")); err != nil {
		t.Fatal(err)
	}
	waitTop(t, ctx, `document.getElementById("out").textContent.includes("mean")`)
	var out string
	eval(t, ctx, `document.getElementById("out").textContent`, &out)
	t.Log(out)
}
