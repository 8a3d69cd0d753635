// Package browser drives headless Chromium through the benchmark's host
// page: cold and warm embeds, the getScrollSize round trip, idle CPU, and
// memory over repeated mount/unmount cycles. Every measurement runs in a
// fresh tab with the HTTP cache disabled.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os/exec"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium shared by every run; runs take turns,
// one tab at a time, so that they never compete for the two cores.
type Browser struct {
	ctx     context.Context
	cancel  func()
	version string
}

// FindChromium locates the browser: $CHROMIUM, else the usual names on PATH.
func FindChromium(env string) (string, error) {
	if env != "" {
		return env, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("bench: Chromium not found; install it (Debian: apt-get install -y chromium) or set CHROMIUM to its path")
}

// Start launches Chromium with a fresh profile in profileDir.
func Start(execPath, profileDir string) (*Browser, error) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profileDir),
		// Only loopback is reachable here: keep Chromium from trying its
		// own services, which would add noise to every measurement.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		// Each tab gets its own window, but a headless window can still be
		// treated as hidden; timers must run at full speed in every run.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelCtx()
		cancelAlloc()
	}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("bench: starting Chromium: %w", err)
	}
	v, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("bench: asking Chromium its version: %w", err)
	}
	return &Browser{ctx: ctx, cancel: cancel, version: v.Product}, nil
}

// Version is the browser's product string, such as "Chrome/156.0.8078.79".
func (b *Browser) Version() string { return b.version }

// Close stops Chromium.
func (b *Browser) Close() { b.cancel() }
