package sdk

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestKnownEvent(t *testing.T) {
	for _, name := range []string{"ready", "tokenRefreshed", "tokenError", "navigated", "resize", "error"} {
		if !KnownEvent(name) {
			t.Errorf("KnownEvent(%q) = false", name)
		}
	}
	for _, name := range []string{"", "Ready", "load", "message", "tokenrefreshed", "ready "} {
		if KnownEvent(name) {
			t.Errorf("KnownEvent(%q) = true", name)
		}
	}
}

func TestEmbedErrorText(t *testing.T) {
	err := &EmbedError{Code: CodeTokenInvalid, Message: "fetchGuestToken must resolve to a non-empty string, got a number"}
	if got := err.Error(); got != "dashembed: fetchGuestToken must resolve to a non-empty string, got a number" {
		t.Errorf("Error() = %q", got)
	}
	if CodeHandshakeTimeout != "HANDSHAKE_TIMEOUT" || CodeTokenInvalid != "TOKEN_INVALID" || CodeTokenFetchFailed != "TOKEN_FETCH_FAILED" {
		t.Error("error codes changed")
	}
}

func TestListenersOrderAndFilter(t *testing.T) {
	var l listeners
	var got []string
	rec := func(tag string) func(Detail) {
		return func(d Detail) { got = append(got, tag+":"+d["n"].(string)) }
	}
	l.add("ready", rec("r1"))
	l.add("error", rec("e1"))
	l.add("ready", rec("r2"))
	l.add("ready", rec("r3"))
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
		ids[i] = l.add("ready", func(Detail) { got = append(got, i) })
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
	if id := l.add("ready", func(Detail) {}); id != 5 {
		t.Errorf("next id = %d, want 5", id)
	}
}

func TestListenersPanicDoesNotStopOthers(t *testing.T) {
	var l listeners
	var got []string
	l.add("error", func(Detail) { got = append(got, "a") })
	l.add("error", func(Detail) { panic("listener bug") })
	l.add("error", func(Detail) { var m map[string]int; m["x"]++ })
	l.add("error", func(Detail) { got = append(got, "d") })
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
	l.add("ready", func(Detail) {
		got = append(got, "first")
		l.remove(second)
		l.add("ready", func(Detail) { got = append(got, "added") })
	})
	second = l.add("ready", func(Detail) { got = append(got, "second") })
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
	a := te.On(EventTokenError, func(d Detail) { got = append(got, "a") })
	b := te.On(EventTokenError, func(d Detail) { panic("host app bug") })
	c := te.On(EventTokenError, func(d Detail) { got = append(got, "c") })
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
