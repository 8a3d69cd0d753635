//go:build js && wasm

package jsedge

import (
	"sync"
	"time"
)

// ticks is one ticker for every embed on the page: however many dashboards
// there are, the page wakes once a second for them all, and not at all when
// none is mounted.
var ticks struct {
	sync.Mutex
	next   int
	fns    map[int]func()
	ticker *time.Ticker
	stop   chan struct{}
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
	if ticks.ticker == nil {
		ticks.ticker = time.NewTicker(time.Second)
		ticks.stop = make(chan struct{})
		go tickLoop(ticks.ticker.C, ticks.stop)
	}
	return func() {
		ticks.Lock()
		defer ticks.Unlock()
		delete(ticks.fns, id)
		if len(ticks.fns) == 0 && ticks.ticker != nil {
			ticks.ticker.Stop()
			close(ticks.stop)
			ticks.ticker, ticks.stop = nil, nil
		}
	}
}

func tickLoop(c <-chan time.Time, stop chan struct{}) {
	var fns []func() // reused: a tick a second should leave no garbage
	for {
		select {
		case <-stop:
			return
		case <-c:
		}
		ticks.Lock()
		fns = fns[:0]
		for _, f := range ticks.fns {
			fns = append(fns, f)
		}
		ticks.Unlock()
		for _, f := range fns {
			f()
		}
		// Hold no unmounted embed's callback until the next tick.
		clear(fns)
	}
}
