package embed

import (
	"maps"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// This file holds the fakes the embed tests drive: a manual clock whose
// timers fire only when the test advances it, and a Browser whose iframe,
// channels and guest-token fetches the test plays by hand, as the page and
// the host app would.

// fakeClock is a deterministic clock with the two clocks a browser has: the
// wall clock (Now) and the running time timers count. They go together
// unless the test makes the machine sleep (the wall clock jumps, timers
// stand still) or freezes the page (both go on, no timer runs until it
// resumes). While the page is hidden it throttles timers as Chromium does:
// each runs at the next whole second of running time, and once the page has
// been hidden for five minutes, at the next whole minute. It also ticks,
// once per second of running time, like PageWatch.Tick, throttled alike.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time     // the wall clock
	run    time.Duration // running time since the start
	seq    int
	timers map[int]*fakeTimer
	ticks  map[int]func()
	// nextTick is the running time of the next tick, before throttling.
	nextTick time.Duration
	// hiddenAt is the running time the page was hidden at, or -1.
	hiddenAt time.Duration
	// fired counts timers and ticks run, wakes the wake-ups: distinct
	// instants at which anything ran.
	fired, wakes int
	lastWake     time.Duration
}

type fakeTimer struct {
	id int
	at time.Duration // in running time
	f  func()
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, timers: map[int]*fakeTimer{}, ticks: map[int]func(){},
		nextTick: time.Second, hiddenAt: -1, lastWake: -1}
}

func (c *fakeClock) Now() int64 { return c.wall().UnixNano() }

// wall is the fake wall clock.
func (c *fakeClock) wall() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) (cancel func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	id := c.seq
	c.timers[id] = &fakeTimer{id: id, at: c.run + max(d, 0), f: f}
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.timers, id)
	}
}

// everySecond subscribes f to the clock's ticks.
func (c *fakeClock) everySecond(f func()) (stop func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	id := c.seq
	c.ticks[id] = f
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.ticks, id)
	}
}

// Live is the time left on each timer neither fired nor cancelled, soonest
// first.
func (c *fakeClock) Live() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []time.Duration
	for _, t := range c.timers {
		out = append(out, t.at-c.run)
	}
	slices.Sort(out)
	return out
}

// tickers is how many tick subscriptions are live.
func (c *fakeClock) tickers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.ticks)
}

// setHidden starts or ends the hidden-page throttling.
func (c *fakeClock) setHidden(hidden bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case hidden && c.hiddenAt < 0:
		c.hiddenAt = c.run
	case !hidden:
		c.hiddenAt = -1
	}
}

// runsAt is when a timer due at `at` runs, after throttling; the caller
// holds c.mu.
func (c *fakeClock) runsAt(at time.Duration) time.Duration {
	if c.hiddenAt < 0 {
		return at
	}
	align := time.Second
	if at-c.hiddenAt >= 5*time.Minute {
		align = time.Minute
	}
	if r := at % align; r != 0 {
		at += align - r
	}
	return at
}

// Sleep is the machine sleeping for d: the wall clock jumps, no timer runs
// and running time stands still.
func (c *fakeClock) Sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Freeze is the page frozen for d: both clocks go on, no timer or tick
// runs. The next Advance runs what fell due meanwhile, in order, at once.
func (c *fakeClock) Freeze(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.run += d
}

// Advance moves both clocks on by d, running on the way, in order, every
// timer and tick that falls due (including timers set by the timers it
// runs). What fell due while frozen runs first, at the current time.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.run + d
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var next *fakeTimer
		var nextAt time.Duration
		for _, t := range c.timers {
			at := c.runsAt(t.at)
			if at > end {
				continue
			}
			if next == nil || at < nextAt || (at == nextAt && t.id < next.id) {
				next, nextAt = t, at
			}
		}
		tickAt := c.runsAt(c.nextTick)
		var run []func()
		switch {
		case tickAt <= end && (next == nil || tickAt < nextAt):
			nextAt = tickAt
			c.nextTick = (max(tickAt, c.run)/time.Second + 1) * time.Second
			for _, id := range slices.Sorted(maps.Keys(c.ticks)) {
				run = append(run, c.ticks[id])
			}
		case next != nil:
			delete(c.timers, next.id)
			run = []func(){next.f}
		default:
			c.now = c.now.Add(end - c.run)
			c.run = end
			c.mu.Unlock()
			return
		}
		if nextAt > c.run {
			c.now = c.now.Add(nextAt - c.run)
			c.run = nextAt
		}
		c.fired += len(run)
		if c.lastWake != c.run && len(run) > 0 {
			c.wakes++
			c.lastWake = c.run
		}
		c.mu.Unlock()
		for _, f := range run {
			f()
		}
	}
}

// fakeBrowser is a Browser the test plays by hand.
type fakeBrowser struct {
	*fakeClock

	mu       sync.Mutex
	mountErr error
	mounts   int
	mounted  iframe.Plan // the plan of the last Mount
	early    *fakeEarly  // what the fast path started, nil if nothing
	onLoad   func()
	frame    *fakeFrame
	fetches  []*fakeFetch
	logs     []string
	dates    map[string]float64
	// connectErr makes the frame's next Connect fail.
	connectErr error
	// postErr, when set, decides whether a Post fails.
	postErr func(protocol.Message) error
	// random is what Random returns.
	random float64
	// offline and hidden are navigator.onLine and document.hidden, negated
	// for offline.
	offline, hidden bool
	// onOnline and onVisibility are WatchPage's callbacks, pageStops counts
	// how often the watch was stopped.
	onOnline     func()
	onVisibility func(hidden bool)
	onResume     func()
	pageWatches  int
	pageStops    int
	// routes are the ports handed to Route, in order (nil: none).
	routes []Port
}

func newFakeBrowser() *fakeBrowser {
	return &fakeBrowser{fakeClock: newFakeClock(sdktest.Epoch), dates: map[string]float64{}, random: 0.5}
}

func (b *fakeBrowser) Random() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.random
}

func (b *fakeBrowser) Online() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.offline
}

func (b *fakeBrowser) Hidden() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hidden
}

func (b *fakeBrowser) WatchPage(w PageWatch) (stop func()) {
	stopTicks := b.everySecond(w.Tick)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pageWatches++
	b.onOnline, b.onVisibility, b.onResume = w.Online, w.Visibility, w.Resume
	return func() {
		stopTicks()
		b.mu.Lock()
		defer b.mu.Unlock()
		b.pageStops++
		b.onOnline, b.onVisibility, b.onResume = nil, nil, nil
	}
}

// setHidden hides or shows the page: document.hidden, the timers'
// throttling and the visibilitychange event.
func (b *fakeBrowser) setHidden(hidden bool) {
	b.mu.Lock()
	b.hidden = hidden
	onVisibility := b.onVisibility
	b.mu.Unlock()
	b.fakeClock.setHidden(hidden)
	if onVisibility != nil {
		onVisibility(hidden)
	}
}

// setOffline switches navigator.onLine, firing online when it comes back.
func (b *fakeBrowser) setOffline(offline bool) {
	b.mu.Lock()
	b.offline = offline
	onOnline := b.onOnline
	b.mu.Unlock()
	if !offline && onOnline != nil {
		onOnline()
	}
}

// resume fires the document's resume event, as after a freeze.
func (b *fakeBrowser) resume() {
	b.mu.Lock()
	onResume := b.onResume
	b.mu.Unlock()
	if onResume != nil {
		onResume()
	}
}

// ReadSize reads what the fake page answers to getScrollSize:
// map[string]any{"width": w, "height": h}.
func (b *fakeBrowser) ReadSize(v any) (width, height float64, ok bool) {
	m, isMap := v.(map[string]any)
	if !isMap {
		return 0, 0, false
	}
	w, wok := m["width"].(float64)
	h, hok := m["height"].(float64)
	return w, h, wok && hok
}

func (b *fakeBrowser) Mount(plan iframe.Plan, _ jsvalue.Handle, onLoad func()) (Frame, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mounts++
	b.mounted = plan
	if b.mountErr != nil {
		return nil, b.mountErr
	}
	b.onLoad = onLoad
	b.frame = &fakeFrame{b: b}
	return b.frame, nil
}

// fakeEarly is what the JavaScript fast path started before Go was up, as
// a test sets it up.
type fakeEarly struct {
	plan  iframe.Plan
	loads int
	sent  string
	// port is the fast path's port to the first document, nil if none.
	port *fakePort
	// fetch is its fetchGuestToken call, nil if it made none.
	fetch *fakeFetch

	released, adopted, discarded, keptPort bool
}

func (b *fakeBrowser) EarlyPlan() (iframe.Plan, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.early == nil {
		return iframe.Plan{}, false
	}
	return b.early.plan, true
}

func (b *fakeBrowser) ReleaseEarly() (int, string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.early.released = true
	return b.early.loads, b.early.sent
}

func (b *fakeBrowser) AdoptEarly(onLoad func(), dropReason string) (Frame, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	keepPort := dropReason == ""
	b.early.adopted, b.early.keptPort = true, keepPort
	b.onLoad = onLoad
	b.frame = &fakeFrame{b: b}
	if keepPort {
		b.frame.earlyPort = b.early.port
	} else if b.early.port != nil {
		b.early.port.Close(dropReason)
	}
	return b.frame, nil
}

func (b *fakeBrowser) DiscardEarly(reason string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.early.discarded = true
	if b.early.port != nil {
		b.early.port.Close(reason)
	}
}

func (b *fakeBrowser) Route(p Port) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.routes = append(b.routes, p)
}

// routed is the port bare calls are routed to now, nil if none.
func (b *fakeBrowser) routed() Port {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.routes) == 0 {
		return nil
	}
	return b.routes[len(b.routes)-1]
}

func (b *fakeBrowser) FetchEarlyToken(done func(any, error)) (func(), bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.early.fetch
	if f == nil {
		return nil, false
	}
	f.done = done
	return func() { f.abandoned.Store(true) }, true
}

func (b *fakeBrowser) FetchToken(fn jsvalue.Handle, done func(value any, err error)) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := &fakeFetch{fn: fn, done: done}
	b.fetches = append(b.fetches, f)
	return func() { f.abandoned.Store(true) }
}

func (b *fakeBrowser) ParseDate(s string) (float64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ms, ok := b.dates[s]
	return ms, ok
}

func (b *fakeBrowser) Log(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.logs = append(b.logs, line)
}

// load fires the iframe's load event, as a new document would.
func (b *fakeBrowser) load(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	onLoad := b.onLoad
	b.mu.Unlock()
	if onLoad == nil {
		t.Fatal("load: nothing mounted")
	}
	onLoad()
}

// fetchCount is how many times fetchGuestToken was called.
func (b *fakeBrowser) fetchCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.fetches)
}

// fetch is the i-th fetchGuestToken call (0-based).
func (b *fakeBrowser) fetch(t *testing.T, i int) *fakeFetch {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if i >= len(b.fetches) {
		t.Fatalf("fetch %d: only %d fetches were started", i, len(b.fetches))
	}
	return b.fetches[i]
}

// lastFetch is the latest fetchGuestToken call.
func (b *fakeBrowser) lastFetch(t *testing.T) *fakeFetch {
	t.Helper()
	n := b.fetchCount()
	if n == 0 {
		t.Fatal("no fetch was started")
	}
	return b.fetch(t, n-1)
}

// ports are the channels opened so far, oldest first.
func (b *fakeBrowser) ports() []*fakePort {
	b.mu.Lock()
	f := b.frame
	b.mu.Unlock()
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*fakePort(nil), f.ports...)
}

// port is the i-th channel opened (0-based).
func (b *fakeBrowser) port(t *testing.T, i int) *fakePort {
	t.Helper()
	ps := b.ports()
	if i >= len(ps) {
		t.Fatalf("port %d: only %d channels were opened", i, len(ps))
	}
	return ps[i]
}

func (b *fakeBrowser) logLines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.logs...)
}

func (b *fakeBrowser) removed() int {
	b.mu.Lock()
	f := b.frame
	b.mu.Unlock()
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.removed
}

// fakeFetch is one fetchGuestToken call in flight.
type fakeFetch struct {
	fn        jsvalue.Handle
	done      func(any, error)
	abandoned atomic.Bool // the embed withdrew: done must not be called
}

func (f *fakeFetch) resolve(v any) {
	if !f.abandoned.Load() {
		f.done(v, nil)
	}
}

func (f *fakeFetch) reject(err error) {
	if !f.abandoned.Load() {
		f.done(nil, err)
	}
}

// fakeFrame is the mounted iframe.
type fakeFrame struct {
	b         *fakeBrowser
	mu        sync.Mutex
	ports     []*fakePort
	removed   int
	heights   []float64
	onVisible func(bool)
	visStops  int
	// earlyPort is the fast path's port, for the first Connect.
	earlyPort *fakePort
}

func (f *fakeFrame) Connected() bool { return true }

func (f *fakeFrame) SetHeight(px float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.heights = append(f.heights, px)
}

func (f *fakeFrame) WatchVisibility(onChange func(visible bool)) (stop func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onVisible = onChange
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.visStops++
		f.onVisible = nil
	}
}

func (f *fakeFrame) Connect(origin string, onMessage func(protocol.Message)) (Port, error) {
	f.b.mu.Lock()
	err := f.b.connectErr
	f.b.connectErr = nil
	postErr := f.b.postErr
	f.b.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if p := f.earlyPort; p != nil {
		f.earlyPort = nil
		p.onMessage = onMessage
		f.mu.Lock()
		f.ports = append(f.ports, p)
		f.mu.Unlock()
		return p, nil
	}
	p := &fakePort{origin: origin, onMessage: onMessage, postErr: postErr}
	f.mu.Lock()
	f.ports = append(f.ports, p)
	f.mu.Unlock()
	return p, nil
}

func (f *fakeFrame) Remove() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed++
}

// fakePort is our end of one document's channel; its methods without a
// Port counterpart play the embedded page. Like the loader's carrier
// (wasm/loader/carrier.js), it settles the answers of the calls it carries
// itself and hands every other message to the embed.
type fakePort struct {
	origin    string
	onMessage func(protocol.Message)
	postErr   func(protocol.Message) error

	mu      sync.Mutex
	sent    []protocol.Message
	closed  bool
	reason  string
	calls   int // calls numbered on the port so far (Count)
	carried map[string]*fakeAnswer
}

// fakeAnswer is the pending answer of a carried call: a Promise, in the
// browser.
type fakeAnswer struct {
	method string
	mu     sync.Mutex
	done   bool
	result any
	err    error
}

func (a *fakeAnswer) settle(result any, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done, a.result, a.err = true, result, err
}

// outcome is how the call ended; done is false while it is pending.
func (a *fakeAnswer) outcome() (result any, err error, done bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.result, a.err, a.done
}

func (p *fakePort) Post(m protocol.Message) error {
	if p.postErr != nil {
		if err := p.postErr(m); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent = append(p.sent, m)
	return nil
}

func (p *fakePort) Carry(m protocol.Message) (any, error) {
	p.mu.Lock()
	closed, reason := p.closed, p.reason
	p.mu.Unlock()
	if closed {
		return nil, &protocol.PortClosedError{Method: m.Method, Reason: reason}
	}
	if err := p.Post(m); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a := &fakeAnswer{method: m.Method}
	if p.carried == nil {
		p.carried = map[string]*fakeAnswer{}
	}
	p.carried[m.MessageID] = a
	return a, nil
}

func (p *fakePort) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	return p.calls
}

// carryBare makes a bare call of method as the dashboard object does on a
// routed port, without the embed: numbered by the port, carried by it.
func (p *fakePort) carryBare(method string) *fakeAnswer {
	a, _ := p.Carry(protocol.Message{Action: protocol.ActionGet, Method: method, MessageID: protocol.MessageID(p.Count())})
	return a.(*fakeAnswer)
}

func (p *fakePort) Close(reason string) {
	p.mu.Lock()
	cut := p.carried
	p.carried = nil
	if !p.closed {
		p.closed, p.reason = true, reason
	}
	p.mu.Unlock()
	for _, a := range cut {
		a.settle(nil, &protocol.PortClosedError{Method: a.method, Reason: reason})
	}
}

// inFlight is how many carried calls await an answer.
func (p *fakePort) inFlight() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.carried)
}

func (p *fakePort) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// messages is what the host posted so far.
func (p *fakePort) messages() []protocol.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]protocol.Message(nil), p.sent...)
}

// send delivers m from the page to the host: the answer of a carried call
// settles it, anything else goes to the embed.
func (p *fakePort) send(m protocol.Message) {
	p.mu.Lock()
	a, carried := p.carried[m.MessageID]
	if carried && (m.Action == protocol.ActionReply || m.Action == protocol.ActionError) {
		delete(p.carried, m.MessageID)
		p.mu.Unlock()
		if m.Action == protocol.ActionReply {
			a.settle(m.Result, nil)
		} else {
			a.settle(nil, &protocol.RemoteError{Method: a.method, Text: m.Error})
		}
		return
	}
	closed := p.closed
	p.mu.Unlock()
	if !closed {
		p.onMessage(m)
	}
}

// get finds the host's last `get` of method.
func (p *fakePort) get(t *testing.T, method string) protocol.Message {
	t.Helper()
	ms := p.messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Action == protocol.ActionGet && ms[i].Method == method {
			return ms[i]
		}
	}
	t.Fatalf("no get %q was posted; posted: %v", method, ms)
	return protocol.Message{}
}

// answerProbe answers the host's probe as a real embedded page does: with
// the switchboard's "not defined" error.
func (p *fakePort) answerProbe(t *testing.T) {
	t.Helper()
	p.send(protocol.UndefinedMethodReply(p.get(t, protocol.ProbeMethod)))
}

// reply answers the host's last get of method with result.
func (p *fakePort) reply(t *testing.T, method string, result any) {
	t.Helper()
	m := p.get(t, method)
	p.send(protocol.Message{Action: protocol.ActionReply, MessageID: m.MessageID, Result: result})
}

// tokenExpiringIn is a guest token issued at the fake clock's start that
// expires d later.
func tokenExpiringIn(d time.Duration) string { return tokenFor(sdktest.Epoch, d) }

// tokenFor is a guest token issued at iat that lives for lifetime.
func tokenFor(iat time.Time, lifetime time.Duration) string {
	return sdktest.JWT(`{"user":{"username":"guest"},"exp":` + strconv.FormatInt(iat.Add(lifetime).Unix(), 10) +
		`,"iat":` + strconv.FormatInt(iat.Unix(), 10) + `}`)
}

// recorder collects what an embed reports: the ready callback's calls and
// every lifecycle event, in order.
type recorder struct {
	mu     sync.Mutex
	ready  []error
	events []recordedEvent
}

type recordedEvent struct {
	name   string
	detail Detail
}

func (r *recorder) onReady(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ready = append(r.ready, err)
}

func (r *recorder) readyCalls() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.ready...)
}

func (r *recorder) eventList() []recordedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedEvent(nil), r.events...)
}

// subscribe records every known event of e.
func (r *recorder) subscribe(e *Embed) {
	for _, name := range contract.Events {
		onNow(e, name, func(d Detail) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.events = append(r.events, recordedEvent{name: name, detail: d})
		})
	}
}

// embedTestParams are valid options.Params for dashboard 42 on bi.example.com.
func embedTestParams() options.Params {
	return options.Params{
		ID:                     "42",
		Domain:                 "https://bi.example.com",
		Origin:                 "https://bi.example.com",
		MountPoint:             jsvalue.Handle{Kind: jsvalue.KindElement, Name: "HTMLDivElement", Connected: true},
		FetchGuestToken:        jsvalue.Handle{Kind: jsvalue.KindFunction, Name: "fetchGuestToken"},
		IframeTitle:            "Embedded Dashboard",
		GuestTokenFetchTimeout: 30 * time.Second,
		HandshakeTimeout:       5 * time.Second,
		Debug:                  true,
	}
}

// testEmbed is an embed over a fake browser, subscribed to every event and
// started.
type testEmbed struct {
	*Embed
	b   *fakeBrowser
	rec *recorder
}

func startTestEmbed(t *testing.T, change func(*options.Params)) *testEmbed {
	t.Helper()
	p := embedTestParams()
	if change != nil {
		change(&p)
	}
	return startWith(t, p, newFakeBrowser())
}

// startWith starts an embed of p over b, subscribed to every event.
func startWith(t *testing.T, p options.Params, b *fakeBrowser) *testEmbed {
	t.Helper()
	rec := &recorder{}
	e := New(p, b, rec.onReady)
	rec.subscribe(e)
	e.Start()
	t.Cleanup(func() {
		for _, line := range b.logLines() {
			if strings.Contains(line, "internal error") {
				t.Errorf("the embed recovered a panic: %s", line)
			}
		}
	})
	return &testEmbed{Embed: e, b: b, rec: rec}
}

// readyEmbed is an embed whose first document answered its probe and holds
// a token expiring in 60 s.
func readyEmbed(t *testing.T) *testEmbed {
	t.Helper()
	return readyEmbedWith(t, nil)
}

// readyEmbedWith is readyEmbed with its options changed by change.
func readyEmbedWith(t *testing.T, change func(*options.Params)) *testEmbed {
	t.Helper()
	te := startTestEmbed(t, change)
	te.b.load(t)
	te.b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
	te.b.port(t, 0).answerProbe(t)
	if got := te.rec.readyCalls(); len(got) != 1 || got[0] != nil {
		t.Fatalf("ready calls = %v, want [nil]", got)
	}
	return te
}

// replies collects the answers of Get calls.
type replies struct {
	mu  sync.Mutex
	got []protocol.Reply
}

func (r *replies) done(rep protocol.Reply) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, rep)
}

func (r *replies) list() []protocol.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]protocol.Reply(nil), r.got...)
}

// onNow subscribes as the edge does, delivering held events at once (the
// edge does it in a microtask, right after on() returns).
func onNow(e *Embed, name string, fn func(Detail)) int {
	id, catchUp := e.On(name, fn)
	catchUp()
	return id
}
