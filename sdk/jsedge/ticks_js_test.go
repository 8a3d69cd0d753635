//go:build js && wasm

package jsedge

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestEverySecond: every subscriber ticks about once a second from one
// shared timer, which stops when the last one leaves.
func TestEverySecond(t *testing.T) {
	var a, b atomic.Int32
	stopA := everySecond(func() { a.Add(1) })
	stopB := everySecond(func() { b.Add(1) })
	time.Sleep(2300 * time.Millisecond)
	if a.Load() != 2 || b.Load() != 2 {
		t.Errorf("ticks in 2.3 s: %d and %d, want 2 each", a.Load(), b.Load())
	}
	stopA()
	ticks.Lock()
	running := ticks.timer != nil
	ticks.Unlock()
	if !running {
		t.Fatal("the timer stopped while a subscriber remained")
	}
	stopB()
	ticks.Lock()
	running = ticks.timer != nil
	ticks.Unlock()
	if running {
		t.Fatal("the timer runs with no subscriber")
	}
	before := a.Load() + b.Load()
	time.Sleep(1200 * time.Millisecond)
	if after := a.Load() + b.Load(); after != before {
		t.Errorf("%d ticks after both stopped", after-before)
	}
}
