//go:build js && wasm

package sdk

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/safejs"
)

// domBrowser is the Browser of a real page, for one embed. early is what the
// loader's fast path (wasm/loader/early.js) started for it before the wasm
// was up, or undefined.
type domBrowser struct {
	early safejs.Value
}

func (b *domBrowser) Mount(p *Params, onLoad func()) (Frame, error) {
	if f := b.adopt(p, onLoad); f != nil {
		return f, nil
	}
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return nil, err
	}
	iframe, err := doc.Call("createElement", "iframe")
	if err != nil {
		return nil, err
	}
	sandbox, err := iframe.Get("sandbox")
	if err != nil {
		return nil, err
	}
	tokens := p.Sandbox()
	args := make([]any, len(tokens))
	for i, t := range tokens {
		args[i] = t
	}
	if _, err := sandbox.Call("add", args...); err != nil {
		return nil, &OptionError{Option: "iframeSandboxExtras", Problem: "was refused by the browser: " + err.Error()}
	}
	if p.ReferrerPolicy != "" {
		_ = iframe.Set("referrerPolicy", p.ReferrerPolicy)
	}
	// Listen before setting src so that no load event can be missed.
	removeLoad, err := listen(iframe, "load", func(safejs.Value) { onLoad() })
	if err != nil {
		return nil, err
	}
	f := &domFrame{iframe: iframe, removeLoad: removeLoad}
	_ = iframe.Set("src", p.IframeURL())
	_ = iframe.Set("title", p.IframeTitle)
	if style, err := iframe.Get("style"); err == nil {
		_ = style.Set("background", "transparent")
	}
	_, _ = iframe.Call("setAttribute", "allow", p.Allow())
	if _, err := p.MountPoint.Ref.(safejs.Value).Call("replaceChildren", iframe); err != nil {
		removeLoad()
		return nil, &OptionError{Option: "mountPoint", Problem: "cannot hold the iframe: " + err.Error()}
	}
	return f, nil
}

// tokenFetches shares fetchGuestToken calls across the page's embeds.
var tokenFetches = &FetchGroup{Same: func(a, b any) bool {
	return a.(safejs.Value).Equal(b.(safejs.Value))
}}

func (b *domBrowser) FetchToken(fn Handle, done func(any, error)) func() {
	f := fn.Ref.(safejs.Value)
	if early := b.earlyToken(); typeOf(early) == safejs.TypeFunction {
		// The fast path called fetchGuestToken already: wait for that call.
		gone := false
		await(early, func(ok bool, v safejs.Value) {
			switch {
			case gone:
			case !ok:
				done(nil, errors.New(jsErrorText(v)))
			default:
				done(copyValue(v, maxCopyDepth), nil)
			}
		})
		return func() { gone = true }
	}
	return tokenFetches.Do(f, func(land func(any, error)) {
		await(f, func(ok bool, v safejs.Value) {
			if !ok {
				land(nil, errors.New(jsErrorText(v)))
				return
			}
			land(copyValue(v, maxCopyDepth), nil)
		})
	}, done)
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

func (b *domBrowser) WatchPage(onOnline func(), onVisibility func(hidden bool)) func() {
	win := safejs.Global()
	doc, _ := win.Get("document")
	stopOnline, err1 := listen(win, "online", func(safejs.Value) { onOnline() })
	stopVisible, err2 := listen(doc, "visibilitychange", func(safejs.Value) { onVisibility(b.Hidden()) })
	return func() {
		if err1 == nil {
			stopOnline()
		}
		if err2 == nil {
			stopVisible()
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

func (*domBrowser) Now() time.Time { return time.Now() }

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

// domFrame is a mounted iframe element.
type domFrame struct {
	iframe     safejs.Value
	removeLoad func()
	// earlyPort is the fast path's end of the channel it gave the first
	// document, until Connect takes it; earlySent the token it sent there.
	earlyPort safejs.Value
	earlySent string
}

func (f *domFrame) Connect(origin string, onMessage func(Message)) (Port, error) {
	if port := f.earlyPort; typeOf(port) == safejs.TypeObject {
		f.earlyPort = safejs.Undefined()
		p, err := openPort(port, onMessage)
		if err == nil {
			p.(*domPort).alreadySent = f.earlySent
		}
		return p, err
	}
	win, err := f.iframe.Get("contentWindow")
	if err != nil || win.IsNull() || win.IsUndefined() {
		return nil, errors.New("the iframe has no window (is the mount point in the document?)")
	}
	ctor, _ := safejs.Global().Get("MessageChannel")
	channel, err := ctor.New()
	if err != nil {
		return nil, err
	}
	ours, _ := channel.Get("port1")
	theirs, _ := channel.Get("port2")
	handshake := map[string]any{"type": CommsMessageType, "handshake": HandshakePortTransfer}
	transfer := []any{theirs}
	if _, err := win.Call("postMessage", toJS(handshake), origin, toJS(transfer)); err != nil {
		return nil, err
	}
	return openPort(ours, onMessage)
}

// openPort starts reporting what arrives on our end of a channel. Messages
// that came before are queued by the port and delivered now.
func openPort(ours safejs.Value, onMessage func(Message)) (Port, error) {
	remove, err := listenWith("listenPort", ours, nil, func(args []safejs.Value) {
		onMessage(messageFromArgs(args))
	})
	if err != nil {
		return nil, err
	}
	_, _ = ours.Call("start")
	return &domPort{port: ours, remove: remove}, nil
}

func (f *domFrame) Connected() bool {
	ok, _ := getBool(f.iframe, "isConnected")
	return ok
}

func (f *domFrame) SetHeight(px float64) {
	if style, err := f.iframe.Get("style"); err == nil {
		_ = style.Set("height", strconv.FormatFloat(px, 'f', -1, 64)+"px")
	}
}

func (f *domFrame) WatchVisibility(onChange func(bool)) func() {
	stop, err := listenWith("observe", f.iframe, nil, func(args []safejs.Value) {
		visible, _ := argAt(args, 0).Bool()
		onChange(visible)
	})
	if err != nil {
		return func() {}
	}
	return stop
}

func (f *domFrame) Remove() {
	f.removeLoad()
	_, _ = f.iframe.Call("remove")
}

// domPort is our end of a MessageChannel.
type domPort struct {
	port   safejs.Value
	remove func()
	// alreadySent is the token the fast path sent on this port before Go
	// adopted it: the one re-send of it is dropped, so the page gets each
	// token once.
	alreadySent string
}

func (p *domPort) Post(m Message) error {
	if p.alreadySent != "" && m.Action == ActionEmit && m.Method == "guestToken" {
		sent := p.alreadySent
		p.alreadySent = ""
		if args, ok := m.Args.(map[string]any); ok && args["guestToken"] == sent {
			return nil
		}
	}
	_, err := glue.Call("post", p.port, m.Action, m.Method, m.MessageID, toJS(m.Args), toJS(m.Result), m.Error)
	return err
}

func (p *domPort) Close() {
	p.remove()
	_, _ = p.port.Call("close")
}

// adopt takes over the iframe the fast path mounted, if it is exactly the
// iframe Mount would build; otherwise it removes it and returns nil. Its
// load events so far count as one: the document it shows now.
func (b *domBrowser) adopt(p *Params, onLoad func()) Frame {
	e := b.early
	if typeOf(e) != safejs.TypeObject {
		return nil
	}
	field := func(k string) string { v, _ := reflectGet(e, k); return stringOf(v) }
	same := field("src") == p.IframeURL() && field("sandbox") == strings.Join(p.Sandbox(), " ") &&
		field("allow") == p.Allow() && field("title") == p.IframeTitle && field("referrerPolicy") == p.ReferrerPolicy
	if !same {
		if p.Debug {
			b.Log("[dashembed][dashboard " + p.ID + "] the iframe mounted while the SDK loaded differs from these options: mounting anew")
		}
		_, _ = e.Call("abort")
		return nil
	}
	n, _ := e.Call("release")
	loads, _ := n.Int()
	iframe, _ := reflectGet(e, "iframe")
	removeLoad, err := listen(iframe, "load", func(safejs.Value) { onLoad() })
	if err != nil {
		_, _ = e.Call("abort")
		return nil
	}
	f := &domFrame{iframe: iframe, removeLoad: removeLoad, earlyPort: safejs.Undefined()}
	if port, _ := reflectGet(e, "port"); loads == 1 && typeOf(port) == safejs.TypeObject {
		f.earlyPort = port
		f.earlySent = field("sentToken")
	} else if typeOf(port) == safejs.TypeObject {
		_, _ = port.Call("close") // it belonged to a document that is gone
	}
	if loads > 0 {
		inMicrotask(onLoad)
	}
	return f
}

// earlyToken returns, once, the fast path's takeToken function.
func (b *domBrowser) earlyToken() safejs.Value {
	if typeOf(b.early) != safejs.TypeObject {
		return safejs.Undefined()
	}
	take, _ := reflectGet(b.early, "takeToken")
	b.early = safejs.Undefined() // one token only: refreshes call fetchGuestToken
	return take
}
