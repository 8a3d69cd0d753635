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
		switch d := e.doc; {
		case e.unmounted:
			done(protocol.Reply{Err: &protocol.PortClosedError{Method: method, Reason: "the dashboard is unmounted"}})
		case d == nil || d.foreign:
			done(protocol.Reply{Err: &protocol.PortClosedError{Method: method, Reason: "the iframe does not show an embedded dashboard"}})
		default:
			e.call(d, method, args, done)
		}
	})
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
