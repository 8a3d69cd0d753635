package embed

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSerialRunsAtOnceWhenIdle(t *testing.T) {
	var s serialQueue
	ran := false
	s.Do(func() { ran = true })
	if !ran {
		t.Fatal("Do on an idle serialQueue did not run f before returning")
	}
}

func TestSerialReentrantDoQueues(t *testing.T) {
	var s serialQueue
	var log []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Do(func() {
			log = append(log, "outer start")
			s.Do(func() {
				log = append(log, "inner 1 start")
				s.Do(func() { log = append(log, "innermost") })
				log = append(log, "inner 1 end")
			})
			s.Do(func() { log = append(log, "inner 2") })
			log = append(log, "outer end")
		})
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("re-entrant Do deadlocked")
	}
	want := []string{"outer start", "outer end", "inner 1 start", "inner 1 end", "inner 2", "innermost"}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("order = %q\nwant %q", log, want)
	}
}

func TestSerialFIFO(t *testing.T) {
	var s serialQueue
	var got []int
	s.Do(func() {
		for i := range 100 {
			s.Do(func() { got = append(got, i) })
		}
	})
	if len(got) != 100 {
		t.Fatalf("ran %d of 100", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("position %d ran %d: not FIFO: %v", i, v, got)
		}
	}
}

// TestSerialConcurrent checks, under -race, that functions submitted from
// many goroutines never overlap and that none is lost.
func TestSerialConcurrent(t *testing.T) {
	var s serialQueue
	counter, running, overlaps := 0, 0, 0
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				s.Do(func() {
					running++
					if running != 1 {
						overlaps++
					}
					counter++
					running--
				})
			}
		}()
	}
	wg.Wait()
	// Every Do has returned, so the goroutine that ran the queue is done.
	if counter != 16*200 || overlaps != 0 {
		t.Errorf("counter = %d (want %d), overlaps = %d", counter, 16*200, overlaps)
	}
}

func TestSerialPanic(t *testing.T) {
	tests := []struct {
		name  string
		value any
	}{
		{"string", "boom"},
		{"error", errors.New("bad state")},
		{"int", 42},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s serialQueue
			var panics []any
			s.OnPanic = func(v any) { panics = append(panics, v) }
			var log []string
			s.Do(func() {
				s.Do(func() { log = append(log, "first"); panic(tt.value) })
				s.Do(func() { log = append(log, "second") })
			})
			if !reflect.DeepEqual(log, []string{"first", "second"}) {
				t.Errorf("ran %q, want first then second", log)
			}
			if len(panics) != 1 || !reflect.DeepEqual(panics[0], tt.value) {
				t.Errorf("OnPanic got %#v, want [%#v]", panics, tt.value)
			}
			// The serialQueue is idle again: the next Do runs at once.
			ran := false
			s.Do(func() { ran = true })
			if !ran {
				t.Error("serialQueue stuck after a panic")
			}
		})
	}
}

func TestSerialPanicInOutermost(t *testing.T) {
	var s serialQueue
	var panics []any
	s.OnPanic = func(v any) { panics = append(panics, v) }
	ranQueued := false
	s.Do(func() {
		s.Do(func() { ranQueued = true })
		panic("outer")
	})
	if !ranQueued || len(panics) != 1 || panics[0] != "outer" {
		t.Errorf("ranQueued = %v, panics = %v", ranQueued, panics)
	}
}

func TestSerialPanicWithoutOnPanic(t *testing.T) {
	var s serialQueue
	ran := false
	s.Do(func() {
		s.Do(func() { ran = true })
		panic("nobody listens")
	})
	if !ran {
		t.Error("the queue stopped after an unreported panic")
	}
}

func TestSerialTryDo(t *testing.T) {
	var s serialQueue
	var order []string
	if !s.TryDo(func() {
		order = append(order, "first")
		s.Do(func() { order = append(order, "queued") })
		if s.TryDo(func() { order = append(order, "nested") }) {
			t.Error("TryDo ran while other work was under way")
		}
	}) {
		t.Fatal("TryDo refused with nothing running")
	}
	if got := strings.Join(order, ","); got != "first,queued" {
		t.Errorf("ran %s, want first,queued: work queued meanwhile runs before TryDo returns", got)
	}
	if !s.TryDo(func() {}) {
		t.Error("TryDo refused after the queue drained")
	}
}
