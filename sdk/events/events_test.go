package events

import (
	"reflect"
	"testing"
)

func TestListenersOrderAndFilter(t *testing.T) {
	var l Listeners
	var got []string
	rec := func(tag string) func(Detail) {
		return func(d Detail) { got = append(got, tag+":"+d["n"].(string)) }
	}
	_, _ = l.Add("ready", rec("r1"))
	_, _ = l.Add("error", rec("e1"))
	_, _ = l.Add("ready", rec("r2"))
	_, _ = l.Add("ready", rec("r3"))
	l.Emit("ready", Detail{"n": "1"})
	l.Emit("error", Detail{"n": "2"})
	l.Emit("resize", Detail{"n": "3"})
	want := []string{"r1:1", "r2:1", "r3:1", "e1:2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestListenersIDsAndRemove(t *testing.T) {
	var l Listeners
	var got []int
	ids := make([]int, 4)
	for i := range ids {
		ids[i], _ = l.Add("ready", func(Detail) { got = append(got, i) })
	}
	if !reflect.DeepEqual(ids, []int{1, 2, 3, 4}) {
		t.Errorf("ids = %v, want 1..4", ids)
	}
	l.Remove(ids[1])
	l.Remove(ids[1]) // twice: ignored
	l.Remove(99)     // unknown: ignored
	l.Remove(0)
	l.Emit("ready", nil)
	if !reflect.DeepEqual(got, []int{0, 2, 3}) {
		t.Errorf("after remove(2): calls = %v, want [0 2 3]", got)
	}
	// Ids are never reused.
	if id, _ := l.Add("ready", func(Detail) {}); id != 5 {
		t.Errorf("next id = %d, want 5", id)
	}
}

func TestListenersPanicDoesNotStopOthers(t *testing.T) {
	var l Listeners
	var got []string
	_, _ = l.Add("error", func(Detail) { got = append(got, "a") })
	_, _ = l.Add("error", func(Detail) { panic("listener bug") })
	_, _ = l.Add("error", func(Detail) { var m map[string]int; m["x"]++ })
	_, _ = l.Add("error", func(Detail) { got = append(got, "d") })
	l.Emit("error", Detail{"code": "X"})
	l.Emit("error", Detail{"code": "Y"})
	if !reflect.DeepEqual(got, []string{"a", "d", "a", "d"}) {
		t.Errorf("calls = %q", got)
	}
}

func TestListenersChangedDuringEmit(t *testing.T) {
	var l Listeners
	var got []string
	var second int
	_, _ = l.Add("ready", func(Detail) {
		got = append(got, "first")
		l.Remove(second)
		_, _ = l.Add("ready", func(Detail) { got = append(got, "added") })
	})
	second, _ = l.Add("ready", func(Detail) { got = append(got, "second") })
	l.Emit("ready", nil)
	// A listener removed by an earlier one is not called; one added during
	// the emit waits for the next.
	if !reflect.DeepEqual(got, []string{"first"}) {
		t.Errorf("first emit: %q", got)
	}
	got = nil
	l.Emit("ready", nil)
	if !reflect.DeepEqual(got, []string{"first", "added"}) {
		t.Errorf("second emit: %q", got)
	}
}

// Events emitted before anyone listened to their name go to the first
// listener of that name only, and no more than MaxHeld of them.
func TestListenersHoldEventsForTheFirstListener(t *testing.T) {
	var l Listeners
	for i := 0; i < MaxHeld+3; i++ {
		l.Emit("error", Detail{"n": float64(i)})
	}
	l.Emit("ready", Detail{})
	_, held := l.Add("error", func(Detail) {})
	if len(held) != MaxHeld || held[0]["n"] != 0.0 || held[MaxHeld-1]["n"] != float64(MaxHeld-1) {
		t.Errorf("first error listener got %v, want the first %d errors", held, MaxHeld)
	}
	if _, again := l.Add("error", func(Detail) {}); len(again) != 0 {
		t.Errorf("second error listener got %v, want nothing", again)
	}
	// Once a name has had a listener, its events are no longer held.
	var l2 Listeners
	_, _ = l2.Add("resize", func(Detail) {})
	l2.Clear()
	if _, held := l2.Add("ready", func(Detail) {}); len(held) != 0 {
		t.Errorf("held after clear: %v", held)
	}
	if _, held := l.Add("ready", func(Detail) {}); len(held) != 1 {
		t.Errorf("ready listener got %v, want the one ready", held)
	}
}
