package embed

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// These tests put the token cycle through what a long-lived tab lives
// through: the machine sleeping, the page frozen, hidden and throttled,
// the network flapping, and hours of refreshes.

// mintToken is a guest token minted at iat (to the millisecond) by a BI host
// whose clock reads iat, living for lifetime.
func mintToken(iat time.Time, lifetime time.Duration) string {
	sec := func(t time.Time) string { return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64) }
	return sdktest.JWT(`{"user":{"username":"guest"},"exp":` + sec(iat.Add(lifetime)) + `,"iat":` + sec(iat) + `}`)
}

// readyWith is an embed whose first document holds a token living for
// lifetime, issued at the fake clock's start.
func readyWith(t *testing.T, lifetime time.Duration) *testEmbed {
	t.Helper()
	te := startTestEmbed(t, nil)
	te.b.load(t)
	te.b.lastFetch(t).resolve(mintToken(te.b.wall(), lifetime))
	te.b.port(t, 0).answerProbe(t)
	return te
}

func TestTokenRefreshedExpIsTheClaim(t *testing.T) {
	te := readyEmbed(t)
	b := te.b
	b.Advance(55 * time.Second)
	// The BI host's clock is two hours ahead of the browser's, and its exp
	// has a fraction.
	iat := b.wall().Add(2*time.Hour + 250*time.Millisecond)
	b.lastFetch(t).resolve(mintToken(iat, 5*time.Minute))
	assertEvents(t, te.rec,
		ev(contract.EventReady, Detail{}),
		ev(contract.EventTokenRefreshed, Detail{
			"exp":         float64(iat.Add(5*time.Minute).UnixMilli()) / 1000,
			"expiresAtMs": float64(b.wall().Add(5 * time.Minute).UnixMilli()),
		}))
}

// TestRefreshAfterSleep: the laptop sleeps ten minutes with 40 s tokens. The
// wall clock jumps, the refresh timer stood still; the embed notices on its
// next tick and holds a fresh token within 2 s, with one fetch, and the
// stale timer fetches nothing more when it runs.
func TestRefreshAfterSleep(t *testing.T) {
	te := readyWith(t, 40*time.Second)
	b := te.b
	b.Advance(20 * time.Second)
	b.Sleep(10 * time.Minute)
	b.Advance(time.Second)
	if n := b.fetchCount(); n != 2 {
		t.Fatalf("%d fetches a second after waking, want 2: the refresh waited for its timer", n)
	}
	fresh := mintToken(b.wall(), 40*time.Second)
	b.lastFetch(t).resolve(fresh)
	ms := b.port(t, 0).messages()
	assertMessages(t, "after waking", ms[len(ms)-1:], []protocol.Message{tokenMessage(fresh)})
	b.Advance(30 * time.Second) // past the stale timer, before the fresh token's refresh
	if n := b.fetchCount(); n != 2 {
		t.Errorf("%d fetches after the recovery, want 2", n)
	}
	b.Advance(5 * time.Second)
	if n := b.fetchCount(); n != 3 {
		t.Errorf("%d fetches at the fresh token's exp-5s, want 3", n)
	}
}

// TestRefreshAfterFreeze: the page is frozen past the token's expiry; on
// resume the refresh starts at once, before any timer runs.
func TestRefreshAfterFreeze(t *testing.T) {
	te := readyWith(t, 40*time.Second)
	b := te.b
	b.Advance(20 * time.Second)
	b.Freeze(10 * time.Minute)
	b.resume()
	if n := b.fetchCount(); n != 2 {
		t.Fatalf("%d fetches on resume, want 2", n)
	}
	b.lastFetch(t).resolve(mintToken(b.wall(), 40*time.Second))
	b.Advance(time.Second) // the overdue timers run now: nothing more to fetch
	if n := b.fetchCount(); n != 2 {
		t.Errorf("%d fetches after resuming, want 2", n)
	}
}

// TestFetchHungAcrossSleep: a fetch under way when the machine slept never
// settles; its timeout is judged by the wall clock, so the next attempt
// does not wait 30 s of running time more.
func TestFetchHungAcrossSleep(t *testing.T) {
	te := readyWith(t, 40*time.Second)
	b := te.b
	b.Advance(35 * time.Second)
	if b.fetchCount() != 2 {
		t.Fatalf("no refresh at exp-5s")
	}
	b.Sleep(10 * time.Minute)
	b.Advance(time.Second)
	errs := 0
	for _, e := range te.rec.eventList() {
		if e.name == contract.EventTokenError {
			errs++
		}
	}
	if errs != 1 {
		t.Fatalf("%d tokenErrors a second after waking, want 1 (the hung fetch timed out)", errs)
	}
	b.Advance(5 * time.Second) // the first retry comes within 5 s
	if n := b.fetchCount(); n != 3 {
		t.Errorf("%d fetches, want the retry", n)
	}
}

// TestHiddenTabTokensNeverExpire: a tab hidden for half an hour, throttled
// as Chromium does (1 s, then 1 min after five minutes), with 300 s tokens:
// each token arrives before the previous one expires, without extra fetches.
func TestHiddenTabTokensNeverExpire(t *testing.T) {
	for _, c := range []struct{ lifetime, hiddenFor time.Duration }{
		// Under a minute's throttling a 12 s token cannot be kept alive:
		// it is tested within the first five minutes, at 1 s throttling.
		{12 * time.Second, 4*time.Minute + 30*time.Second},
		{5 * time.Minute, 30 * time.Minute},
	} {
		lifetime, hiddenFor := c.lifetime, c.hiddenFor
		t.Run(lifetime.String(), func(t *testing.T) {
			te := readyWith(t, lifetime)
			te.b.Advance(1300 * time.Millisecond)
			te.b.setHidden(true)
			h := newAutoHost(te.b, lifetime, func() time.Duration { return 300 * time.Millisecond })
			h.run(t, hiddenFor)
			h.checkOnTime(t, te.b.port(t, 0))
			// Within 5 min hidden a token is refreshed 1 s earlier than
			// visible; after, a minute earlier: at most lifetime − 65 s apart.
			gap := lifetime - 65*time.Second
			if lifetime < 2*time.Minute {
				gap = lifetime - 6*time.Second
			}
			if n, most := te.b.fetchCount(), int(hiddenFor/gap)+2; n > most {
				t.Errorf("%d fetches in %v hidden with %v tokens, want at most %d", n, hiddenFor, lifetime, most)
			}
		})
	}
}

// TestHiddenThenVisible: becoming visible re-plans the refresh for a
// visible page, and fetches at once when it is overdue.
func TestHiddenThenVisible(t *testing.T) {
	te := readyWith(t, 5*time.Minute)
	b := te.b
	b.setHidden(true)
	assertLive(t, b, 294*time.Second) // exp − 5 s − 1 s of throttling
	b.setHidden(false)
	assertLive(t, b, 295*time.Second)
	b.setHidden(true)
	b.Sleep(10 * time.Minute)
	b.setHidden(false)
	if n := b.fetchCount(); n != 2 {
		t.Errorf("%d fetches on becoming visible with the token expired, want 2", n)
	}
}

// TestNetworkFlapping: for a minute the network goes off and on every few
// seconds, with 12 s tokens. No fetch is made offline, none is repeated
// in a storm, and each time the network comes back with a refresh overdue
// the fetch starts within a second.
func TestNetworkFlapping(t *testing.T) {
	te := readyWith(t, 12*time.Second)
	b := te.b
	h := newAutoHost(b, 12*time.Second, func() time.Duration { return 200 * time.Millisecond })
	rng := rand.New(rand.NewPCG(1, 2))
	offline := false
	for elapsed := time.Duration(0); elapsed < time.Minute; {
		span := time.Duration(2000+rng.IntN(3000)) * time.Millisecond
		offline = !offline
		// Whether a fetch is due and none under way, as the network returns.
		overdue := !te.tokens.fetching && (!b.wall().Before(te.tokens.dueAt) || te.tokens.offlineDue)
		before := b.fetchCount()
		b.setOffline(offline)
		if !offline {
			h.run(t, time.Second)
			if overdue && b.fetchCount() == before {
				t.Errorf("at %v: back online with a refresh overdue, no fetch within 1 s", elapsed)
			}
			span -= time.Second
			elapsed += time.Second
		}
		h.run(t, span)
		elapsed += span
	}
	if h.offlineFetches > 0 {
		t.Errorf("%d fetches made while offline", h.offlineFetches)
	}
	// 12 s tokens are refreshed every 7 s: about 9 in a minute, plus one
	// catch-up per return of the network at most.
	if n := b.fetchCount(); n > 9+12 {
		t.Errorf("%d fetches in a minute of flapping: a retry storm", n)
	}
	b.setOffline(false)
	h.run(t, time.Minute)
	h.checkOnTime(t, b.port(t, 0))
}

// TestLongSession: eight hours of 40 s tokens on the fake clock, with a BI
// host whose clock is off by up to an hour, latency up to 2 s and one fetch
// in twenty failing. Every token arrives before the previous one expires
// (but after a failure), the refresh does not drift, and nothing grows:
// timers, ticks, fetches in flight, page listeners.
func TestLongSession(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 3600))
	te := readyWith(t, 40*time.Second)
	b := te.b
	h := newAutoHost(b, 40*time.Second, func() time.Duration { return time.Duration(rng.IntN(2000)) * time.Millisecond })
	h.skew = time.Duration(rng.Int64N(int64(2*time.Hour))) - time.Hour
	h.fail = func() bool { return rng.IntN(20) == 0 }
	h.watch = func(t *testing.T) {
		if n := len(b.Live()); n > 2 {
			t.Fatalf("%d live timers: %v", n, b.Live())
		}
		if n := b.tickers(); n != 1 {
			t.Fatalf("%d tick subscriptions", n)
		}
	}
	listeners := te.listeners.Len()
	h.run(t, 8*time.Hour)
	if h.failures == 0 {
		t.Fatal("no fetch failed: the session did not test failures")
	}
	h.checkOnTime(t, b.port(t, 0))
	cycles := int(8 * time.Hour / (35 * time.Second))
	if n := b.fetchCount(); n < cycles || n > cycles+2*h.failures+2 {
		t.Errorf("%d fetches in 8 h of 40 s tokens with %d failures, want about %d: the refresh drifted", n, h.failures, cycles)
	}
	var pending int
	te.serial.Do(func() { pending = te.doc.sb.Pending() })
	if n := te.listeners.Len(); n != listeners || pending != 0 || b.pageWatches != 1 {
		t.Errorf("after 8 h: %d listeners (from %d), %d calls pending, %d page watches", n, listeners, pending, b.pageWatches)
	}
	te.Unmount()
	if live := b.Live(); len(live) != 0 || b.tickers() != 0 || b.pageStops != 1 {
		t.Errorf("after unmount: timers %v, ticks %d, page watch stopped %d times", live, b.tickers(), b.pageStops)
	}
}

// autoHost plays the host app's backend for long runs: it answers each
// fetchGuestToken call after a latency, with a token minted by its own
// (possibly skewed) clock, or fails it, as does any fetch while offline.
type autoHost struct {
	b        *fakeBrowser
	lifetime time.Duration
	skew     time.Duration
	latency  func() time.Duration
	fail     func() bool        // nil: never fails on its own
	watch    func(t *testing.T) // checked after every step, if set

	seen           int
	arrived        map[string]time.Time // the tokens it minted, by when they arrived
	pending        []hostCall
	failures       int
	failedAt       []time.Time
	offlineFetches int
}

// newAutoHost answers b's fetches from now on.
func newAutoHost(b *fakeBrowser, lifetime time.Duration, latency func() time.Duration) *autoHost {
	return &autoHost{b: b, lifetime: lifetime, latency: latency, seen: b.fetchCount(), arrived: map[string]time.Time{}}
}

type hostCall struct {
	f  *fakeFetch
	at time.Time
}

// step is how finely the host's time goes.
const hostStep = 100 * time.Millisecond

func (h *autoHost) run(t *testing.T, d time.Duration) {
	t.Helper()
	for end := h.b.wall().Add(d); h.b.wall().Before(end); {
		h.b.Advance(hostStep)
		h.answer(t)
		if h.watch != nil {
			h.watch(t)
		}
	}
}

func (h *autoHost) answer(t *testing.T) {
	t.Helper()
	now := h.b.wall()
	for ; h.seen < h.b.fetchCount(); h.seen++ {
		if !h.b.Online() {
			h.offlineFetches++
		}
		h.pending = append(h.pending, hostCall{f: h.b.fetch(t, h.seen), at: now.Add(h.latency())})
	}
	if len(h.pending) > 1 {
		t.Fatalf("%d fetches in flight at once", len(h.pending))
	}
	for len(h.pending) > 0 && !now.Before(h.pending[0].at) {
		c := h.pending[0]
		h.pending = h.pending[1:]
		if !h.b.Online() || (h.fail != nil && h.fail()) {
			h.failures++
			h.failedAt = append(h.failedAt, now)
			c.f.reject(errString("Failed to fetch"))
			continue
		}
		tok := mintToken(now.Add(h.skew), h.lifetime)
		h.arrived[tok] = now
		c.f.resolve(tok)
	}
}

// checkOnTime checks that each token the host minted reached p before
// the one before it expired, unless a fetch failed in between.
func (h *autoHost) checkOnTime(t *testing.T, p *fakePort) {
	t.Helper()
	var arrivals []time.Time
	for _, m := range p.messages() {
		if m.Method != "guestToken" {
			continue
		}
		if at, ok := h.arrived[m.Args.(map[string]any)["guestToken"].(string)]; ok {
			arrivals = append(arrivals, at)
		}
	}
	if len(arrivals) < 2 {
		t.Fatalf("only %d tokens delivered", len(arrivals))
	}
	late := 0
	for i := 1; i < len(arrivals); i++ {
		expired := arrivals[i-1].Add(h.lifetime)
		if arrivals[i].Before(expired) || h.failedBetween(arrivals[i-1], arrivals[i]) {
			continue
		}
		late++
		if late <= 3 {
			t.Errorf("token %d arrived %v after the previous one expired", i, arrivals[i].Sub(expired))
		}
	}
	if late > 3 {
		t.Errorf("… %d late tokens in all, of %d", late, len(arrivals))
	}
}

func (h *autoHost) failedBetween(a, b time.Time) bool {
	for _, f := range h.failedAt {
		if f.After(a) && f.Before(b) {
			return true
		}
	}
	return false
}

type errString string

func (e errString) Error() string { return string(e) }

// TestOnlineCutsRetryShort: a refresh failed as the network went down; when
// it comes back, the next fetch starts at once instead of after the retry's
// backoff, while the token is still valid.
func TestOnlineCutsRetryShort(t *testing.T) {
	te := readyWith(t, 12*time.Second)
	b := te.b
	b.Advance(7 * time.Second)
	b.setOffline(true)
	b.lastFetch(t).reject(errString("Failed to fetch"))
	if n := b.fetchCount(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}
	b.Advance(time.Second)
	b.setOffline(false)
	if n := b.fetchCount(); n != 3 {
		t.Errorf("%d fetches on coming back online with a retry pending, want 3", n)
	}
}

// TestProbeTimeoutAfterFreeze: the page is frozen between sending the
// probe and reading its answer. On resume the overdue handshake timer must
// not declare the dashboard unanswered: it waits again, on running time,
// and the answer read meanwhile makes it ready. A page that still does not
// answer then fails as before.
func TestProbeTimeoutAfterFreeze(t *testing.T) {
	for _, c := range []struct {
		name   string
		resume bool // the resume event comes before any timer
	}{{"ticks first", false}, {"resume event first", true}} {
		t.Run(c.name, func(t *testing.T) {
			te := startTestEmbed(t, nil)
			b := te.b
			b.load(t)
			b.lastFetch(t).resolve(mintToken(b.wall(), 5*time.Minute))
			b.Freeze(30 * time.Second)
			if c.resume {
				b.resume()
			}
			b.Advance(time.Millisecond) // the overdue timers run
			if got := te.rec.readyCalls(); len(got) != 0 {
				t.Fatalf("ready calls after the freeze = %v, want none yet", got)
			}
			b.port(t, 0).answerProbe(t)
			if got := te.rec.readyCalls(); len(got) != 1 || got[0] != nil {
				t.Fatalf("ready calls after the answer = %v, want [nil]", got)
			}
		})
	}
	te := startTestEmbed(t, nil)
	b := te.b
	b.load(t)
	b.lastFetch(t).resolve(mintToken(b.wall(), 5*time.Minute))
	b.Freeze(30 * time.Second)
	b.Advance(5 * time.Second)
	if got := te.rec.readyCalls(); len(got) != 1 {
		t.Fatalf("ready calls 5 s of running time after the freeze = %v, want the handshake timeout", got)
	}
	embedError(t, te.rec.readyCalls()[0], contract.CodeHandshakeTimeout, handshakeText)
}

// TestOnlineRestartsLostFetch: a fetch sent as the network dropped hangs;
// when the network comes back the embed asks again at once instead of
// waiting for the fetch's 30 s timeout, and the lost fetch's late answer
// changes nothing.
func TestOnlineRestartsLostFetch(t *testing.T) {
	te := readyWith(t, 12*time.Second)
	b := te.b
	b.Advance(7 * time.Second)
	lost := b.lastFetch(t)
	b.setOffline(true)
	b.Advance(3 * time.Second)
	b.setOffline(false)
	if n := b.fetchCount(); n != 3 {
		t.Fatalf("%d fetches on coming back online with a fetch hanging, want 3", n)
	}
	fresh := mintToken(b.wall(), 12*time.Second)
	b.lastFetch(t).resolve(fresh)
	lost.resolve(mintToken(b.wall(), time.Hour))
	ms := b.port(t, 0).messages()
	assertMessages(t, "after the network came back", ms[len(ms)-1:], []protocol.Message{tokenMessage(fresh)})
	assertLive(t, b, 7*time.Second)
	// A fetch just begun is not given up.
	b.Advance(7 * time.Second)
	b.setOffline(true)
	b.setOffline(false)
	if n := b.fetchCount(); n != 4 {
		t.Errorf("%d fetches after a blink of the network, want 4", n)
	}
}
