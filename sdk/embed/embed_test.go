package embed

import (
	"errors"
	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	testOrigin    = "https://bi.example.com"
	testIframeURL = "https://bi.example.com/embedded/42"
	handshakeText = "the dashboard at https://bi.example.com/embedded/42 did not answer within 5000 ms: " +
		"check that the BI host allows framing by this page (X-Frame-Options, CSP frame-ancestors, " +
		"allowed domains) and that the domain and id are right"
)

func probeMessage(id string) protocol.Message {
	return protocol.Message{Action: protocol.ActionGet, Method: protocol.ProbeMethod, MessageID: id}
}

func tokenMessage(token string) protocol.Message {
	return protocol.Message{Action: protocol.ActionEmit, Method: "guestToken", Args: map[string]any{"guestToken": token}}
}

func assertMessages(t *testing.T, what string, got, want []protocol.Message) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s posted:\n%s\nwant:\n%s", what, formatMessages(got), formatMessages(want))
	}
}

func formatMessages(ms []protocol.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString("  ")
		b.WriteString(m.Action + " " + m.Method + " " + m.MessageID)
		if m.Args != nil {
			b.WriteString(" args=")
			b.WriteString(strings.ReplaceAll(strings.TrimSpace(sprint(m.Args)), "\n", " "))
		}
		if m.Error != "" {
			b.WriteString(" error=" + m.Error)
		}
		b.WriteString("\n")
	}
	if len(ms) == 0 {
		return "  (nothing)\n"
	}
	return b.String()
}

func sprint(v any) string {
	switch v := v.(type) {
	case map[string]any:
		var parts []string
		for k, x := range v {
			parts = append(parts, k+":"+sprint(x))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case string:
		if len(v) > 24 {
			return v[:24] + "…"
		}
		return v
	}
	return jsvalue.TypeName(v)
}

func assertLive(t *testing.T, b *fakeBrowser, want ...time.Duration) {
	t.Helper()
	if got := b.Live(); !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
		t.Errorf("live timers = %v, want %v", got, want)
	}
}

func assertEvents(t *testing.T, rec *recorder, want ...recordedEvent) {
	t.Helper()
	got := rec.eventList()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events = %+v\nwant %+v", got, want)
	}
}

func ev(name string, d Detail) recordedEvent { return recordedEvent{name: name, detail: d} }

// portClosed checks that r is the *protocol.PortClosedError of method for reason.
func portClosed(t *testing.T, r protocol.Reply, method, reason string) {
	t.Helper()
	var pc *protocol.PortClosedError
	if !errors.As(r.Err, &pc) {
		t.Fatalf("%s: reply %+v, want a *protocol.PortClosedError", method, r)
	}
	if *pc != (protocol.PortClosedError{Method: method, Reason: reason}) {
		t.Errorf("error = %+v, want {%s %s}", *pc, method, reason)
	}
}

func embedError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ee *Error
	if !errors.As(err, &ee) {
		t.Fatalf("error %T %v, want *Error", err, err)
	}
	if ee.Code != code || ee.Message != message {
		t.Errorf("error = {%s %q}, want {%s %q}", ee.Code, ee.Message, code, message)
	}
	if err.Error() != "dashembed: "+message {
		t.Errorf("text = %q", err.Error())
	}
}

func TestEmbedFirstLoad(t *testing.T) {
	token := tokenExpiringIn(time.Minute)
	for _, tokenFirst := range []bool{false, true} {
		name := "load then token"
		if tokenFirst {
			name = "token then load"
		}
		t.Run(name, func(t *testing.T) {
			te := startTestEmbed(t, nil)
			b := te.b
			if b.mounts != 1 || b.fetchCount() != 1 {
				t.Fatalf("after Start: %d mounts, %d fetches; want 1 and 1", b.mounts, b.fetchCount())
			}
			if f := b.fetch(t, 0); f.fn != embedTestParams().FetchGuestToken {
				t.Errorf("fetched with %+v", f.fn)
			}
			assertLive(t, b, 5*time.Second, 30*time.Second) // the mount wait, the fetch timeout
			if len(b.ports()) != 0 {
				t.Fatal("a channel was opened before the iframe loaded")
			}
			if tokenFirst {
				b.fetch(t, 0).resolve(token)
				if got := te.rec.readyCalls(); len(got) != 0 {
					t.Fatalf("ready called before the iframe loaded: %v", got)
				}
				b.load(t)
			} else {
				b.load(t)
				if got := te.rec.readyCalls(); len(got) != 0 {
					t.Fatalf("ready called before the token: %v", got)
				}
				assertMessages(t, "before the token", b.port(t, 0).messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1")})
				b.fetch(t, 0).resolve(token)
			}
			p := b.port(t, 0)
			if p.origin != testOrigin {
				t.Errorf("channel opened to %q, want %q", p.origin, testOrigin)
			}
			assertMessages(t, "first document", p.messages(), []protocol.Message{
				probeMessage("m_superset-embedded-sdk_1"),
				tokenMessage(token),
			})
			// ready (and the ready event) wait for the page to prove it is
			// an embedded dashboard.
			if got := te.rec.readyCalls(); len(got) != 0 {
				t.Fatalf("ready called before the probe was answered: %v", got)
			}
			assertEvents(t, te.rec)
			assertLive(t, b, 5*time.Second, 55*time.Second) // the probe, the refresh
			p.answerProbe(t)
			if got := te.rec.readyCalls(); len(got) != 1 || got[0] != nil {
				t.Fatalf("ready calls = %v, want [nil]", got)
			}
			assertEvents(t, te.rec, ev(contract.EventReady, Detail{}))
			assertLive(t, b, 55*time.Second)
			// Nothing more is sent, and ready is not called again.
			assertMessages(t, "after the probe", p.messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1"), tokenMessage(token)})
			p.answerProbe(t) // a duplicate answer is stale
			if got := te.rec.readyCalls(); len(got) != 1 || len(te.rec.eventList()) != 1 {
				t.Errorf("ready called %d times, %d events", len(got), len(te.rec.eventList()))
			}
			if b.fetchCount() != 1 {
				t.Errorf("%d fetches, want 1", b.fetchCount())
			}
		})
	}
}

func TestEmbedRefresh(t *testing.T) {
	te := readyEmbed(t)
	b, p := te.b, te.b.port(t, 0)
	b.Advance(55*time.Second - time.Millisecond)
	if b.fetchCount() != 1 {
		t.Fatalf("refreshed before exp-5s")
	}
	b.Advance(time.Millisecond)
	if b.fetchCount() != 2 {
		t.Fatalf("no refresh at exp-5s: %d fetches", b.fetchCount())
	}
	assertLive(t, b, 30*time.Second)
	second := tokenFor(b.wall(), 5*time.Minute)
	b.lastFetch(t).resolve(second)
	ms := p.messages()
	assertMessages(t, "after the refresh", ms[2:], []protocol.Message{tokenMessage(second)})
	assertEvents(t, te.rec,
		ev(contract.EventReady, Detail{}),
		ev(contract.EventTokenRefreshed, Detail{"exp": float64(sdktest.Epoch.Unix() + 55 + 300),
			"expiresAtMs": float64(sdktest.Epoch.Add((55 + 300) * time.Second).UnixMilli())}))
	assertLive(t, b, 295*time.Second)
	if got := te.rec.readyCalls(); len(got) != 1 {
		t.Errorf("ready called %d times", len(got))
	}
	// And again, at the new token's exp-5s.
	b.Advance(295 * time.Second)
	if b.fetchCount() != 3 {
		t.Errorf("no second refresh: %d fetches", b.fetchCount())
	}
}

func TestEmbedFirstFetchFails(t *testing.T) {
	tests := []struct {
		name    string
		fail    func(b *fakeBrowser, f *fakeFetch)
		code    string
		message string
	}{
		{"rejected", func(_ *fakeBrowser, f *fakeFetch) { f.reject(errors.New("backend down")) },
			contract.CodeTokenFetchFailed, "fetchGuestToken failed: backend down"},
		{"timed out", func(b *fakeBrowser, _ *fakeFetch) { b.Advance(30 * time.Second) },
			contract.CodeTokenFetchFailed, "fetchGuestToken did not resolve within 30000 ms"},
		{"a number", func(_ *fakeBrowser, f *fakeFetch) { f.resolve(42.0) },
			contract.CodeTokenInvalid, "fetchGuestToken must resolve to a non-empty string, got a number"},
		{"an object", func(_ *fakeBrowser, f *fakeFetch) { f.resolve(map[string]any{"token": "x"}) },
			contract.CodeTokenInvalid, "fetchGuestToken must resolve to a non-empty string, got an object"},
		{"undefined", func(_ *fakeBrowser, f *fakeFetch) { f.resolve(nil) },
			contract.CodeTokenInvalid, "fetchGuestToken must resolve to a non-empty string, got undefined"},
		{"null", func(_ *fakeBrowser, f *fakeFetch) { f.resolve(jsvalue.Null{}) },
			contract.CodeTokenInvalid, "fetchGuestToken must resolve to a non-empty string, got null"},
		{"empty string", func(_ *fakeBrowser, f *fakeFetch) { f.resolve("") },
			contract.CodeTokenInvalid, "fetchGuestToken must resolve to a non-empty string, got a string"},
	}
	for _, tt := range tests {
		for _, loaded := range []bool{false, true} {
			name := tt.name
			if loaded {
				name += " after the handshake"
			}
			t.Run(name, func(t *testing.T) {
				te := startTestEmbed(t, nil)
				b := te.b
				if loaded {
					b.load(t)
					b.port(t, 0).answerProbe(t)
				}
				f := b.fetch(t, 0)
				tt.fail(b, f)
				got := te.rec.readyCalls()
				if len(got) != 1 || got[0] == nil {
					t.Fatalf("ready calls = %v, want one error", got)
				}
				embedError(t, got[0], tt.code, tt.message)
				if b.removed() != 1 {
					t.Errorf("iframe removed %d times, want 1", b.removed())
				}
				assertLive(t, b)
				if loaded {
					p := b.port(t, 0)
					if !p.isClosed() {
						t.Error("channel left open")
					}
					assertMessages(t, "failed embed", p.messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1")})
				}
				// A late answer from fetchGuestToken changes nothing.
				f.resolve(tokenExpiringIn(time.Hour))
				if len(te.rec.readyCalls()) != 1 || b.fetchCount() != 1 {
					t.Errorf("late token: ready calls %v, fetches %d", te.rec.readyCalls(), b.fetchCount())
				}
				for _, p := range b.ports() {
					for _, m := range p.messages() {
						if m.Method == "guestToken" {
							t.Errorf("a token was posted after the failure")
						}
					}
				}
				assertLive(t, b)
			})
		}
	}
}

func TestEmbedFetchTimeoutOption(t *testing.T) {
	te := startTestEmbed(t, func(p *options.Params) { p.GuestTokenFetchTimeout = 1500 * time.Millisecond })
	assertLive(t, te.b, 1500*time.Millisecond, 5*time.Second)
	te.b.Advance(1500 * time.Millisecond)
	got := te.rec.readyCalls()
	if len(got) != 1 {
		t.Fatalf("ready calls = %v", got)
	}
	embedError(t, got[0], contract.CodeTokenFetchFailed, "fetchGuestToken did not resolve within 1500 ms")

	// 0 disables the timeout.
	te = startTestEmbed(t, func(p *options.Params) { p.GuestTokenFetchTimeout = 0 })
	assertLive(t, te.b, 5*time.Second) // only the mount wait
	te.b.Advance(time.Hour)
	if got := te.rec.readyCalls(); len(got) != 0 {
		t.Errorf("with no timeout, ready calls = %v", got)
	}
}

// tokenErrorEvents are the two events a failed refresh reports.
func tokenErrorEvents(code, text string, retry time.Duration) []recordedEvent {
	return []recordedEvent{
		ev(contract.EventTokenError, Detail{"error": text, "code": code, "retryInMs": float64(retry.Milliseconds())}),
		ev(contract.EventError, Detail{"code": code, "message": text}),
	}
}

func TestEmbedLaterFetchFails(t *testing.T) {
	tests := []struct {
		name string
		fail func(b *fakeBrowser, f *fakeFetch)
		code string
		text string
	}{
		{"rejected", func(_ *fakeBrowser, f *fakeFetch) { f.reject(errors.New("offline")) },
			contract.CodeTokenFetchFailed, "dashembed: fetchGuestToken failed: offline"},
		{"timed out", func(b *fakeBrowser, _ *fakeFetch) { b.Advance(30 * time.Second) },
			contract.CodeTokenFetchFailed, "dashembed: fetchGuestToken did not resolve within 30000 ms"},
		{"not a string", func(_ *fakeBrowser, f *fakeFetch) { f.resolve(true) },
			contract.CodeTokenInvalid, "dashembed: fetchGuestToken must resolve to a non-empty string, got a boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := readyEmbed(t)
			b, p := te.b, te.b.port(t, 0)
			b.Advance(55 * time.Second)
			tt.fail(b, b.lastFetch(t))
			// token.DefaultRefreshPolicy with Random() = 0.5: the first retry
			// comes after 2.5 s + 0.5 × 2.5 s.
			const retry = 3750 * time.Millisecond
			assertEvents(t, te.rec, append([]recordedEvent{ev(contract.EventReady, Detail{})}, tokenErrorEvents(tt.code, tt.text, retry)...)...)
			assertLive(t, b, retry)
			if got := te.rec.readyCalls(); len(got) != 1 || got[0] != nil {
				t.Errorf("ready calls = %v", got)
			}
			if b.removed() != 0 || p.isClosed() {
				t.Error("a failed refresh tore the embed down")
			}
			// The dashboard keeps its token; the retry fetches again.
			b.Advance(retry)
			if b.fetchCount() != 3 {
				t.Fatalf("%d fetches after the retry delay, want 3", b.fetchCount())
			}
			fresh := tokenFor(b.wall(), time.Hour)
			b.lastFetch(t).resolve(fresh)
			ms := p.messages()
			assertMessages(t, "after the retry", ms[len(ms)-1:], []protocol.Message{tokenMessage(fresh)})
			assertLive(t, b, time.Hour-5*time.Second)
		})
	}
}

func TestEmbedRetryBackoff(t *testing.T) {
	te := readyEmbed(t)
	b := te.b
	b.Advance(55 * time.Second)
	want := []time.Duration{3750 * time.Millisecond, 7500 * time.Millisecond, 15 * time.Second, 30 * time.Second, 45 * time.Second, 45 * time.Second}
	for i, retry := range want {
		b.lastFetch(t).reject(errors.New("down"))
		evs := te.rec.eventList()
		last := evs[len(evs)-2]
		if last.name != contract.EventTokenError || last.detail["retryInMs"] != float64(retry.Milliseconds()) {
			t.Fatalf("failure %d: event %+v, want tokenError with retryInMs %d", i+1, last, retry.Milliseconds())
		}
		assertLive(t, b, retry)
		b.Advance(retry)
	}
	// A success resets the backoff.
	b.lastFetch(t).resolve(tokenFor(b.wall(), time.Minute))
	b.Advance(55 * time.Second)
	b.lastFetch(t).reject(errors.New("down"))
	assertLive(t, b, 3750*time.Millisecond)
}

func TestEmbedExpiredToken(t *testing.T) {
	te := readyEmbed(t)
	b, p := te.b, te.b.port(t, 0)
	b.Advance(55 * time.Second)
	// No iat, so no skew correction: expired ten seconds ago.
	expired := sdktest.JWT(`{"exp":` + strconv.FormatInt(b.wall().Unix()-10, 10) + `}`)
	b.lastFetch(t).resolve(expired)
	ms := p.messages()
	assertMessages(t, "expired token", ms[len(ms)-1:], []protocol.Message{tokenMessage(expired)})
	text := "dashembed: the guest token has already expired (or expires within 5000 ms): check the BI host's token lifetime and both clocks"
	assertEvents(t, te.rec, append([]recordedEvent{ev(contract.EventReady, Detail{})}, tokenErrorEvents(contract.CodeTokenInvalid, text, 3750*time.Millisecond)...)...)
	assertLive(t, b, 3750*time.Millisecond)
}

func TestEmbedTokenNotJWT(t *testing.T) {
	te := startTestEmbed(t, nil)
	b := te.b
	b.load(t)
	b.port(t, 0).answerProbe(t)
	b.lastFetch(t).resolve("opaque-token")
	assertMessages(t, "opaque token", b.port(t, 0).messages()[1:], []protocol.Message{tokenMessage("opaque-token")})
	assertEvents(t, te.rec,
		ev(contract.EventError, Detail{"code": contract.CodeTokenInvalid, "message": "the guest token is not a JWT: it is sent to the dashboard as it is, which will most likely refuse it"}),
		ev(contract.EventReady, Detail{}))
	// Unknown expiry: upstream's default lifetime, 5 min − 5 s.
	assertLive(t, b, 295*time.Second)
}

func TestEmbedNavigationToDashboard(t *testing.T) {
	te := readyEmbed(t)
	b, p1 := te.b, te.b.port(t, 0)
	te.Send("setThemeConfig", map[string]any{"colors": "brand"})
	te.Send("setThemeMode", map[string]any{"mode": "dark"})
	te.Send("setThemeMode", map[string]any{"mode": "default"})
	te.Send("setFoo", map[string]any{"x": 1.0})
	var scroll, mask replies
	te.Get("getScrollSize", nil, scroll.done)
	te.Get("getDataMask", nil, mask.done)
	b.Advance(2 * time.Second)

	b.load(t)
	for _, c := range []struct {
		method string
		r      *replies
	}{{"getScrollSize", &scroll}, {"getDataMask", &mask}} {
		got := c.r.list()
		if len(got) != 1 {
			t.Fatalf("%s in flight got %d answers, want 1", c.method, len(got))
		}
		portClosed(t, got[0], c.method, "the iframe navigated to a new document")
	}
	if !p1.isClosed() {
		t.Error("the old channel is still open")
	}
	p2 := b.port(t, 1)
	if p2.origin != testOrigin {
		t.Errorf("new channel to %q", p2.origin)
	}
	// Ids start again at 1 on the new port; no token before the probe.
	assertMessages(t, "new document before its probe", p2.messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1")})
	if b.fetchCount() != 1 {
		t.Errorf("fetched before the new document answered")
	}

	p2.answerProbe(t)
	if b.fetchCount() != 2 {
		t.Fatalf("%d fetches after the new document answered, want 2", b.fetchCount())
	}
	assertLive(t, b, 30*time.Second) // only the fetch: the old refresh is folded into it
	fresh := tokenFor(b.wall(), 5*time.Minute)
	b.lastFetch(t).resolve(fresh)
	assertMessages(t, "new document", p2.messages(), []protocol.Message{
		probeMessage("m_superset-embedded-sdk_1"),
		tokenMessage(fresh),
		{Action: protocol.ActionEmit, Method: "setThemeConfig", Args: map[string]any{"colors": "brand"}},
		{Action: protocol.ActionEmit, Method: "setThemeMode", Args: map[string]any{"mode": "default"}},
	})
	assertEvents(t, te.rec,
		ev(contract.EventReady, Detail{}),
		ev(contract.EventNavigated, Detail{"url": testIframeURL, "embedded": true}),
		ev(contract.EventReady, Detail{}),
		ev(contract.EventTokenRefreshed, Detail{"exp": float64(b.wall().Unix() + 300),
			"expiresAtMs": float64(b.wall().Add(300 * time.Second).UnixMilli())}))
	assertLive(t, b, 295*time.Second)
	// The old document hears nothing more.
	if n := len(p1.messages()); n != 8 {
		t.Errorf("old channel got %d messages, want 8", n)
	}
	// Calls go to the new document.
	var r replies
	te.Get("getScrollSize", nil, r.done)
	if m := p2.get(t, "getScrollSize"); m.MessageID != "m_superset-embedded-sdk_2" {
		t.Errorf("call id %q", m.MessageID)
	}
	p2.reply(t, "getScrollSize", map[string]any{"width": 800.0, "height": 600.0})
	if got := r.list(); len(got) != 1 || got[0].Err != nil || !reflect.DeepEqual(got[0].Result, map[string]any{"width": 800.0, "height": 600.0}) {
		t.Errorf("reply = %+v", got)
	}
}

func TestEmbedNavigationToForeignPage(t *testing.T) {
	te := readyEmbed(t)
	b := te.b
	b.load(t)
	p2 := b.port(t, 1)
	var early replies
	te.Get("getActiveTabs", nil, early.done)
	b.Advance(5*time.Second - time.Millisecond)
	if len(te.rec.eventList()) != 1 {
		t.Fatalf("events before the handshake timeout: %+v", te.rec.eventList())
	}
	b.Advance(time.Millisecond)
	const reason = "the iframe does not show an embedded dashboard"
	if got := early.list(); len(got) != 1 {
		t.Fatalf("call made before the timeout: %d answers", len(got))
	} else {
		portClosed(t, got[0], "getActiveTabs", reason)
	}
	assertEvents(t, te.rec, ev(contract.EventReady, Detail{}), ev(contract.EventNavigated, Detail{"url": "", "embedded": false}))
	if b.fetchCount() != 1 {
		t.Errorf("fetched a token for a foreign page")
	}
	var later replies
	te.Get("getScrollSize", nil, later.done)
	if got := later.list(); len(got) != 1 {
		t.Fatalf("call to a foreign page: %d answers", len(got))
	} else {
		portClosed(t, got[0], "getScrollSize", reason)
	}
	// A late answer does not make it a dashboard.
	p2.answerProbe(t)
	te.Send("setThemeMode", map[string]any{"mode": "dark"})
	assertMessages(t, "foreign page", p2.messages(), []protocol.Message{
		probeMessage("m_superset-embedded-sdk_1"),
		{Action: protocol.ActionGet, Method: "getActiveTabs", MessageID: "m_superset-embedded-sdk_2"},
	})

	// Back to a dashboard: token and the theme set meanwhile.
	b.load(t)
	p3 := b.port(t, 2)
	p3.answerProbe(t)
	fresh := tokenFor(b.wall(), time.Hour)
	b.lastFetch(t).resolve(fresh)
	assertMessages(t, "third document", p3.messages(), []protocol.Message{
		probeMessage("m_superset-embedded-sdk_1"),
		tokenMessage(fresh),
		{Action: protocol.ActionEmit, Method: "setThemeMode", Args: map[string]any{"mode": "dark"}},
	})
}

// TestEmbedFirstDocumentUnanswered: the first document never answers its
// probe (framing refused, a 403 from allowed domains, a wrong domain). The
// embedDashboard Promise rejects with HANDSHAKE_TIMEOUT whether or not the
// token came first — the host app has no handle to hear the error event or
// to unmount with — and the embed is torn down, timers included.
func TestEmbedFirstDocumentUnanswered(t *testing.T) {
	tests := []struct {
		name        string
		timeout     time.Duration
		tokenBefore bool
	}{
		{"token first", 5 * time.Second, true},
		{"token first, custom timeout", 1500 * time.Millisecond, true},
		{"token still in flight", 5 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := startTestEmbed(t, func(p *options.Params) { p.HandshakeTimeout = tt.timeout })
			b := te.b
			b.load(t)
			if tt.tokenBefore {
				b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
			}
			var r replies
			te.Get("getScrollSize", nil, r.done)
			b.Advance(tt.timeout - time.Millisecond)
			if len(te.rec.readyCalls()) != 0 || len(te.rec.eventList()) != 0 {
				t.Fatalf("gave up before the handshake timeout")
			}
			b.Advance(time.Millisecond)
			text := strings.Replace(handshakeText, "5000 ms", strconv.FormatInt(tt.timeout.Milliseconds(), 10)+" ms", 1)
			assertEvents(t, te.rec, ev(contract.EventError, Detail{"code": contract.CodeHandshakeTimeout, "message": text}))
			got := te.rec.readyCalls()
			if len(got) != 1 {
				t.Fatalf("ready calls = %v, want one HANDSHAKE_TIMEOUT error", got)
			}
			embedError(t, got[0], contract.CodeHandshakeTimeout, text)
			if answers := r.list(); len(answers) != 1 {
				t.Fatalf("call in flight got %d answers", len(answers))
			} else {
				portClosed(t, answers[0], "getScrollSize", "the iframe does not show an embedded dashboard")
			}
			if b.removed() != 1 || !b.port(t, 0).isClosed() {
				t.Errorf("iframe removed %d times, port closed %v", b.removed(), b.port(t, 0).isClosed())
			}
			assertLive(t, b)
			// A late token or a late answer changes nothing.
			if !tt.tokenBefore {
				b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
			}
			b.port(t, 0).answerProbe(t)
			if len(te.rec.readyCalls()) != 1 {
				t.Errorf("ready called again")
			}
			assertLive(t, b)
		})
	}
}

func TestEmbedFetchInFlightSharedWithNavigation(t *testing.T) {
	te := readyEmbed(t)
	b := te.b
	b.Advance(55 * time.Second) // a refresh starts
	if b.fetchCount() != 2 {
		t.Fatal("no refresh")
	}
	b.load(t)
	p2 := b.port(t, 1)
	p2.answerProbe(t)
	if b.fetchCount() != 2 {
		t.Fatalf("%d fetches, want the one in flight to be shared", b.fetchCount())
	}
	fresh := tokenFor(b.wall(), time.Hour)
	b.lastFetch(t).resolve(fresh)
	assertMessages(t, "new document", p2.messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1"), tokenMessage(fresh)})
	if ms := b.port(t, 0).messages(); len(ms) != 2 {
		t.Errorf("old document got %d messages, want 2", len(ms))
	}
}

// TestEmbedFetchInFlightLandsBeforeProbe: the fetch in flight when the
// iframe navigates lands before the new document answers its probe. It is
// the fresh token the document needs: no second fetch.
func TestEmbedFetchInFlightLandsBeforeProbe(t *testing.T) {
	te := readyEmbed(t)
	b := te.b
	b.Advance(55 * time.Second)
	b.load(t)
	p2 := b.port(t, 1)
	fresh := tokenFor(b.wall(), time.Hour)
	b.lastFetch(t).resolve(fresh)
	assertMessages(t, "unproven document", p2.messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1")})
	p2.answerProbe(t)
	if n := b.fetchCount(); n != 2 {
		t.Errorf("%d fetches, want 2: the token fetched during the navigation was not used", n)
	}
	assertMessages(t, "new document", p2.messages(), []protocol.Message{probeMessage("m_superset-embedded-sdk_1"), tokenMessage(fresh)})
}

func TestEmbedUnmount(t *testing.T) {
	te := readyEmbed(t)
	b, p := te.b, te.b.port(t, 0)
	b.Advance(55 * time.Second) // a refresh in flight, with its timeout
	var scroll, states replies
	te.Get("getScrollSize", nil, scroll.done)
	te.Get("getChartStates", nil, states.done)
	if len(b.Live()) == 0 {
		t.Fatal("no timer to cancel")
	}
	te.Unmount()
	for _, c := range []struct {
		method string
		r      *replies
	}{{"getScrollSize", &scroll}, {"getChartStates", &states}} {
		got := c.r.list()
		if len(got) != 1 {
			t.Fatalf("%s in flight got %d answers, want 1", c.method, len(got))
		}
		portClosed(t, got[0], c.method, "the dashboard was unmounted")
	}
	assertLive(t, b)
	if b.removed() != 1 || !p.isClosed() || b.pageStops != 1 {
		t.Errorf("removed %d, port closed %v, page watch stopped %d", b.removed(), p.isClosed(), b.pageStops)
	}
	sent := len(p.messages())

	// Idempotent.
	te.Unmount()
	if b.removed() != 1 || len(scroll.list()) != 1 || len(states.list()) != 1 || b.pageStops != 1 {
		t.Errorf("second Unmount: removed %d, answers %d+%d", b.removed(), len(scroll.list()), len(states.list()))
	}
	// Later calls reject, nothing is posted, nothing is reported.
	var after replies
	te.Get("getScrollSize", nil, after.done)
	if got := after.list(); len(got) != 1 {
		t.Fatalf("Get after unmount: %d answers", len(got))
	} else {
		portClosed(t, got[0], "getScrollSize", "the dashboard is unmounted")
	}
	te.Send("setThemeMode", map[string]any{"mode": "dark"})
	b.lastFetch(t).resolve(tokenFor(b.wall(), time.Hour))
	b.load(t)
	b.Advance(time.Hour)
	if len(p.messages()) != sent || len(b.ports()) != 1 || b.fetchCount() != 2 {
		t.Errorf("activity after unmount: %d messages (was %d), %d ports, %d fetches", len(p.messages()), sent, len(b.ports()), b.fetchCount())
	}
	if n := len(te.rec.eventList()); n != 1 {
		t.Errorf("events after unmount: %+v", te.rec.eventList())
	}
	if id := onNow(te.Embed, contract.EventReady, func(Detail) {}); id != 0 {
		t.Errorf("On after unmount = %d, want 0", id)
	}
	assertLive(t, b)
}

func TestEmbedUnmountBeforeReady(t *testing.T) {
	for _, loaded := range []bool{false, true} {
		t.Run(map[bool]string{false: "before load", true: "after load"}[loaded], func(t *testing.T) {
			te := startTestEmbed(t, nil)
			b := te.b
			if loaded {
				b.load(t)
			}
			te.Unmount()
			got := te.rec.readyCalls()
			if len(got) != 1 {
				t.Fatalf("ready calls = %v", got)
			}
			embedError(t, got[0], "UNMOUNTED", "the dashboard was unmounted before it was ready")
			assertLive(t, b)
			if b.removed() != 1 {
				t.Errorf("removed %d", b.removed())
			}
			b.lastFetch(t).resolve(tokenExpiringIn(time.Hour))
			if len(te.rec.readyCalls()) != 1 {
				t.Error("ready called again")
			}
			assertLive(t, b)
		})
	}
}

func TestEmbedMountFails(t *testing.T) {
	p := embedTestParams()
	b := newFakeBrowser()
	mountErr := &options.OptionError{Option: "mountPoint", Problem: "cannot hold the iframe: detached"}
	b.mountErr = mountErr
	rec := &recorder{}
	e := New(p, b, rec.onReady)
	e.Start()
	if got := rec.readyCalls(); len(got) != 1 || got[0] != mountErr {
		t.Fatalf("ready calls = %v, want the Mount error", got)
	}
	if b.fetchCount() != 0 {
		t.Error("fetched a token for an iframe that was never mounted")
	}
	assertLive(t, b)
}

func TestEmbedCallsAndUnknownReplies(t *testing.T) {
	te := readyEmbed(t)
	p := te.b.port(t, 0)
	var r replies
	te.Get("getDashboardPermalink", map[string]any{"anchor": "tab-1"}, r.done)
	te.Get("getDataMask", nil, r.done)
	m := p.get(t, "getDashboardPermalink")
	want := protocol.Message{Action: protocol.ActionGet, Method: "getDashboardPermalink", MessageID: "m_superset-embedded-sdk_2", Args: map[string]any{"anchor": "tab-1"}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("posted %+v, want %+v", m, want)
	}
	// Unknown and foreign ids are ignored.
	p.send(protocol.Message{Action: protocol.ActionReply, MessageID: "m_superset-embedded-sdk_99", Result: "x"})
	p.send(protocol.Message{Action: protocol.ActionError, MessageID: "m_other_2", Error: "x"})
	if len(r.list()) != 0 {
		t.Fatalf("unknown ids settled calls: %+v", r.list())
	}
	// Answers in any order.
	p.send(protocol.Message{Action: protocol.ActionError, MessageID: "m_superset-embedded-sdk_3", Error: "no data mask"})
	p.send(protocol.Message{Action: protocol.ActionReply, MessageID: "m_superset-embedded-sdk_2", Result: "https://bi.example.com/superset/dashboard/p/xyz/"})
	got := r.list()
	if len(got) != 2 {
		t.Fatalf("answers: %+v", got)
	}
	if re, ok := got[0].Err.(*protocol.RemoteError); !ok || *re != (protocol.RemoteError{Method: "getDataMask", Text: "no data mask"}) {
		t.Errorf("error answer = %+v", got[0])
	}
	if got[1].Err != nil || got[1].Result != "https://bi.example.com/superset/dashboard/p/xyz/" {
		t.Errorf("reply = %+v", got[1])
	}
	// The same answer again is stale.
	p.send(protocol.Message{Action: protocol.ActionReply, MessageID: "m_superset-embedded-sdk_2", Result: "again"})
	if len(r.list()) != 2 {
		t.Error("a stale answer was taken")
	}
}

func TestEmbedHostMethods(t *testing.T) {
	te := readyEmbed(t)
	p := te.b.port(t, 0)
	last := func() protocol.Message { ms := p.messages(); return ms[len(ms)-1] }

	p.send(protocol.Message{Action: protocol.ActionGet, Method: "resolvePermalinkUrl", MessageID: "m_page_1", Args: map[string]any{"key": "abc"}})
	if got, want := last(), (protocol.Message{Action: protocol.ActionError, MessageID: "m_page_1", Error: `[superset-embedded-sdk] Method "resolvePermalinkUrl" is not defined`}); !reflect.DeepEqual(got, want) {
		t.Errorf("undefined method: %+v, want %+v", got, want)
	}

	var gotArgs []any
	var pendingReply func(any, error)
	te.Define("resolvePermalinkUrl", func(args any, reply func(any, error)) {
		gotArgs = append(gotArgs, args)
		pendingReply = reply
	})
	p.send(protocol.Message{Action: protocol.ActionGet, Method: "resolvePermalinkUrl", MessageID: "m_page_2", Args: map[string]any{"key": "abc"}})
	if !reflect.DeepEqual(gotArgs, []any{map[string]any{"key": "abc"}}) || pendingReply == nil {
		t.Fatalf("defined method got %v", gotArgs)
	}
	n := len(p.messages())
	pendingReply("https://host.example/report?p=abc", nil)
	if got, want := last(), (protocol.Message{Action: protocol.ActionReply, MessageID: "m_page_2", Result: "https://host.example/report?p=abc"}); len(p.messages()) != n+1 || !reflect.DeepEqual(got, want) {
		t.Errorf("reply: %+v, want %+v", got, want)
	}

	te.Define("resolvePermalinkUrl", func(args any, reply func(any, error)) { reply(nil, errors.New("no permalink")) })
	p.send(protocol.Message{Action: protocol.ActionGet, Method: "resolvePermalinkUrl", MessageID: "m_page_3"})
	if got, want := last(), (protocol.Message{Action: protocol.ActionError, MessageID: "m_page_3", Error: "no permalink"}); !reflect.DeepEqual(got, want) {
		t.Errorf("error reply: %+v, want %+v", got, want)
	}

	// Emits reach the defined method, with no reply function.
	var masks []any
	replyGiven := false
	te.Define("observeDataMask", func(args any, reply func(any, error)) {
		masks = append(masks, args)
		replyGiven = reply != nil
	})
	mask := map[string]any{"crossFiltersChanged": true, "nativeFiltersChanged": false}
	n = len(p.messages())
	p.send(protocol.Message{Action: protocol.ActionEmit, Method: "observeDataMask", Args: mask})
	if !reflect.DeepEqual(masks, []any{mask}) || replyGiven {
		t.Errorf("observeDataMask got %v (reply given %v)", masks, replyGiven)
	}
	// An emit of an undefined method is dropped silently.
	p.send(protocol.Message{Action: protocol.ActionEmit, Method: "somethingElse", Args: 1.0})
	if len(p.messages()) != n {
		t.Errorf("emits were answered: %s", formatMessages(p.messages()[n:]))
	}

	// Define(nil) removes the method.
	te.Define("resolvePermalinkUrl", nil)
	p.send(protocol.Message{Action: protocol.ActionGet, Method: "resolvePermalinkUrl", MessageID: "m_page_4"})
	if got := last(); got.Action != protocol.ActionError || got.Error != `[superset-embedded-sdk] Method "resolvePermalinkUrl" is not defined` {
		t.Errorf("after Define(nil): %+v", got)
	}

	// Messages from a document that is gone are ignored.
	te.b.load(t)
	before := len(p.messages())
	p.send(protocol.Message{Action: protocol.ActionGet, Method: "nope", MessageID: "m_page_5"})
	p.send(protocol.Message{Action: protocol.ActionEmit, Method: "observeDataMask", Args: mask})
	if len(p.messages()) != before || len(masks) != 1 {
		t.Error("the old document was heard")
	}
}

func TestEmbedDebugLog(t *testing.T) {
	te := readyEmbed(t)
	lines := te.b.logLines()
	if len(lines) == 0 {
		t.Fatal("no debug lines")
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "[dashembed][dashboard 42] ") {
			t.Errorf("line without the prefix: %q", line)
		}
	}
	for _, want := range []string{
		"[dashembed][dashboard 42] embedding",
		"[dashembed][dashboard 42] sent message channel to the iframe (document 1)",
		"[dashembed][dashboard 42] sent guest token",
		"[dashembed][dashboard 42] next guest token in 55000 ms",
		"[dashembed][dashboard 42] document 1 is an embedded dashboard",
	} {
		found := false
		for _, line := range lines {
			found = found || line == want
		}
		if !found {
			t.Errorf("missing line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
	for _, line := range lines {
		if strings.Contains(line, "eyJ") {
			t.Errorf("a token was logged: %q", line)
		}
	}

	quiet := startTestEmbed(t, func(p *options.Params) { p.Debug = false })
	quiet.b.load(t)
	quiet.b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
	quiet.b.port(t, 0).answerProbe(t)
	if lines := quiet.b.logLines(); len(lines) != 0 {
		t.Errorf("debug off, yet logged %q", lines)
	}
}

func TestEmbedConnectFails(t *testing.T) {
	te := startTestEmbed(t, nil)
	te.b.connectErr = errors.New("the iframe has no window")
	te.b.load(t)
	assertEvents(t, te.rec, ev(contract.EventError, Detail{"code": contract.CodeHandshakeTimeout, "message": "could not open a channel to the iframe: the iframe has no window"}))
	var r replies
	te.Get("getScrollSize", nil, r.done)
	if got := r.list(); len(got) != 1 {
		t.Fatalf("%d answers", len(got))
	} else {
		portClosed(t, got[0], "getScrollSize", "the iframe does not show an embedded dashboard")
	}
}

// TestEmbedPostFails: Port.Post may fail (Browser contract: "when m cannot
// be cloned"). A call whose message could not be sent ends at once with a
// *protocol.SendError; a probe that could not be sent is no answer from the page; and
// neither may panic (the probe fails synchronously inside onLoad).
func TestEmbedPostFails(t *testing.T) {
	te := startTestEmbed(t, nil)
	b := te.b
	b.postErr = func(m protocol.Message) error {
		if m.Method == protocol.ProbeMethod || m.Method == "setDataMask" {
			return errors.New("DataCloneError")
		}
		return nil
	}
	b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
	b.load(t)
	var r replies
	te.Get("setDataMask", map[string]any{"dataMask": "x"}, r.done)
	if got := r.list(); len(got) != 1 {
		t.Fatalf("%d answers to an unsendable call", len(got))
	} else if se, ok := got[0].Err.(*protocol.SendError); !ok || *se != (protocol.SendError{Method: "setDataMask", Reason: "DataCloneError"}) ||
		se.Error() != "dashembed: could not send setDataMask: DataCloneError" {
		t.Errorf("answer = %#v", got[0].Err)
	}
	if got := te.rec.readyCalls(); len(got) != 0 {
		t.Fatalf("an unsent probe counted as an answer: ready calls = %v", got)
	}
	b.Advance(5 * time.Second)
	got := te.rec.readyCalls()
	if len(got) != 1 {
		t.Fatalf("ready calls = %v", got)
	}
	embedError(t, got[0], contract.CodeHandshakeTimeout, handshakeText)
	// startTestEmbed's cleanup fails the test on any recovered panic.
}

// TestEmbedOnFromListener: a host app's listener that subscribes to another
// event (on('ready', () => dashboard.on('resize', …))) runs inside the
// embed's serial queue, so On's work is queued: it must still return the real id,
// or the app can never unsubscribe.
func TestEmbedOnFromListener(t *testing.T) {
	te := startTestEmbed(t, nil)
	var inner int
	var calls int
	onNow(te.Embed, contract.EventReady, func(Detail) {
		if inner == 0 {
			inner = onNow(te.Embed, contract.EventTokenRefreshed, func(Detail) { calls++ })
		}
	})
	b := te.b
	b.load(t)
	b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
	b.port(t, 0).answerProbe(t)
	if inner == 0 {
		t.Fatal("On called from a listener returned 0, which Off cannot use")
	}
	te.Off(inner)
	b.Advance(55 * time.Second)
	b.lastFetch(t).resolve(tokenFor(b.wall(), time.Hour))
	if calls != 0 {
		t.Errorf("the listener removed with Off(%d) was called %d times", inner, calls)
	}
}
