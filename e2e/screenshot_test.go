package e2e

import (
	"bytes"
	"image"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

// screenshotPath is where DASHEMBED_SCREENSHOT=1 writes the picture of the
// demo page that the README shows.
var screenshotPath = filepath.Join("..", "docs", "demo.png")

// TestScreenshotDemoPage photographs the demo host app with its dashboard
// embedded. Every run checks that the picture is a real one; only
// DASHEMBED_SCREENSHOT=1 writes it to docs/demo.png, so that ordinary runs
// leave the tracked file alone.
func TestScreenshotDemoPage(t *testing.T) {
	devBI, devApp := makeDevWorld(t)
	frame := devBI + "/embedded/"
	ctx := newTab(t)
	// A fixed desktop viewport, so that the picture does not depend on the
	// machine that takes it.
	const width, height = 1360, 940
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, devApp+"/")
	waitTop(t, ctx, `document.body.dataset.state === "embedded"`)
	waitFrame(t, ctx, frame, `Number(document.body.dataset.tokenCount) >= 1 &&
		/holds a guest token/.test(document.getElementById("token-status").textContent)`)
	// Every chart of the visible tab has drawn its data.
	waitFrame(t, ctx, frame, `(() => {
		const charts = [...document.querySelectorAll(".chart")].filter((c) => !c.hidden);
		return charts.length > 0 && charts.every((c) => c.dataset.status === "ready" && c.querySelector("svg, table"));
	})()`)
	// The event feed has caught up with the token and the chart queries.
	waitTop(t, ctx, `document.getElementById("feed-status").textContent === "live" &&
		document.querySelectorAll("#event-feed .kind-token_minted").length >= 1 &&
		document.querySelectorAll("#event-feed li").length >= 4`)
	// Let the last layout and paint happen before the capture.
	eval(t, ctx, `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`, nil)

	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Errorf("the screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	if n := distinctColours(img, 256); n < 50 {
		t.Errorf("the screenshot has only %d distinct colours: a blank or failed page?", n)
	}

	if os.Getenv("DASHEMBED_SCREENSHOT") != "1" {
		t.Logf("took a %d-byte screenshot; set DASHEMBED_SCREENSHOT=1 to write it to %s", len(shot), screenshotPath)
		return
	}
	if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", screenshotPath, len(shot))
}

// makeDevWorld starts a BI host and a demo host app configured as `make
// dev` configures them (the dashboard allows only the host app's origin,
// whose page may open the event feed), so that the picture shows what a
// person sees there. The suite's shared BI host allows any origin and no
// event feed, for the other tests' sake. The SDK comes from the suite's
// build. When writing the picture, the two servers take `make dev`'s ports
// if they are free, so that the addresses on the page match the README's.
func makeDevWorld(t *testing.T) (bi, app string) {
	t.Helper()
	biAddr, appAddr := "127.0.0.1:0", "127.0.0.1:0"
	if os.Getenv("DASHEMBED_SCREENSHOT") == "1" {
		// Only for the picture: an ordinary run must not hold the ports a
		// developer's `make dev` wants.
		biAddr, appAddr = "127.0.0.1:8088", "127.0.0.1:8080"
	}
	biL, appL := listenPreferred(t, biAddr), listenPreferred(t, appAddr)
	bi, app = "http://"+biL.Addr().String(), "http://"+appL.Addr().String()

	cfg := devserver.DefaultConfig()
	cfg.Dashboards[0].AllowedDomains = []string{app}
	cfg.EventOrigins = []string{app}
	host, err := devserver.NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	biSrv := &httptest.Server{Listener: biL, Config: &http.Server{Handler: host}}
	biSrv.Start()
	t.Cleanup(func() {
		biSrv.Close()
		host.Close()
	})

	handler, err := hostapp.New(hostapp.Config{
		BIURL:       bi,
		DashboardID: devserver.DemoDashboardUUID,
		Username:    devserver.DemoUsername,
		Password:    devserver.DemoPassword,
		SDKURL:      biURL + "/static/assets/embedded.js",
	})
	if err != nil {
		t.Fatal(err)
	}
	appSrv := &httptest.Server{Listener: appL, Config: &http.Server{Handler: handler}}
	appSrv.Start()
	t.Cleanup(appSrv.Close)
	return bi, app
}

// listenPreferred listens on addr, or on any loopback port when addr is
// taken (a `make dev` running beside the tests, say).
func listenPreferred(t *testing.T, addr string) net.Listener {
	t.Helper()
	if l, err := net.Listen("tcp", addr); err == nil {
		return l
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// distinctColours counts the colours of img, stopping at limit; a page that
// failed to render is a few flat colours.
func distinctColours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	// Every fourth pixel in each direction is plenty to tell a real page
	// from a blank one.
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
