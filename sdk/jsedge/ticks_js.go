//go:build js && wasm

package jsedge

import (
	"sync"
	"time"
)

// ticks is one timer for every embed on the page: however many dashboards
// there are, the page wakes once a second for them all, and not at all when
// none is mounted. It is a time.AfterFunc re-armed after each tick rather
// than a time.Ticker: a Ticker's channel of time.Time, and the goroutine
// selecting on it, keep time's formatting code and the runtime's select in
// the wasm, about 30 KB compressed.
var ticks struct {
	sync.Mutex
	next  int
	fns   map[int]func()
	timer *time.Timer
	due   []func() // reused: a tick a second should leave no garbage
}

// everySecond calls f about once a second of running time until the
// returned function is called.
func everySecond(f func()) (stop func()) {
	ticks.Lock()
	defer ticks.Unlock()
	if ticks.fns == nil {
		ticks.fns = map[int]func(){}
	}
	ticks.next++
	id := ticks.next
	ticks.fns[id] = f
	if ticks.timer == nil {
		ticks.timer = time.AfterFunc(time.Second, tick)
	}
	return func() {
		ticks.Lock()
		defer ticks.Unlock()
		delete(ticks.fns, id)
		if len(ticks.fns) == 0 && ticks.timer != nil {
			ticks.timer.Stop()
			ticks.timer = nil
		}
	}
}

// tick calls every subscriber, then arms the timer for the next second if
// any is left.
func tick() {
	ticks.Lock()
	if ticks.timer == nil {
		ticks.Unlock()
		return // the last subscriber left as the timer fired
	}
	fns := ticks.due[:0]
	ticks.due = nil // a tick of a timer started meanwhile makes its own
	for _, f := range ticks.fns {
		fns = append(fns, f)
	}
	ticks.Unlock()
	for _, f := range fns {
		f()
	}
	ticks.Lock()
	// Hold no unmounted embed's callback until the next tick.
	clear(fns)
	ticks.due = fns
	if ticks.timer != nil && len(ticks.fns) > 0 {
		ticks.timer.Reset(time.Second)
	}
	ticks.Unlock()
}
