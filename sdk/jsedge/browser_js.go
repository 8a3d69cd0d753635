//go:build js && wasm

package jsedge

import (
	"errors"
	"strings"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/token"
)

// domBrowser is the embed.Browser of a real page, for one embed: handle is
// the embed's number in JavaScript, early what the loader's fast path
// (wasm/loader/early.js) started for it before the wasm was up, or
// undefined.
type domBrowser struct {
	handle int
	early  safejs.Value
}

func (b *domBrowser) Route(p embed.Port) {
	c := safejs.Null()
	if port, ok := p.(*domPort); ok {
		c = port.carrier
	}
	_, _ = glue.Call("route", b.handle, c)
}

func (b *domBrowser) Mount(plan iframe.Plan, mountPoint jsvalue.Handle, onLoad func()) (embed.Frame, error) {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return nil, err
	}
	ifr, err := doc.Call("createElement", "iframe")
	if err != nil {
		return nil, err
	}
	sandbox, err := ifr.Get("sandbox")
	if err != nil {
		return nil, err
	}
	args := make([]any, len(plan.Sandbox))
	for i, t := range plan.Sandbox {
		args[i] = t
	}
	if _, err := sandbox.Call("add", args...); err != nil {
		return nil, &options.OptionError{Option: "iframeSandboxExtras", Problem: "was refused by the browser: " + err.Error()}
	}
	if plan.ReferrerPolicy != "" {
		_ = ifr.Set("referrerPolicy", plan.ReferrerPolicy)
	}
	// Listen before setting src so that no load event can be missed.
	removeLoad, err := listen(ifr, "load", func(safejs.Value) { onLoad() })
	if err != nil {
		return nil, err
	}
	f := &domFrame{iframe: ifr, removeLoad: removeLoad, earlyPort: safejs.Undefined()}
	_ = ifr.Set("src", plan.Src)
	_ = ifr.Set("title", plan.Title)
	if style, err := ifr.Get("style"); err == nil {
		_ = style.Set("background", "transparent")
	}
	_, _ = ifr.Call("setAttribute", "allow", plan.Allow)
	if _, err := mountPoint.Ref.(safejs.Value).Call("replaceChildren", ifr); err != nil {
		removeLoad()
		return nil, &options.OptionError{Option: "mountPoint", Problem: "cannot hold the iframe: " + err.Error()}
	}
	return f, nil
}

// earlyField reads a string field of the fast path's handle.
func (b *domBrowser) earlyField(k string) string {
	v, _ := reflectGet(b.early, k)
	return stringOf(v)
}

func (b *domBrowser) EarlyPlan() (iframe.Plan, bool) {
	if typeOf(b.early) != safejs.TypeObject {
		return iframe.Plan{}, false
	}
	return iframe.Plan{
		Src:            b.earlyField("src"),
		Origin:         b.earlyField("origin"),
		Sandbox:        strings.Fields(b.earlyField("sandbox")),
		Allow:          b.earlyField("allow"),
		Title:          b.earlyField("title"),
		ReferrerPolicy: b.earlyField("referrerPolicy"),
	}, true
}

func (b *domBrowser) ReleaseEarly() (int, string) {
	n, _ := b.early.Call("release")
	loads, _ := n.Int()
	return loads, b.earlyField("sentToken")
}

func (b *domBrowser) AdoptEarly(onLoad func(), dropReason string) (embed.Frame, error) {
	ifr, err := reflectGet(b.early, "iframe")
	if err != nil {
		return nil, err
	}
	removeLoad, err := listen(ifr, "load", func(safejs.Value) { onLoad() })
	if err != nil {
		return nil, err
	}
	f := &domFrame{iframe: ifr, removeLoad: removeLoad, earlyPort: safejs.Undefined()}
	c, _ := reflectGet(b.early, "carrier")
	if typeOf(c) == safejs.TypeObject {
		if dropReason == "" {
			f.earlyPort = c
		} else {
			cutOff(c, dropReason)
		}
	}
	return f, nil
}

func (b *domBrowser) DiscardEarly(reason string) {
	if typeOf(b.early) != safejs.TypeObject {
		return
	}
	if c, _ := reflectGet(b.early, "carrier"); typeOf(c) == safejs.TypeObject {
		cutOff(c, reason)
	}
	_, _ = b.early.Call("abort")
}

func (b *domBrowser) FetchEarlyToken(done func(any, error)) (func(), bool) {
	take, _ := reflectGet(b.early, "takeToken")
	if typeOf(take) != safejs.TypeFunction {
		return nil, false
	}
	gone := false
	await(take, func(ok bool, v safejs.Value) { settleCopy(gone, ok, v, done) })
	return func() { gone = true }, true
}

// tokenFetches shares fetchGuestToken calls across the page's embeds.
var tokenFetches = &token.FetchGroup{Same: func(a, b any) bool {
	return a.(safejs.Value).Equal(b.(safejs.Value))
}}

func (b *domBrowser) FetchToken(fn jsvalue.Handle, done func(any, error)) func() {
	f := fn.Ref.(safejs.Value)
	return tokenFetches.Do(f, func(land func(any, error)) {
		await(f, func(ok bool, v safejs.Value) { settleCopy(false, ok, v, land) })
	}, done)
}

// settleCopy hands a settled Promise's outcome to done as Go values, unless
// the caller has gone. The fetch's JavaScript values are garbage from then
// on (collectSteady).
func settleCopy(gone, ok bool, v safejs.Value, done func(any, error)) {
	defer collectSteady()
	switch {
	case gone:
	case !ok:
		done(nil, errors.New(jsErrorText(v)))
	default:
		done(copyValue(v, maxCopyDepth), nil)
	}
}

func (*domBrowser) Random() float64 {
	math, _ := safejs.Global().Get("Math")
	v, err := math.Call("random")
	if err != nil {
		return 0.5
	}
	f, _ := v.Float()
	return f
}

func (*domBrowser) Online() bool {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		return true
	}
	online, ok := getBool(nav, "onLine")
	return online || !ok
}

func (*domBrowser) Hidden() bool {
	doc, _ := safejs.Global().Get("document")
	hidden, _ := getBool(doc, "hidden")
	return hidden
}

func (b *domBrowser) WatchPage(w embed.PageWatch) func() {
	win := safejs.Global()
	doc, _ := win.Get("document")
	var stops []func()
	add := func(stop func(), err error) {
		if err == nil {
			stops = append(stops, stop)
		}
	}
	add(listen(win, "online", func(safejs.Value) { w.Online() }))
	add(listen(doc, "visibilitychange", func(safejs.Value) { w.Visibility(b.Hidden()) }))
	add(listen(doc, "resume", func(safejs.Value) { w.Resume() }))
	add(listen(win, "pageshow", func(ev safejs.Value) {
		if persisted, _ := getBool(ev, "persisted"); persisted {
			w.Resume()
		}
	}))
	stops = append(stops, everySecond(w.Tick))
	return func() {
		for _, stop := range stops {
			stop()
		}
	}
}

func (*domBrowser) ReadSize(v any) (float64, float64, bool) {
	obj, ok := v.(safejs.Value)
	if !ok || typeOf(obj) != safejs.TypeObject {
		return 0, 0, false
	}
	w, err1 := obj.Get("width")
	h, err2 := obj.Get("height")
	if err1 != nil || err2 != nil || typeOf(h) != safejs.TypeNumber {
		return 0, 0, false
	}
	width, _ := w.Float()
	height, _ := h.Float()
	return width, height, true
}

// Now drops the monotonic reading: the embed needs the wall clock, which
// keeps counting while the machine sleeps.
func (*domBrowser) Now() int64 { return time.Now().UnixNano() }

func (*domBrowser) AfterFunc(d time.Duration, f func()) func() {
	t := time.AfterFunc(d, f)
	return func() { t.Stop() }
}

func (*domBrowser) ParseDate(s string) (float64, bool) {
	date, _ := safejs.Global().Get("Date")
	ms, err := date.Call("parse", s)
	if err != nil || ms.IsNaN() {
		return 0, false
	}
	f, err := ms.Float()
	return f, err == nil
}

func (*domBrowser) Log(line string) {
	console, _ := safejs.Global().Get("console")
	_, _ = console.Call("debug", line)
}
