package embed

import (
	"time"

	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// Browser is everything an embed needs from the page around it. The browser
// edge (package jsedge) implements it over the DOM; tests implement it with
// fakes. Implementations translate and carry out; they decide nothing.
//
// Callbacks handed to a Browser may be called from any goroutine, at any
// time, even re-entrantly: the Embed serialises them itself.
type Browser interface {
	// Mount builds the iframe of plan, replaces mountPoint's children with
	// it and reports each of its load events to onLoad.
	Mount(plan iframe.Plan, mountPoint jsvalue.Handle, onLoad func()) (Frame, error)

	// EarlyPlan is the plan of the iframe the JavaScript fast path mounted
	// for this embed while the wasm loaded; ok is false if it mounted none.
	EarlyPlan() (plan iframe.Plan, ok bool)
	// ReleaseEarly stops the fast path and says how many load events its
	// iframe has had and which token it sent on its port ("" if none).
	ReleaseEarly() (loads int, sentToken string)
	// AdoptEarly takes over the fast path's iframe, reporting its later
	// load events to onLoad. With dropReason empty, the frame's first
	// Connect returns the fast path's port instead of opening a new
	// channel; otherwise that port is closed as Port.Close(dropReason).
	AdoptEarly(onLoad func(), dropReason string) (Frame, error)
	// DiscardEarly removes what the fast path mounted; the calls carried
	// on its port end as Port.Close(reason) ends them.
	DiscardEarly(reason string)
	// Route lets the dashboard object carry its bare calls
	// (contract.Method.Bare) on p itself, without asking the embed, until
	// the next Route; nil stops it and sends them to the embed again. The
	// embed routes the current document's port only while a call may go
	// to it, so the answer to "may this call go, and where" stays its own.
	Route(p Port)
	// FetchEarlyToken waits for the fetchGuestToken call the fast path
	// started, and reports its outcome like FetchToken; ok is false when
	// there is none.
	FetchEarlyToken(done func(value any, err error)) (cancel func(), ok bool)

	// FetchToken calls fetchGuestToken and reports its outcome at most
	// once: the value it resolved to (copied as package jsvalue says), or
	// why it failed. After cancel, done is not called.
	FetchToken(fn jsvalue.Handle, done func(value any, err error)) (cancel func())
	// Now is the wall clock (Date.now) in nanoseconds since the Unix
	// epoch, with no monotonic reading: after the machine sleeps it has
	// jumped while timers have not run, so the embed compares deadlines
	// with it rather than trusting its timers. (A number, not a time.Time:
	// a time.Time in an interface's methods keeps time's formatting code in
	// the wasm.)
	Now() int64
	// AfterFunc runs f after d of running time; the returned function
	// cancels it. A frozen or sleeping page runs no timers, and a hidden
	// one runs them late (see PageWatch.Tick).
	AfterFunc(d time.Duration, f func()) (cancel func())
	// ParseDate turns a date string into milliseconds since the epoch.
	ParseDate(s string) (float64, bool)
	// Log writes a debug line.
	Log(line string)
	// Random returns a number in [0, 1), for jitter.
	Random() float64
	// Online reports navigator.onLine; Hidden reports document.hidden.
	Online() bool
	Hidden() bool
	// WatchPage reports the page's signals to w until stop is called.
	WatchPage(w PageWatch) (stop func())
	// ReadSize reads {width, height} from a page's getScrollSize answer.
	ReadSize(v any) (width, height float64, ok bool)
}

// Frame is a mounted iframe.
type Frame interface {
	// Connect creates a MessageChannel, posts the port-transfer handshake with
	// one end to the frame's current document (targetOrigin = origin, never
	// "*") and reports what arrives on the other end to onMessage.
	Connect(origin string, onMessage func(protocol.Message)) (Port, error)
	// Connected reports whether the iframe is in a document (it cannot load
	// otherwise).
	Connected() bool
	// SetHeight sets the iframe's CSS height in pixels.
	SetHeight(px float64)
	// WatchVisibility reports whether the iframe intersects the viewport,
	// now and on each change, until stop is called.
	WatchVisibility(onChange func(visible bool)) (stop func())
	// Remove takes the iframe out of the document and stops its listeners.
	Remove()
}

// Port is our end of one document's MessageChannel.
type Port interface {
	// Post sends m; it fails only when m cannot be cloned.
	Post(m protocol.Message) error
	// Carry sends the `get` message m and returns its pending answer (in
	// the browser, a Promise): the port settles it when the reply comes,
	// with no trip through the embed, and rejects it with a
	// protocol.RemoteError when the page answers with an `error`. It fails
	// when m cannot be cloned, and with a protocol.PortClosedError giving
	// Close's reason once the port is closed (a closed MessagePort would
	// drop the call and leave its answer pending for ever).
	Carry(m protocol.Message) (answer any, err error)
	// Count numbers a call on the port: 1, 2, … over the port's life,
	// across the embed's calls and those the loader carries itself (the
	// fast path's, and bare calls while the port is routed), so that no
	// two share an id.
	Count() int
	// Close closes the port, stops reporting its messages and ends the
	// calls it carries that are still unanswered with a
	// protocol.PortClosedError giving reason.
	Close(reason string)
}

// PageWatch is what an embed hears from the page around it. Each field may
// be called from any goroutine.
type PageWatch struct {
	// Online: the window's online event.
	Online func()
	// Visibility: the document's visibilitychange, with the new hidden state.
	Visibility func(hidden bool)
	// Resume: the page runs again after the Page Lifecycle's freeze
	// (the document's resume event) or comes back from the back/forward
	// cache (pageshow with persisted).
	Resume func()
	// Tick: about once a second of running time, whatever the page does;
	// the browser throttles it in hidden pages as it does every timer.
	// A page that slept or was frozen ticks again as soon as it runs, and
	// the embed then reads the wall clock.
	Tick func()
}
