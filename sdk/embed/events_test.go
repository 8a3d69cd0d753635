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

func TestListenersOrderAndFilter(t *testing.T) {
	var l listeners
	var got []string
	rec := func(tag string) func(Detail) {
		return func(d Detail) { got = append(got, tag+":"+d["n"].(string)) }
	}
	_, _ = l.add("ready", rec("r1"))
	_, _ = l.add("error", rec("e1"))
	_, _ = l.add("ready", rec("r2"))
	_, _ = l.add("ready", rec("r3"))
	l.emit("ready", Detail{"n": "1"})
	l.emit("error", Detail{"n": "2"})
	l.emit("resize", Detail{"n": "3"})
	want := []string{"r1:1", "r2:1", "r3:1", "e1:2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestListenersIDsAndRemove(t *testing.T) {
	var l listeners
	var got []int
	ids := make([]int, 4)
	for i := range ids {
		ids[i], _ = l.add("ready", func(Detail) { got = append(got, i) })
	}
	if !reflect.DeepEqual(ids, []int{1, 2, 3, 4}) {
		t.Errorf("ids = %v, want 1..4", ids)
	}
	l.remove(ids[1])
	l.remove(ids[1]) // twice: ignored
	l.remove(99)     // unknown: ignored
	l.remove(0)
	l.emit("ready", nil)
	if !reflect.DeepEqual(got, []int{0, 2, 3}) {
		t.Errorf("after remove(2): calls = %v, want [0 2 3]", got)
	}
	// Ids are never reused.
	if id, _ := l.add("ready", func(Detail) {}); id != 5 {
		t.Errorf("next id = %d, want 5", id)
	}
}

func TestListenersPanicDoesNotStopOthers(t *testing.T) {
	var l listeners
	var got []string
	_, _ = l.add("error", func(Detail) { got = append(got, "a") })
	_, _ = l.add("error", func(Detail) { panic("listener bug") })
	_, _ = l.add("error", func(Detail) { var m map[string]int; m["x"]++ })
	_, _ = l.add("error", func(Detail) { got = append(got, "d") })
	l.emit("error", Detail{"code": "X"})
	l.emit("error", Detail{"code": "Y"})
	if !reflect.DeepEqual(got, []string{"a", "d", "a", "d"}) {
		t.Errorf("calls = %q", got)
	}
}

func TestListenersChangedDuringEmit(t *testing.T) {
	var l listeners
	var got []string
	var second int
	_, _ = l.add("ready", func(Detail) {
		got = append(got, "first")
		l.remove(second)
		_, _ = l.add("ready", func(Detail) { got = append(got, "added") })
	})
	second, _ = l.add("ready", func(Detail) { got = append(got, "second") })
	l.emit("ready", nil)
	// A listener removed by an earlier one is not called; one added during
	// the emit waits for the next.
	if !reflect.DeepEqual(got, []string{"first"}) {
		t.Errorf("first emit: %q", got)
	}
	got = nil
	l.emit("ready", nil)
	if !reflect.DeepEqual(got, []string{"first", "added"}) {
		t.Errorf("second emit: %q", got)
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

// Events emitted before anyone listened to their name go to the first
// listener of that name only, and no more than maxHeld of them.
func TestListenersHoldEventsForTheFirstListener(t *testing.T) {
	var l listeners
	for i := 0; i < maxHeld+3; i++ {
		l.emit(contract.EventError, Detail{"n": float64(i)})
	}
	l.emit(contract.EventReady, Detail{})
	_, held := l.add(contract.EventError, func(Detail) {})
	if len(held) != maxHeld || held[0]["n"] != 0.0 || held[maxHeld-1]["n"] != float64(maxHeld-1) {
		t.Errorf("first error listener got %v, want the first %d errors", held, maxHeld)
	}
	if _, again := l.add(contract.EventError, func(Detail) {}); len(again) != 0 {
		t.Errorf("second error listener got %v, want nothing", again)
	}
	// Once a name has had a listener, its events are no longer held.
	var l2 listeners
	_, _ = l2.add(contract.EventResize, func(Detail) {})
	l2.clear()
	if _, held := l2.add(contract.EventReady, func(Detail) {}); len(held) != 0 {
		t.Errorf("held after clear: %v", held)
	}
	if _, held := l.add(contract.EventReady, func(Detail) {}); len(held) != 1 {
		t.Errorf("ready listener got %v, want the one ready", held)
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
