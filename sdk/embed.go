package sdk

import (
	"strconv"
	"sync/atomic"
	"time"
)

// probeMethod is a method no embedded page defines: a `get` of it is
// answered with an `error` by any page that speaks the protocol, and by
// nothing else, which tells an embedded dashboard from a foreign page.
const probeMethod = "__dashembed_probe__"

// Page methods whose last call is replayed to a navigated document, after
// its token, so that a new document looks like the one it replaced.
var replayedMethods = []string{"setThemeConfig", "setThemeMode"}

// HostMethod answers a method the embedded page calls on the host
// (resolvePermalinkUrl, observeDataMask). For an emit, reply is nil.
type HostMethod func(args any, reply func(result any, err error))

// Embed is one embedded dashboard: the iframe, the document it currently
// shows, the guest-token cycle and the calls in flight. All its state is
// touched only inside its Serial, so every exported method may be called
// from anywhere.
type Embed struct {
	p      Params
	b      Browser
	serial Serial

	frame     Frame
	doc       *document
	loads     int
	unmounted bool
	gone      atomic.Bool // unmounted, readable outside the Serial

	ready     func(error) // settles embedDashboard's Promise; nil once called
	token     string
	tokenLoad int // e.loads when the token arrived: which document it is fresh for
	delivered int // tokens delivered to any document

	policy      RefreshPolicy
	failures    int       // token failures in a row, for backoff
	dueAt       time.Time // when the next token is due
	offlineDue  bool      // a refresh fell due while the browser was offline
	fetching    bool
	fetchGen    int
	abandon     func() // withdraws from the fetch under way
	cancelFetch func()
	cancelMount func() // the wait for a detached mount point's first load
	cancelRetry func()
	stopPage    func()

	resizer        *Resizer
	frameVisible   bool
	stopVisibility func()
	resizing       bool
	resizeGen      int
	cancelResize   func()

	replay    map[string]any
	methods   map[string]HostMethod
	listeners listeners
}

// document is what the iframe shows between two load events.
type document struct {
	seq         int
	port        Port
	sb          *Switchboard
	embedded    bool // answered the probe
	foreign     bool // did not answer it in time
	hasToken    bool
	announced   bool // EventReady sent for this document
	cancelProbe func()
}

// NewEmbed prepares an embed; Start mounts it. ready is called once: with
// nil when the first document is known to be an embedded dashboard and holds
// a token, or with the reason the embed could not start (bad mount point,
// first token failed, the page never answered, unmounted meanwhile).
func NewEmbed(p Params, b Browser, ready func(error)) *Embed {
	e := &Embed{p: p, b: b, ready: ready, replay: map[string]any{}, methods: map[string]HostMethod{},
		policy: DefaultRefreshPolicy(b.Random)}
	if p.AutoResize.Enabled {
		e.resizer = NewResizer(p.AutoResize)
	}
	// A panic here is a bug of ours: say so whatever the debug setting,
	// and carry on with the next piece of work.
	e.serial.OnPanic = func(v any) {
		e.b.Log("[dashembed][dashboard " + p.ID + "] internal error: " + panicText(v))
	}
	return e
}

// Start mounts the iframe and fetches the first token, in parallel.
func (e *Embed) Start() {
	e.serial.Do(func() {
		e.logf("embedding")
		frame, err := e.b.Mount(&e.p, e.later(e.onLoad))
		if err != nil {
			e.settleReady(err)
			e.unmount()
			return
		}
		e.frame = frame
		e.logf("placed the iframe")
		e.cancelMount = e.b.AfterFunc(e.p.HandshakeTimeout, e.later(e.onMountTimeout))
		e.stopPage = e.b.WatchPage(e.later(e.onOnline), func(hidden bool) {
			e.serial.Do(func() { e.onVisibility(hidden) })
		})
		if e.resizer != nil {
			e.stopVisibility = frame.WatchVisibility(func(visible bool) {
				e.serial.Do(func() { e.onFrameVisibility(visible) })
			})
		}
		e.fetchToken()
	})
}

// later wraps f so that the browser may call it from anywhere.
func (e *Embed) later(f func()) func() { return func() { e.serial.Do(f) } }

// onMountTimeout rejects an embed whose iframe cannot load because its
// mount point is not in a document; an attached iframe may take as long as
// its page needs.
func (e *Embed) onMountTimeout() {
	if e.unmounted || e.loads > 0 || e.frame.Connected() {
		return
	}
	err := &OptionError{Option: "mountPoint", Problem: "is not in the document, so the iframe cannot load: attach it before calling embedDashboard"}
	e.fail(CodeHandshakeTimeout, err.Error())
	e.settleReady(err)
	e.unmount()
}

func (e *Embed) onLoad() {
	if e.unmounted {
		return
	}
	if e.cancelMount != nil {
		e.cancelMount()
		e.cancelMount = nil
	}
	e.loads++
	e.closeDocument("the iframe navigated to a new document")
	d := &document{seq: e.loads, sb: NewSwitchboard()}
	port, err := e.frame.Connect(e.p.Origin, func(m Message) { e.serial.Do(func() { e.onMessage(d, m) }) })
	if err != nil {
		e.fail(CodeHandshakeTimeout, "could not open a channel to the iframe: "+err.Error())
		return
	}
	d.port = port
	e.doc = d
	e.logf("sent message channel to the iframe (document ", strconv.Itoa(d.seq), ")")
	d.cancelProbe = e.b.AfterFunc(e.p.HandshakeTimeout, e.later(func() { e.onProbeTimeout(d) }))
	e.call(d, probeMethod, nil, func(r Reply) { e.onProbe(d, r) })
	// The first document is the one embedDashboard was asked for: its token
	// goes out as soon as it exists, as upstream's does, rather than a round
	// trip later. Later documents get one only once they prove embedded.
	if d.seq == 1 && e.token != "" {
		e.deliver(d)
	}
}

func (e *Embed) onProbe(d *document, r Reply) {
	// Only an answer from the page counts: its `error` for the undefined
	// method, or (from an odd page) a reply.
	if _, answered := r.Err.(*RemoteError); (r.Err != nil && !answered) || d != e.doc {
		return
	}
	d.cancelProbe()
	d.embedded = true
	e.logf("document ", strconv.Itoa(d.seq), " is an embedded dashboard")
	e.resize()
	if d.seq > 1 {
		e.emit(EventNavigated, Detail{"url": e.p.IframeURL(), "embedded": true})
	}
	switch {
	case d.hasToken:
		e.announce(d)
	case e.token != "" && (d.seq == 1 || e.tokenLoad == d.seq):
		// The first document takes the token fetched with the mount; a
		// later one takes a token that landed after it loaded (a fetch that
		// was under way when the iframe navigated) rather than a new one.
		e.deliver(d)
	default:
		// A navigated document needs a token of its own, freshly minted;
		// one fetch may already be on its way, and it will do.
		e.fetchToken()
	}
}

func (e *Embed) onProbeTimeout(d *document) {
	if d != e.doc || d.embedded {
		return
	}
	d.foreign = true
	d.sb.Close("the iframe does not show an embedded dashboard")
	if d.seq == 1 {
		err := &EmbedError{Code: CodeHandshakeTimeout, Message: "the dashboard at " + e.p.IframeURL() +
			" did not answer within " + millis(e.p.HandshakeTimeout) + ": check that the BI host allows " +
			"framing by this page (X-Frame-Options, CSP frame-ancestors, allowed domains) and that the " +
			"domain and id are right"}
		e.fail(err.Code, err.Message)
		if e.ready != nil {
			e.settleReady(err)
			e.unmount()
		}
		return
	}
	e.logf("document ", strconv.Itoa(d.seq), " is not an embedded dashboard: no token sent")
	e.emit(EventNavigated, Detail{"url": "", "embedded": false})
}

func (e *Embed) onMessage(d *document, m Message) {
	if d != e.doc {
		return
	}
	e.logf("received ", describe(m))
	switch m.Action {
	case ActionReply, ActionError:
		d.sb.Settle(m)
	case ActionGet:
		fn, ok := e.methods[m.Method]
		if !ok {
			e.post(d, UndefinedMethodReply(m))
			return
		}
		fn(m.Args, func(result any, err error) {
			e.serial.Do(func() {
				if err != nil {
					e.post(d, Message{Action: ActionError, MessageID: m.MessageID, Error: err.Error()})
					return
				}
				e.post(d, Message{Action: ActionReply, MessageID: m.MessageID, Result: result})
			})
		})
	case ActionEmit:
		if fn, ok := e.methods[m.Method]; ok {
			fn(m.Args, nil)
		}
	}
}

// fetchToken starts a fetchGuestToken call unless one is under way: its
// result goes to whichever document is current when it lands.
func (e *Embed) fetchToken() {
	if e.fetching || e.unmounted {
		return
	}
	if e.cancelRetry != nil {
		e.cancelRetry()
		e.cancelRetry = nil
	}
	e.fetching = true
	e.fetchGen++
	gen := e.fetchGen
	e.logf("fetching a guest token")
	e.abandon = e.b.FetchToken(e.p.FetchGuestToken, func(v any, err error) {
		e.serial.Do(func() { e.onToken(gen, v, err) })
	})
	if t := e.p.GuestTokenFetchTimeout; t > 0 {
		e.cancelFetch = e.b.AfterFunc(t, e.later(func() {
			e.onToken(gen, nil, &EmbedError{Code: CodeTokenFetchFailed,
				Message: "fetchGuestToken did not resolve within " + millis(t)})
		}))
	}
}

func (e *Embed) onToken(gen int, v any, err error) {
	if e.unmounted || gen != e.fetchGen || !e.fetching {
		return
	}
	e.fetching = false
	if e.cancelFetch != nil {
		e.cancelFetch()
		e.cancelFetch = nil
	}
	// On a timeout, stop waiting for the call so that the next attempt
	// starts a new one instead of joining it.
	if e.abandon != nil {
		e.abandon()
		e.abandon = nil
	}
	token, isString := v.(string)
	switch {
	case err != nil:
		if _, coded := err.(*EmbedError); !coded {
			err = &EmbedError{Code: CodeTokenFetchFailed, Message: "fetchGuestToken failed: " + err.Error()}
		}
	case !isString || token == "":
		err = &EmbedError{Code: CodeTokenInvalid,
			Message: "fetchGuestToken must resolve to a non-empty string, got " + TypeName(v)}
	}
	if err != nil {
		e.tokenFailed(err)
		return
	}
	e.token = token
	e.tokenLoad = e.loads
	plan := e.plan(token)
	if d := e.doc; d != nil && (d.embedded || (d.seq == 1 && !d.foreign)) {
		e.deliver(d)
	}
	if plan.Expired {
		// Delivered all the same (only the BI host can judge it), but a
		// token dead on arrival is a failure: back off instead of fetching
		// another every few seconds, as upstream does.
		e.tokenFailed(&EmbedError{Code: CodeTokenInvalid, Message: "the guest token has already expired (or expires within " +
			millis(RefreshBuffer) + "): check the BI host's token lifetime and both clocks"})
		return
	}
	e.failures = 0
	e.scheduleRefresh(plan.Refresh)
	if e.delivered > 1 && plan.Known {
		e.emit(EventTokenRefreshed, Detail{"exp": float64(plan.ExpiresAt.UnixMilli()) / 1000})
	}
}

// plan reads a token's claims; a token that is not a JWT is reported and
// refreshed after the default lifetime, never in a loop.
func (e *Embed) plan(token string) TokenPlan {
	c, err := ParseClaims(token)
	if err != nil {
		e.fail(CodeTokenInvalid, err.Error()+": it is sent to the dashboard as it is, which will most likely refuse it")
		return TokenPlan{Refresh: RefreshDelay(time.Time{}, false, e.b.Now())}
	}
	return e.policy.Plan(c, e.b.ParseDate, e.b.Now())
}

// tokenFailed handles a fetch that gave no usable token. Before the first
// token, embedDashboard rejects and the iframe goes, as upstream does; after
// it, the current token stays and the fetch is retried.
func (e *Embed) tokenFailed(err error) {
	e.logf("guest token failed: ", err.Error())
	if e.ready != nil && e.token == "" {
		e.settleReady(err)
		e.unmount()
		return
	}
	e.failures++
	retry := e.policy.Retry(e.failures)
	code := CodeTokenFetchFailed
	if ee, ok := err.(*EmbedError); ok {
		code = ee.Code
	}
	e.emit(EventTokenError, Detail{"error": err.Error(), "code": code, "retryInMs": float64(retry.Milliseconds())})
	e.fail(code, err.Error())
	e.scheduleRefresh(retry)
}

func (e *Embed) scheduleRefresh(d time.Duration) {
	if e.cancelRetry != nil {
		e.cancelRetry()
	}
	e.logf("next guest token in ", millis(d))
	e.dueAt = e.b.Now().Add(d)
	e.cancelRetry = e.b.AfterFunc(d, e.later(func() {
		e.cancelRetry = nil
		e.refreshDue()
	}))
}

// refreshDue fetches the token that fell due, unless the browser is
// offline: a fetch then can only fail, so wait for the online event.
func (e *Embed) refreshDue() {
	if !e.b.Online() {
		e.logf("offline: the guest token refresh waits for the network")
		e.offlineDue = true
		return
	}
	e.fetchToken()
}

func (e *Embed) onOnline() {
	if e.unmounted || e.token == "" {
		return
	}
	if e.offlineDue || !e.b.Now().Before(e.dueAt) {
		e.logf("back online: refreshing the guest token")
		e.fetchToken()
	}
}

// onVisibility catches up on a refresh that fell due while the page was
// hidden (browsers throttle background timers to once a minute or less),
// and pauses autoResize while nobody can see the dashboard.
func (e *Embed) onVisibility(hidden bool) {
	if e.unmounted {
		return
	}
	if !hidden && e.token != "" && !e.b.Now().Before(e.dueAt) {
		e.logf("visible again with a refresh overdue: refreshing the guest token")
		e.refreshDue()
	}
	e.resize()
}

func (e *Embed) onFrameVisibility(visible bool) {
	e.frameVisible = visible
	e.resize()
}

// resize starts or stops the autoResize poll to match whether it can be
// useful: an embedded document, an iframe on screen, a visible page. Each
// start opens a new generation, so a measurement still in flight from an
// earlier one cannot fork a second poll.
func (e *Embed) resize() {
	d := e.doc
	wanted := e.resizer != nil && !e.unmounted && d != nil && d.embedded && e.frameVisible && !e.b.Hidden()
	if wanted == e.resizing {
		return
	}
	e.resizing = wanted
	e.resizeGen++
	if e.cancelResize != nil {
		e.cancelResize()
		e.cancelResize = nil
	}
	if wanted {
		e.measure(d, e.resizeGen)
	}
}

// measure asks the page for its size, applies it and polls again later.
func (e *Embed) measure(d *document, gen int) {
	e.call(d, "getScrollSize", nil, func(r Reply) {
		if gen != e.resizeGen || d != e.doc {
			return
		}
		if w, h, ok := e.b.ReadSize(r.Result); ok && r.Err == nil {
			if height, changed := e.resizer.Next(h); changed {
				e.frame.SetHeight(height)
				e.emit(EventResize, Detail{"width": w, "height": height})
			}
		}
		e.cancelResize = e.b.AfterFunc(ResizeInterval, e.later(func() {
			if gen == e.resizeGen {
				e.measure(d, gen)
			}
		}))
	})
}

// deliver sends the current token to d, then replays the theme.
func (e *Embed) deliver(d *document) {
	first := !d.hasToken
	e.post(d, Message{Action: ActionEmit, Method: "guestToken", Args: map[string]any{"guestToken": e.token}})
	d.hasToken = true
	e.delivered++
	e.logf("sent guest token")
	if first && d.seq > 1 {
		for _, m := range replayedMethods {
			if args, ok := e.replay[m]; ok {
				e.post(d, Message{Action: ActionEmit, Method: m, Args: args})
			}
		}
	}
	if d.embedded {
		e.announce(d)
	}
}

// announce marks d ready: an embedded dashboard holding a token.
func (e *Embed) announce(d *document) {
	e.settleReady(nil)
	if !d.announced {
		d.announced = true
		e.emit(EventReady, Detail{})
	}
}

func (e *Embed) settleReady(err error) {
	if e.ready != nil {
		ready := e.ready
		e.ready = nil
		ready(err)
	}
}

func (e *Embed) fail(code, message string) {
	e.logf("error ", code, ": ", message)
	e.emit(EventError, Detail{"code": code, "message": message})
}

func (e *Embed) post(d *document, m Message) {
	if d.port == nil {
		return
	}
	e.logf("sent ", describe(m))
	if err := d.port.Post(m); err != nil {
		e.logf("could not post: ", err.Error())
		if m.Action == ActionGet {
			d.sb.Fail(m.MessageID, &SendError{Method: m.Method, Reason: err.Error()})
		}
	}
}

func (e *Embed) call(d *document, method string, args any, done func(Reply)) {
	e.post(d, d.sb.Call(method, args, done))
}

func (e *Embed) closeDocument(reason string) {
	d := e.doc
	if d == nil {
		return
	}
	e.doc = nil
	e.resizing = false
	e.resizeGen++
	if e.cancelResize != nil {
		e.cancelResize()
		e.cancelResize = nil
	}
	if d.cancelProbe != nil {
		d.cancelProbe()
	}
	d.sb.Close(reason)
	d.port.Close()
}

func (e *Embed) emit(event string, d Detail) {
	e.logf("event ", event)
	e.listeners.emit(event, d)
}

// Get calls a page method and reports its answer to done.
func (e *Embed) Get(method string, args any, done func(Reply)) {
	e.serial.Do(func() {
		switch d := e.doc; {
		case e.unmounted:
			done(Reply{Err: &PortClosedError{Method: method, Reason: "the dashboard is unmounted"}})
		case d == nil || d.foreign:
			done(Reply{Err: &PortClosedError{Method: method, Reason: "the iframe does not show an embedded dashboard"}})
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
			e.post(d, Message{Action: ActionEmit, Method: method, Args: args})
		}
	})
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

// On subscribes fn to event and returns the id Off takes. The first
// listener of a name also gets the events of that name emitted before anyone
// subscribed (the first document's ready, an error with the first token):
// catchUp delivers them, and the caller runs it once on() has returned, so
// that the listener can already unsubscribe. After unmount there is nothing
// left to hear: On returns 0 and subscribes nothing.
func (e *Embed) On(event string, fn func(Detail)) (id int, catchUp func()) {
	if e.gone.Load() {
		return 0, func() {}
	}
	id, held := e.listeners.add(event, fn)
	return id, func() {
		for _, d := range held {
			if e.listeners.subscribed(id) {
				callListener(fn, d)
			}
		}
	}
}

// Off ends a subscription; unknown ids are ignored.
func (e *Embed) Off(id int) { e.listeners.remove(id) }

// Unmount removes the iframe, rejects calls in flight with PortClosedError
// and cancels every timer. Calling it again does nothing.
func (e *Embed) Unmount() {
	e.serial.Do(e.unmount)
}

func (e *Embed) unmount() {
	if e.unmounted {
		return
	}
	e.logf("unmounting")
	e.unmounted = true
	for _, cancel := range []func(){e.abandon, e.cancelFetch, e.cancelRetry, e.cancelMount, e.stopPage, e.stopVisibility} {
		if cancel != nil {
			cancel()
		}
	}
	e.abandon, e.cancelFetch, e.cancelRetry, e.cancelMount, e.stopPage, e.stopVisibility = nil, nil, nil, nil, nil, nil
	e.closeDocument("the dashboard was unmounted")
	if e.frame != nil {
		e.frame.Remove()
	}
	e.settleReady(&EmbedError{Code: "UNMOUNTED", Message: "the dashboard was unmounted before it was ready"})
	e.gone.Store(true)
	e.listeners.clear()
	e.methods = map[string]HostMethod{}
}

func (e *Embed) logf(parts ...string) {
	if !e.p.Debug {
		return
	}
	line := "[dashembed][dashboard " + e.p.ID + "] "
	for _, p := range parts {
		line += p
	}
	e.b.Log(line)
}

func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + " ms" }

func panicText(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "unexpected panic"
}

// describe names a message for the debug log: action, method, id.
func describe(m Message) string {
	s := m.Action
	for _, part := range []string{m.Method, m.MessageID} {
		if part != "" {
			s += " " + part
		}
	}
	return s
}
