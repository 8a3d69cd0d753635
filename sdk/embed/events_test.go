package embed

import (
	"errors"
	"github.com/dashembed/dashembed/sdk/contract"
	"reflect"
	"testing"
	"time"
)

func TestKnownEvent(t *testing.T) {
	for _, name := range []string{"ready", "tokenRefreshed", "tokenError", "navigated", "resize", "error"} {
		if !contract.KnownEvent(name) {
			t.Errorf("KnownEvent(%q) = false", name)
		}
	}
	for _, name := range []string{"", "Ready", "load", "message", "tokenrefreshed", "ready "} {
		if contract.KnownEvent(name) {
			t.Errorf("KnownEvent(%q) = true", name)
		}
	}
}

func TestEmbedErrorText(t *testing.T) {
	err := &Error{Code: contract.CodeTokenInvalid, Message: "fetchGuestToken must resolve to a non-empty string, got a number"}
	if got := err.Error(); got != "dashembed: fetchGuestToken must resolve to a non-empty string, got a number" {
		t.Errorf("Error() = %q", got)
	}
	if contract.CodeHandshakeTimeout != "HANDSHAKE_TIMEOUT" || contract.CodeTokenInvalid != "TOKEN_INVALID" || contract.CodeTokenFetchFailed != "TOKEN_FETCH_FAILED" {
		t.Error("error codes changed")
	}
}

func TestEmbedOnOff(t *testing.T) {
	te := startTestEmbed(t, nil)
	var got []string
	a := onNow(te.Embed, contract.EventTokenError, func(d Detail) { got = append(got, "a") })
	b := onNow(te.Embed, contract.EventTokenError, func(d Detail) { panic("host app bug") })
	c := onNow(te.Embed, contract.EventTokenError, func(d Detail) { got = append(got, "c") })
	if a == 0 || b == 0 || c == 0 || a == b || b == c {
		t.Fatalf("ids %d %d %d", a, b, c)
	}
	te.b.load(t)
	te.b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
	te.b.port(t, 0).answerProbe(t)
	te.b.Advance(55 * time.Second)
	te.b.lastFetch(t).reject(errors.New("offline"))
	if !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Fatalf("calls = %q, want a then c", got)
	}
	te.Off(a)
	te.Off(12345)
	te.b.Advance(10 * time.Second)
	te.b.lastFetch(t).reject(errors.New("offline"))
	if !reflect.DeepEqual(got, []string{"a", "c", "c"}) {
		t.Errorf("after Off(a): calls = %q", got)
	}
}

// The first document's ready fires before embedDashboard resolves, so
// before the app can call on(): a listener subscribed afterwards still hears
// it, and unsubscribing before the catch-up runs silences it.
func TestEmbedReadyReachesALateListener(t *testing.T) {
	b := newFakeBrowser()
	e := New(embedTestParams(), b, func(error) {})
	e.Start()
	b.load(t)
	b.lastFetch(t).resolve(tokenExpiringIn(time.Minute))
	b.port(t, 0).answerProbe(t)
	var heard int
	_, catchUp := e.On(contract.EventReady, func(Detail) { heard++ })
	if heard != 0 {
		t.Fatal("On delivered a held event before returning")
	}
	catchUp()
	if heard != 1 {
		t.Errorf("late ready listener heard %d events, want 1", heard)
	}
	id, catchUp := e.On(contract.EventReady, func(Detail) { heard++ })
	catchUp()
	if heard != 1 {
		t.Errorf("a second ready listener heard the held event too")
	}
	e.Off(id)
}
