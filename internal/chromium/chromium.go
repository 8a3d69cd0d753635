// Package chromium finds and launches the one headless Chromium that the
// end-to-end tests, the benchmarks and any other browser-driving tool of this
// module share.
//
// It exists so that the search path, the error a developer sees when the
// browser is missing, and the command-line flags are written once: a flag
// added for one caller (say, to keep Chromium off the network) then holds for
// every caller, and a caller that needs something different (the benchmark's
// timers running at full speed in hidden tabs) asks for it by name through an
// [Option] instead of copying the list.
package chromium

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// EnvVar names the environment variable that, when set, says which Chromium
// to run (a path or a name on PATH). It wins over the search of PATH, so that
// a developer with several browsers can pick one.
const EnvVar = "CHROMIUM"

// names are the executable names looked up on PATH, in order, when [EnvVar]
// is unset: Debian's and Ubuntu's packages, then Google's builds.
var names = []string{"chromium", "chromium-browser", "google-chrome", "chrome"}

// ErrNotFound is what [Find] returns (test with errors.Is) when no browser is
// found or $CHROMIUM names one that cannot be run. Its text says how to
// install one: callers report it and fail, never skip, since a browser test
// that skips passes for the wrong reason.
var ErrNotFound = errors.New("Chromium not found; install it (Debian: apt-get install -y chromium) or set " + EnvVar + " to its path")

// Find returns the path of the Chromium executable: $CHROMIUM if set,
// otherwise the first of chromium, chromium-browser, google-chrome and chrome
// found on PATH.
func Find() (string, error) {
	return find(os.Getenv(EnvVar), exec.LookPath)
}

// find is Find with the environment and PATH search injected, so that the
// unit test needs neither a browser nor a particular PATH.
func find(env string, lookPath func(string) (string, error)) (string, error) {
	if env != "" {
		p, err := lookPath(env)
		if err != nil {
			// The developer asked for this browser: saying why it cannot be
			// run beats silently falling back to another one.
			return "", fmt.Errorf("%s=%q cannot be run (%v): %w", EnvVar, env, err, ErrNotFound)
		}
		return p, nil
	}
	for _, name := range names {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Option changes how [Start] launches the browser, in the style of
// chromedp's allocator options.
type Option func(*config)

// config is what the options set.
type config struct {
	execPath     string
	noThrottling bool
}

// ExecPath runs the browser at path instead of calling [Find]. Callers that
// do slow work before launching (building the SDK) call Find first, to fail
// at once when there is no browser, and pass its result here.
func ExecPath(path string) Option {
	return func(c *config) { c.execPath = path }
}

// NoThrottling keeps timers and rendering at full speed in background and
// occluded tabs. Measurements want it: a headless window can count as
// hidden, and Chromium then aligns timers to 1 s. Tests must not have it by
// default, since the SDK's behaviour in a throttled hidden tab is itself
// something to test.
func NoThrottling() Option {
	return func(c *config) { c.noThrottling = true }
}

// flags is the single list of command-line flags, for a browser whose
// profile lives in profileDir. chromedp's defaults are not used, so that this
// list is the whole story.
func flags(c config, profileDir string) map[string]any {
	f := map[string]any{
		"headless": "new",
		// CI runs as root, where Chromium's sandbox refuses to start.
		"no-sandbox":  true,
		"disable-gpu": true,
		// No welcome page or "make me your default browser" prompt.
		"no-first-run":             true,
		"no-default-browser-check": true,
		// A fresh profile per launch: no cache, cookies or service workers
		// carried from one run into the next.
		"user-data-dir": profileDir,
		// This machine reaches nothing beyond loopback: without these,
		// Chromium keeps trying to call its own services, which costs time
		// and adds noise to measurements.
		"disable-background-networking": true,
		"disable-component-update":      true,
		"disable-sync":                  true,
		"disable-quic":                  true,
		"disable-features":              "Translate,MediaRouter,OptimizationHints",
	}
	if c.noThrottling {
		f["disable-background-timer-throttling"] = true
		f["disable-backgrounding-occluded-windows"] = true
		f["disable-renderer-backgrounding"] = true
	}
	return f
}

// Browser is one running headless Chromium with a profile of its own. Open a
// tab with chromedp.NewContext(b.Context()).
type Browser struct {
	ctx       context.Context
	cancel    func()
	version   string
	profile   string
	closeOnce sync.Once
	closeErr  error
}

// Start launches Chromium with a fresh temporary profile directory and waits
// until it answers. Cancelling parent stops the browser; call [Browser.Close]
// in any case, which also removes the profile.
func Start(parent context.Context, opts ...Option) (*Browser, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.execPath == "" {
		p, err := Find()
		if err != nil {
			return nil, err
		}
		c.execPath = p
	}
	profile, err := os.MkdirTemp("", "dashembed-chromium-")
	if err != nil {
		return nil, fmt.Errorf("creating Chromium's profile directory: %w", err)
	}
	allocOpts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(c.execPath)}
	for name, value := range flags(c, profile) {
		allocOpts = append(allocOpts, chromedp.Flag(name, value))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, allocOpts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{
		ctx: ctx,
		// The allocator's cancel waits for the process to exit, so the
		// profile is no longer in use when Close removes it.
		cancel:  func() { cancelCtx(); cancelAlloc() },
		profile: profile,
	}
	if err := chromedp.Do(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting Chromium (%s): %w", c.execPath, err)
	}
	v, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("asking Chromium its version: %w", err)
	}
	b.version = v.Product
	return b, nil
}

// Context is the browser's chromedp context: the parent of every tab.
func (b *Browser) Context() context.Context { return b.ctx }

// Version is the browser's product string, such as "Chrome/156.0.8078.79",
// for reports that say what they measured.
func (b *Browser) Version() string { return b.version }

// Close stops the browser and removes its profile directory. It is safe to
// call more than once and from several goroutines (an interrupt handler and
// the normal path); every call returns the first call's result.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		b.cancel()
		b.closeErr = removeProfile(b.profile)
	})
	return b.closeErr
}

// removeProfile removes dir, trying again for a few seconds: Chromium's
// helper processes (the crash handler) can still write there just after the
// browser has exited, which makes a single RemoveAll fail with "directory
// not empty".
func removeProfile(dir string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
