// Package browser drives headless Chromium through the benchmark's host
// page: cold and warm embeds, the getScrollSize round trip, idle CPU, and
// memory over repeated mount/unmount cycles. Every measurement runs in a
// fresh tab with the HTTP cache disabled.
package browser

import (
	"context"
	"fmt"

	"github.com/dashembed/dashembed/internal/chromium"
)

// Browser is one headless Chromium shared by every run; runs take turns,
// one tab at a time, so that they never compete for the two cores.
type Browser struct {
	ctx    context.Context
	chrome *chromium.Browser
}

// Start launches the Chromium at execPath (see chromium.Find). Each tab gets
// its own window, but a headless window can still be treated as hidden:
// timers must run at full speed in every run, hence NoThrottling.
func Start(execPath string) (*Browser, error) {
	c, err := chromium.Start(context.Background(), chromium.ExecPath(execPath), chromium.NoThrottling())
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return &Browser{ctx: c.Context(), chrome: c}, nil
}

// Version is the browser's product string, such as "Chrome/156.0.8078.79".
func (b *Browser) Version() string { return b.chrome.Version() }

// Close stops Chromium and removes its profile. It may be called more than
// once, also concurrently (an interrupt and the normal path).
func (b *Browser) Close() { b.chrome.Close() }
