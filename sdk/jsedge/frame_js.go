//go:build js && wasm

package jsedge

import (
	"errors"
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// domFrame is a mounted iframe element.
type domFrame struct {
	iframe     safejs.Value
	removeLoad func()
	// earlyPort is the carrier (wasm/loader/carrier.js) of the channel the
	// fast path gave the first document, until Connect takes it.
	earlyPort safejs.Value
}

func (f *domFrame) Connect(origin string, onMessage func(protocol.Message)) (embed.Port, error) {
	if c := f.earlyPort; typeOf(c) == safejs.TypeObject {
		f.earlyPort = safejs.Undefined()
		return openPort(c, onMessage)
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
	c, err := glue.Call("carrier", ours)
	if err != nil {
		return nil, err
	}
	handshake := map[string]any{"type": protocol.CommsMessageType, "handshake": protocol.HandshakePortTransfer}
	transfer := []any{theirs}
	if _, err := win.Call("postMessage", toJS(handshake), origin, toJS(transfer)); err != nil {
		_, _ = c.Call("close")
		return nil, err
	}
	return openPort(c, onMessage)
}

// openPort starts reporting to onMessage what arrives on a carrier and is
// not the answer of a call it carried; what came before is delivered now.
func openPort(c safejs.Value, onMessage func(protocol.Message)) (embed.Port, error) {
	id, forget := addHandler(func(args []safejs.Value) { onMessage(messageFromArgs(args)) })
	if _, err := glue.Call("listenPort", c, id); err != nil {
		forget()
		return nil, err
	}
	return &domPort{carrier: c, forget: forget}, nil
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

// domPort is our end of a MessageChannel: a carrier (carrier.js).
type domPort struct {
	carrier safejs.Value
	forget  func()
	// closed is set by Close, with the reason it gave: a call carried
	// after it is refused here, as a closed MessagePort would drop it
	// unanswered.
	closed      bool
	closeReason string
}

func (p *domPort) Post(m protocol.Message) error {
	_, err := p.carrier.Call("post", m.Action, m.Method, m.MessageID, toJS(m.Args), toJS(m.Result), m.Error)
	return err
}

func (p *domPort) Carry(m protocol.Message) (any, error) {
	if p.closed {
		return nil, &protocol.PortClosedError{Method: m.Method, Reason: p.closeReason}
	}
	answer, err := p.carrier.Call("request", m.Method, m.MessageID, toJS(m.Args))
	if err != nil {
		return nil, err
	}
	return answer, nil
}

func (p *domPort) Count() int {
	n, _ := p.carrier.Call("count")
	i, _ := n.Int()
	return i
}

func (p *domPort) Close(reason string) {
	if p.closed {
		return
	}
	p.closed, p.closeReason = true, reason
	p.forget()
	cutOff(p.carrier, reason)
}

// cutOff closes a carrier and rejects the calls it still carried with a
// PortClosedError giving reason.
func cutOff(c safejs.Value, reason string) {
	cut, err := c.Call("close")
	if err != nil {
		return
	}
	n, _ := cut.Length()
	for i := 0; i < n; i++ {
		call, _ := cut.Index(i)
		method, _ := getString(call, "method")
		reject, _ := reflectGet(call, "reject")
		_, _ = reject.Invoke(jsError(&protocol.PortClosedError{Method: method, Reason: reason}))
	}
}
