package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// eval runs a JavaScript expression in the tab's top document, awaiting it
// if it is a Promise, and decodes its value into out (may be nil).
func eval(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decoding the value of %s (%s): %v", expr, raw, err)
		}
	}
}

// rejection runs an expression that must reject and returns the rejection's
// message, prefixed with the error's name when it is not plain Error.
func rejection(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	var msg string
	eval(t, ctx, `(async () => (`+expr+`))().then(() => "resolved", (e) => (e && e.name && e.name !== "Error" ? e.name + ": " : "") + (e && e.message))`, &msg)
	if msg == "resolved" {
		t.Fatalf("%s resolved; it should have rejected", expr)
	}
	return msg
}

// navigate loads url in the tab.
func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigating to %s: %v", url, err)
	}
}

// open navigates the tab to the host app's blank page and waits for the SDK
// script to have run.
func open(t *testing.T, ctx context.Context) {
	t.Helper()
	navigate(t, ctx, hostURL+"/test/blank")
	waitTop(t, ctx, `typeof window.dashembed === "object"`)
}

// waitTop polls a boolean expression in the top document.
func waitTop(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (last error: %v)", expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// evalFrame runs an expression inside the first iframe whose URL starts with
// urlPrefix. The iframe is on another origin, out of the host page's reach,
// so the expression runs in an isolated world of that frame: it sees the
// frame's DOM (not its JavaScript globals).
func evalFrame(ctx context.Context, urlPrefix, expr string, out any) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		frame := findFrame(tree.FrameTree, urlPrefix)
		if frame == nil {
			return errors.New("no frame with URL " + urlPrefix)
		}
		world, err := cdp.Call(ctx, t, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame.ID, WorldName: "e2e"})
		if err != nil {
			return err
		}
		byValue := true
		res, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{
			Expression: expr, ContextID: world.ExecutionContextID, ReturnByValue: &byValue,
		})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			return errors.New("exception: " + res.ExceptionDetails.Text)
		}
		if out == nil || res.Result == nil || len(res.Result.Value) == 0 {
			return nil
		}
		return json.Unmarshal(res.Result.Value, out)
	}))
}

func findFrame(tree *page.FrameTree, urlPrefix string) *cdp.Frame {
	if tree == nil {
		return nil
	}
	if tree.Frame != nil && tree.Frame.ParentID != "" && strings.HasPrefix(tree.Frame.URL, urlPrefix) {
		return tree.Frame
	}
	for _, child := range tree.ChildFrames {
		if f := findFrame(child, urlPrefix); f != nil {
			return f
		}
	}
	return nil
}

// waitFrame polls a boolean expression inside the frame.
func waitFrame(t *testing.T, ctx context.Context, urlPrefix, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var ok bool
		err := evalFrame(ctx, urlPrefix, `!!(`+expr+`)`, &ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting in frame %s for %s (last error: %v)", urlPrefix, expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
