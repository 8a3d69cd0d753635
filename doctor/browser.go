package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/internal/chromium"
	"github.com/dashembed/dashembed/sdk/contract"
)

// sdkError is an error the SDK reported, by code.
type sdkError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// browserVerdict is what the synthetic host page reports: ready or an
// error, and the error events that came after.
type browserVerdict struct {
	State string `json:"state"`
	sdkError
	Errors []sdkError `json:"errors"`
}

// settle is how long the browser check keeps listening after the SDK said
// ready: the wasm loads behind a fast path, and its failure comes later.
const settle = 3 * time.Second

// consoleLog collects the tab's error messages, in order, without repeats.
type consoleLog struct {
	mu    sync.Mutex
	lines []string
}

// add records one message.
func (c *consoleLog) add(s string) {
	s = strings.TrimSpace(s)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.lines {
		if l == s {
			return
		}
	}
	c.lines = append(c.lines, s)
}

// all returns the messages so far.
func (c *consoleLog) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.lines...)
}

// checkBrowser is step 8: a headless Chromium opens a page that claims the
// host origin, embeds the dashboard with the SDK and the token of step 3,
// and reports what the SDK reports and what the console says.
func (r *run) checkBrowser(ctx context.Context, res *Result) {
	switch {
	case r.opts.NoBrowser:
		res.skip("left out (-no-browser)")
		return
	case r.token == "":
		res.skip("no guest token (step 3)")
		return
	case r.uuid == "":
		res.skip("the embedded UUID is unknown (step 4)")
		return
	}
	parent := r.opts.Browser
	if parent == nil {
		path, err := chromium.Find()
		if err != nil {
			res.skip("no browser on this machine, so this check did not run: " + err.Error())
			return
		}
		b, err := chromium.Start(ctx, chromium.ExecPath(path))
		if err != nil {
			res.fail("starting Chromium: "+err.Error(), "")
			return
		}
		defer b.Close()
		parent = b.Context()
	}
	tab, cancel := chromedp.NewContext(parent)
	defer cancel()
	tab, cancelTimeout := context.WithTimeout(tab, embedTimeoutMs*time.Millisecond+4*r.opts.Timeout)
	defer cancelTimeout()

	v, console, err := r.embedInTab(tab)
	if err != nil {
		res.fail("driving the browser: "+err.Error(), "")
		return
	}
	// A frame the browser refused (X-Frame-Options, frame-ancestors) shows
	// its own error page; a cross-site frame logs why in a console this
	// tab does not see, so the frame's URL is the sure sign.
	if frames, err := childFrameURLs(tab); err == nil {
		for _, u := range frames {
			if strings.HasPrefix(u, "chrome-error:") {
				res.fail("the browser refused to show the dashboard's page in the frame (it shows "+u+")", framingFix)
			}
		}
	}
	// The console tells what the SDK cannot see: a frame the browser
	// refused shows an error page, which may still look alive to it.
	for _, l := range console {
		if fix := consoleFix(l); fix != "" {
			res.fail("console: "+l, fix)
		} else {
			res.note(StatusOK, "console: "+l, "")
		}
	}
	if v.State != "ready" {
		res.fail(fmt.Sprintf("the SDK reported %s: %s", v.Code, v.Message), browserFix(v.Code))
		return
	}
	for _, e := range v.Errors {
		res.fail(fmt.Sprintf("after ready, the SDK reported %s: %s", e.Code, e.Message), browserFix(e.Code))
	}
	if res.Status == StatusFail {
		res.note(StatusFail, "the SDK resolved embedDashboard, but the lines above say the dashboard cannot work", "")
		return
	}
	res.ok(fmt.Sprintf("the SDK reported ready: the dashboard on %s holds the token, framed by %s", r.opts.BI, r.host))
}

// consoleFix names the fix for a console error that blanks an embed, or ""
// for other messages.
func consoleFix(line string) string {
	l := strings.ToLower(line)
	switch {
	case strings.Contains(l, "x-frame-options") || strings.Contains(l, "frame-ancestors") || strings.Contains(l, "refused to frame"):
		return framingFix
	case strings.Contains(l, "blocked by cors policy"):
		return "Send CORS headers on the SDK's files for the app's origin: see step 7."
	case strings.Contains(l, "/api/v1/") && (strings.Contains(l, "status of 401") || strings.Contains(l, "status of 403")):
		return "The dashboard's own API calls are refused with its guest token: see step 6."
	case strings.Contains(l, "content security policy"):
		return "The host page's Content-Security-Policy refuses something the SDK needs: allow the BI host in frame-src, and 'wasm-unsafe-eval' in script-src."
	}
	return ""
}

// embedInTab serves the synthetic page on the host origin by request
// interception, loads it, and waits for the SDK's verdict.
func (r *run) embedInTab(tab context.Context) (browserVerdict, []string, error) {
	var console consoleLog
	err := chromedp.Listen(tab, func(ev any) {
		switch e := ev.(type) {
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg := e.Entry.Text
				if e.Entry.URL != "" && !strings.Contains(msg, e.Entry.URL) {
					msg += " (" + e.Entry.URL + ")"
				}
				console.add(msg)
			}
		case *runtime.EventExceptionThrown:
			if d := e.ExceptionDetails; d != nil {
				msg := d.Text
				if d.Exception != nil && d.Exception.Description != "" {
					msg += " " + strings.SplitN(d.Exception.Description, "\n", 2)[0]
				}
				console.add(msg)
			}
		case *fetch.EventRequestPaused:
			// Answered on another goroutine: a listener must not send commands.
			go r.fulfill(tab, e)
		}
	})
	if err != nil {
		return browserVerdict{}, nil, err
	}
	// A page on a public origin that loads from a loopback or private
	// address needs the user's Local Network Access permission: grant it,
	// as a user of an intranet BI host would. Names differ by version;
	// unknown ones are refused and ignored.
	for _, name := range []string{"local-network-access", "local-network", "loopback-network"} {
		chromedp.CallBrowser(tab, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: r.host.String(),
		})
	}
	pattern := r.host.String() + "/*"
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}}); err != nil {
		return browserVerdict{}, nil, err
	}
	if _, err := chromedp.Call(tab, log.Enable, struct{}{}); err != nil {
		return browserVerdict{}, nil, err
	}
	if err := chromedp.Do(tab, chromedp.Navigate(r.host.String()+hostPagePath)); err != nil {
		return browserVerdict{}, nil, err
	}
	for {
		v, err := chromedp.Run(tab, chromedp.Evaluate[*browserVerdict](`window.__doctor || null`))
		if err != nil {
			return browserVerdict{}, console.all(), err
		}
		if v != nil && v.State == "ready" {
			time.Sleep(settle)
			if v, err = chromedp.Run(tab, chromedp.Evaluate[*browserVerdict](`window.__doctor`)); err != nil {
				return browserVerdict{}, console.all(), err
			}
		}
		if v != nil {
			// Framing errors are logged as the frame is refused, which can
			// come just after the SDK gave up: give them a moment.
			time.Sleep(200 * time.Millisecond)
			return *v, console.all(), nil
		}
		select {
		case <-tab.Done():
			return browserVerdict{}, console.all(), errors.New("the SDK reported nothing before the time limit")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// childFrameURLs lists the URLs of the frames inside the tab's page.
func childFrameURLs(tab context.Context) ([]string, error) {
	tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(t *page.FrameTree)
	walk = func(t *page.FrameTree) {
		for _, c := range t.ChildFrames {
			if c.Frame != nil {
				out = append(out, c.Frame.URL)
			}
			walk(c)
		}
	}
	walk(tree.FrameTree)
	return out, nil
}

// fulfill answers an intercepted request to the host origin.
func (r *run) fulfill(tab context.Context, e *fetch.EventRequestPaused) {
	p := "/"
	if u, err := url.Parse(e.Request.URL); err == nil {
		p = u.Path
	}
	status, ct, body := r.hostResponse(p)
	chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{
		RequestID:       e.RequestID,
		ResponseCode:    int64(status),
		ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: ct}, {Name: "Cache-Control", Value: "no-store"}},
		Body:            body,
	})
}

// framingFix is the fix for a frame the browser refused to show.
const framingFix = "The browser refused to frame the dashboard's page for this origin: fix what steps 4 and 5 report (allowed domains, X-Frame-Options, CSP frame-ancestors)."

// browserFix names where to look for each SDK error code.
func browserFix(code string) string {
	switch code {
	case contract.CodeHandshakeTimeout:
		return "The dashboard's page never answered the SDK: fix what steps 4 and 5 report (allowed domains, X-Frame-Options, CSP frame-ancestors), and check that supersetDomain is the BI host's address."
	case contract.CodeWasmLoadFailed:
		return "The SDK's wasm did not load: fix what step 7 reports (application/wasm, CORS), and if the host page sets a Content-Security-Policy, add 'wasm-unsafe-eval' to its script-src."
	case contract.CodeTokenInvalid, contract.CodeTokenFetchFailed:
		return "The SDK refused the guest token: fix what step 3 reports."
	case "SDK_NOT_LOADED":
		return "The SDK's script did not run: fix what step 7 reports, or point -sdk at the script the app loads."
	}
	return "Read the SDK's message and the console lines above."
}
