package sdk

import (
	"encoding/base64"
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

// testEpoch is the fake clock's start: a whole second, far from any zero.
var testEpoch = time.Unix(1_700_000_000, 0)

// fakeClock is a deterministic clock.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers map[int]*fakeTimer
}

type fakeTimer struct {
	id int
	at time.Time
	f  func()
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, timers: map[int]*fakeTimer{}}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) (cancel func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	id := c.seq
	c.timers[id] = &fakeTimer{id: id, at: c.now.Add(d), f: f}
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.timers, id)
	}
}

// Live is the time left on each timer neither fired nor cancelled, soonest
// first.
func (c *fakeClock) Live() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []time.Duration
	for _, t := range c.timers {
		out = append(out, t.at.Sub(c.now))
	}
	slices.Sort(out)
	return out
}

// Advance moves the clock on by d, firing on the way, in order, every timer
// that falls due (including timers set by the timers it fires).
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var next *fakeTimer
		for _, t := range c.timers {
			if t.at.After(end) {
				continue
			}
			if next == nil || t.at.Before(next.at) || (t.at.Equal(next.at) && t.id < next.id) {
				next = t
			}
		}
		if next == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		delete(c.timers, next.id)
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// fakeBrowser is a Browser the test plays by hand.
type fakeBrowser struct {
	*fakeClock

	mu       sync.Mutex
	mountErr error
	mounts   int
	onLoad   func()
	frame    *fakeFrame
	fetches  []*fakeFetch
	logs     []string
	dates    map[string]float64
	// connectErr makes the frame's next Connect fail.
	connectErr error
	// postErr, when set, decides whether a Post fails.
	postErr func(Message) error
	// random is what Random returns.
	random float64
	// offline and hidden are navigator.onLine and document.hidden, negated
	// for offline.
	offline, hidden bool
	// onOnline and onVisibility are WatchPage's callbacks, pageStops counts
	// how often the watch was stopped.
	onOnline     func()
	onVisibility func(hidden bool)
	pageWatches  int
	pageStops    int
}

func newFakeBrowser() *fakeBrowser {
	return &fakeBrowser{fakeClock: newFakeClock(testEpoch), dates: map[string]float64{}, random: 0.5}
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

func (b *fakeBrowser) WatchPage(onOnline func(), onVisibility func(hidden bool)) (stop func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pageWatches++
	b.onOnline, b.onVisibility = onOnline, onVisibility
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.pageStops++
		b.onOnline, b.onVisibility = nil, nil
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

func (b *fakeBrowser) Mount(p *Params, onLoad func()) (Frame, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mounts++
	if b.mountErr != nil {
		return nil, b.mountErr
	}
	b.onLoad = onLoad
	b.frame = &fakeFrame{b: b}
	return b.frame, nil
}

func (b *fakeBrowser) FetchToken(fn Handle, done func(value any, err error)) func() {
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
	fn        Handle
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

func (f *fakeFrame) Connect(origin string, onMessage func(Message)) (Port, error) {
	f.b.mu.Lock()
	err := f.b.connectErr
	f.b.connectErr = nil
	postErr := f.b.postErr
	f.b.mu.Unlock()
	if err != nil {
		return nil, err
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
// Port counterpart play the embedded page.
type fakePort struct {
	origin    string
	onMessage func(Message)
	postErr   func(Message) error

	mu     sync.Mutex
	sent   []Message
	closed bool
}

func (p *fakePort) Post(m Message) error {
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

func (p *fakePort) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
}

func (p *fakePort) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// messages is what the host posted so far.
func (p *fakePort) messages() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.sent...)
}

// send delivers m from the page to the host.
func (p *fakePort) send(m Message) { p.onMessage(m) }

// get finds the host's last `get` of method.
func (p *fakePort) get(t *testing.T, method string) Message {
	t.Helper()
	ms := p.messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Action == ActionGet && ms[i].Method == method {
			return ms[i]
		}
	}
	t.Fatalf("no get %q was posted; posted: %v", method, ms)
	return Message{}
}

// answerProbe answers the host's probe as a real embedded page does: with
// the switchboard's "not defined" error.
func (p *fakePort) answerProbe(t *testing.T) {
	t.Helper()
	p.send(UndefinedMethodReply(p.get(t, probeMethod)))
}

// reply answers the host's last get of method with result.
func (p *fakePort) reply(t *testing.T, method string, result any) {
	t.Helper()
	m := p.get(t, method)
	p.send(Message{Action: ActionReply, MessageID: m.MessageID, Result: result})
}

// testJWT builds an unsigned JWT whose payload is the given JSON.
func testJWT(payload string) string {
	return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
		base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2lnbmF0dXJl"
}

// tokenExpiringIn is a guest token issued at the fake clock's start that
// expires d later.
func tokenExpiringIn(d time.Duration) string { return tokenFor(testEpoch, d) }

// tokenFor is a guest token issued at iat that lives for lifetime.
func tokenFor(iat time.Time, lifetime time.Duration) string {
	return testJWT(`{"user":{"username":"guest"},"exp":` + strconv.FormatInt(iat.Add(lifetime).Unix(), 10) +
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
	for _, name := range []string{EventReady, EventTokenRefreshed, EventTokenError, EventNavigated, EventResize, EventError} {
		onNow(e, name, func(d Detail) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.events = append(r.events, recordedEvent{name: name, detail: d})
		})
	}
}

// embedTestParams are valid Params for dashboard 42 on bi.example.com.
func embedTestParams() Params {
	return Params{
		ID:                     "42",
		Domain:                 "https://bi.example.com",
		Origin:                 "https://bi.example.com",
		MountPoint:             Handle{Kind: KindElement, Name: "HTMLDivElement", Connected: true},
		FetchGuestToken:        Handle{Kind: KindFunction, Name: "fetchGuestToken"},
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

func startTestEmbed(t *testing.T, change func(*Params)) *testEmbed {
	t.Helper()
	p := embedTestParams()
	if change != nil {
		change(&p)
	}
	b := newFakeBrowser()
	rec := &recorder{}
	e := NewEmbed(p, b, rec.onReady)
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
	te := startTestEmbed(t, nil)
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
	got []Reply
}

func (r *replies) done(rep Reply) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, rep)
}

func (r *replies) list() []Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Reply(nil), r.got...)
}

// onNow subscribes as the edge does, delivering held events at once (the
// edge does it in a microtask, right after on() returns).
func onNow(e *Embed, name string, fn func(Detail)) int {
	id, catchUp := e.On(name, fn)
	catchUp()
	return id
}
