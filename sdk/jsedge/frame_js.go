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
	// earlyPort is the fast path's end of the channel it gave the first
	// document, until Connect takes it.
	earlyPort safejs.Value
}

func (f *domFrame) Connect(origin string, onMessage func(protocol.Message)) (embed.Port, error) {
	if port := f.earlyPort; typeOf(port) == safejs.TypeObject {
		f.earlyPort = safejs.Undefined()
		return openPort(port, onMessage)
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
	handshake := map[string]any{"type": protocol.CommsMessageType, "handshake": protocol.HandshakePortTransfer}
	transfer := []any{theirs}
	if _, err := win.Call("postMessage", toJS(handshake), origin, toJS(transfer)); err != nil {
		return nil, err
	}
	return openPort(ours, onMessage)
}

// openPort starts reporting what arrives on our end of a channel. Messages
// that came before are queued by the port and delivered now.
func openPort(ours safejs.Value, onMessage func(protocol.Message)) (embed.Port, error) {
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
}

func (p *domPort) Post(m protocol.Message) error {
	_, err := glue.Call("post", p.port, m.Action, m.Method, m.MessageID, toJS(m.Args), toJS(m.Result), m.Error)
	return err
}

func (p *domPort) Close() {
	p.remove()
	_, _ = p.port.Call("close")
}
