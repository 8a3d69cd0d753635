package embed

import (
	"sync/atomic"
	"time"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/events"
	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/token"
)

// Embed is one embedded dashboard: the iframe, the document it currently
// shows, the guest-token cycle and the calls in flight. All its state is
// touched only inside its serial queue, so every exported method may be called
// from anywhere.
type Embed struct {
	p      options.Params
	plan   iframe.Plan
	b      Browser
	serial serialQueue

	frame       Frame
	doc         *document
	routed      Port   // the port the page carries bare calls on (route)
	loads       int    // load events of the iframe so far
	cancelMount func() // the wait for a detached mount point's first load
	stopPage    func() // stops WatchPage
	unmounted   bool
	gone        atomic.Bool // unmounted, readable outside the serial queue

	ready  func(error) // settles embedDashboard's Promise; nil once called
	tokens tokenCycle
	resize resizeLoop
	stall  stallWatch

	replay    map[string]any        // the last call of each replayed method
	methods   map[string]HostMethod // methods the page may call
	listeners events.Listeners
}

// New prepares an embed; Start mounts it. ready is called once: with nil
// when the first document is known to be an embedded dashboard and holds a
// token, or with the reason the embed could not start (bad mount point,
// first token failed, the page never answered, unmounted meanwhile).
func New(p options.Params, b Browser, ready func(error)) *Embed {
	e := &Embed{p: p, plan: iframe.New(p), b: b, ready: ready,
		replay: map[string]any{}, methods: map[string]HostMethod{}}
	e.tokens.policy = token.DefaultRefreshPolicy(b.Random)
	if p.AutoResize.Enabled {
		e.resize.resizer = newResizer(p.AutoResize)
	}
	// A panic here is a bug of ours: say so whatever the debug setting,
	// and carry on with the next piece of work.
	e.serial.OnPanic = func(v any) {
		e.b.Log(e.logPrefix() + "internal error: " + PanicText(v))
	}
	return e
}

// Start mounts the iframe and fetches the first token, in parallel.
func (e *Embed) Start() {
	e.serial.Do(func() {
		e.debug("embedding")
		for _, k := range e.p.UnknownKeys {
			// Extra keys are allowed, as upstream ignores them, but they are
			// most often misspelt options.
			e.debug(`ignoring unknown option "`, k, `"`)
		}
		frame, err := e.mount()
		if err != nil {
			e.settleReady(err)
			e.unmount()
			return
		}
		e.frame = frame
		e.debug("placed the iframe")
		e.cancelMount = e.b.AfterFunc(e.p.HandshakeTimeout, e.later(e.onMountTimeout))
		// A page already hidden may have been for long: plan for the
		// strongest throttling (hiddenSince stays zero).
		e.tokens.hidden = e.b.Hidden()
		e.stall.lastTick = e.now()
		e.stopPage = e.b.WatchPage(PageWatch{
			Online: e.later(e.onOnline),
			Visibility: func(hidden bool) {
				e.serial.Do(func() { e.onVisibility(hidden) })
			},
			Resume: e.later(e.onResume),
			Tick:   e.later(e.onTick),
		})
		if e.resize.resizer != nil {
			e.resize.stopVisibility = frame.WatchVisibility(func(visible bool) {
				e.serial.Do(func() { e.onFrameVisibility(visible) })
			})
		}
		e.fetchToken()
	})
}

// later wraps f so that the browser may call it from anywhere.
// now is the browser's wall clock as a time.Time with no monotonic reading.
func (e *Embed) now() time.Time { return time.Unix(0, e.b.Now()) }

func (e *Embed) later(f func()) func() { return func() { e.serial.Do(f) } }

// onMountTimeout rejects an embed whose iframe cannot load because its
// mount point is not in a document; an attached iframe may take as long as
// its page needs.
func (e *Embed) onMountTimeout() {
	if e.unmounted || e.loads > 0 || e.frame.Connected() {
		return
	}
	err := &options.OptionError{Option: "mountPoint", Problem: "is not in the document, so the iframe cannot load: attach it before calling embedDashboard"}
	e.fail(contract.CodeHandshakeTimeout, err.Error())
	e.settleReady(err)
	e.unmount()
}

// announce marks d ready: an embedded dashboard holding a token.
func (e *Embed) announce(d *document) {
	e.settleReady(nil)
	if !d.announced {
		d.announced = true
		e.emit(contract.EventReady, Detail{})
	}
}

func (e *Embed) settleReady(err error) {
	if e.ready != nil {
		ready := e.ready
		e.ready = nil
		ready(err)
	}
}

// fail reports something the host app should show as an error event.
func (e *Embed) fail(code, message string) {
	e.debug("error ", code, ": ", message)
	e.emit(contract.EventError, Detail{"code": code, "message": message})
}
