package embed

import (
	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// HostMethod answers a method the embedded page calls on the host
// (resolvePermalinkUrl, observeDataMask). For an emit, reply is nil.
type HostMethod func(args any, reply func(result any, err error))

// replayedMethods are the page methods whose last call is replayed to a
// navigated document, after its token, so that a new document looks like
// the one it replaced.
var replayedMethods = []string{contract.MethodSetThemeConfig, contract.MethodSetThemeMode}

// Get calls a page method and reports its answer to done.
func (e *Embed) Get(method string, args any, done func(protocol.Reply)) {
	e.serial.Do(func() {
		d, err := e.callable(method)
		if err != nil {
			done(protocol.Reply{Err: err})
			return
		}
		e.call(d, method, args, done)
	})
}

// Carry calls a page method through the document's port, which hands back
// the pending answer (a Promise in the browser) and settles it itself: the
// reply takes no trip through the embed, so that a hot call such as
// getScrollSize costs about what upstream's does. The embed still decides
// whether the call can go, which id it gets and when it is cut off.
//
// ok is false when the call cannot be carried now, and the caller uses Get:
// when the embed is busy (a call made from one of its own callbacks) and in
// debug mode, whose log shows every answer.
func (e *Embed) Carry(method string, args any) (answer any, err error, ok bool) {
	if e.p.Debug {
		return nil, nil, false
	}
	ok = e.serial.TryDo(func() {
		d, cerr := e.callable(method)
		if cerr != nil {
			err = cerr
			return
		}
		m := d.sb.Carry(method, args)
		answer, err = d.port.Carry(m)
		// A type assertion, not errors.As: that would bring reflection's
		// code into the wasm (about 30 KB) for an error a port returns as
		// it is.
		if _, closed := err.(*protocol.PortClosedError); err != nil && !closed {
			err = &protocol.SendError{Method: method, Reason: err.Error()}
		}
	})
	return answer, err, ok
}

// route hands the page the port its bare calls may take without asking
// the embed: the current document's while a call may go to it (callable),
// none in debug mode, whose log shows every call. It tells the browser
// only of changes.
func (e *Embed) route() {
	var p Port
	if d, err := e.callable(""); err == nil && !e.p.Debug {
		p = d.port
	}
	if p != e.routed {
		e.routed = p
		e.b.Route(p)
	}
}

// callable returns the document a call of method goes to, or why there is
// none.
func (e *Embed) callable(method string) (*document, error) {
	switch d := e.doc; {
	case e.unmounted:
		return nil, &protocol.PortClosedError{Method: method, Reason: reasonUnmounted}
	case d == nil || d.foreign:
		return nil, &protocol.PortClosedError{Method: method, Reason: reasonForeign}
	default:
		return d, nil
	}
}

// Send emits a page method. Theme settings are remembered and replayed to
// documents the iframe navigates to.
func (e *Embed) Send(method string, args any) {
	e.serial.Do(func() {
		if e.unmounted {
			return
		}
		for _, m := range replayedMethods {
			if m == method {
				e.replay[method] = args
			}
		}
		if d := e.doc; d != nil && !d.foreign {
			e.post(d, protocol.Message{Action: protocol.ActionEmit, Method: method, Args: args})
		}
	})
}

// replayTo sends a navigated document the theme calls made so far.
func (e *Embed) replayTo(d *document) {
	for _, m := range replayedMethods {
		if args, ok := e.replay[m]; ok {
			e.post(d, protocol.Message{Action: protocol.ActionEmit, Method: m, Args: args})
		}
	}
}

// Define registers (or with nil, removes) a method the page may call.
func (e *Embed) Define(method string, fn HostMethod) {
	e.serial.Do(func() {
		if fn == nil {
			delete(e.methods, method)
			return
		}
		e.methods[method] = fn
	})
}
