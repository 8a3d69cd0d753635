package token

import "sync"

// FetchGroup shares one fetchGuestToken call among the embeds that use the
// same function: a page with several dashboards, all due for a refresh at
// about the same time, asks its backend once instead of once each.
type FetchGroup struct {
	// Same tells whether two fetch functions are the same one (the edge
	// compares browser values; tests compare whatever they use).
	Same func(a, b any) bool

	mu      sync.Mutex
	flights []*flight
}

type flight struct {
	fn      any
	waiters []*waiter
}

type waiter struct {
	done func(any, error)
}

// Do reports the outcome of fn's call in flight to done, starting one with
// start if none is. cancel withdraws done; a call nobody waits for any more
// is dropped from the group, so that a call that never settles (a hung
// backend) cannot capture every later fetch: the next Do starts afresh.
func (g *FetchGroup) Do(fn any, start func(done func(any, error)), done func(any, error)) (cancel func()) {
	w := &waiter{done: done}
	g.mu.Lock()
	for _, f := range g.flights {
		if g.Same(f.fn, fn) {
			f.waiters = append(f.waiters, w)
			g.mu.Unlock()
			return func() { g.withdraw(f, w) }
		}
	}
	f := &flight{fn: fn, waiters: []*waiter{w}}
	g.flights = append(g.flights, f)
	g.mu.Unlock()
	start(func(v any, err error) { g.land(f, v, err) })
	return func() { g.withdraw(f, w) }
}

func (g *FetchGroup) withdraw(f *flight, w *waiter) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, other := range f.waiters {
		if other == w {
			f.waiters = append(f.waiters[:i:i], f.waiters[i+1:]...)
			break
		}
	}
	if len(f.waiters) == 0 {
		g.drop(f)
	}
}

// drop removes f from the flights; the caller holds g.mu.
func (g *FetchGroup) drop(f *flight) {
	for i, other := range g.flights {
		if other == f {
			g.flights = append(g.flights[:i:i], g.flights[i+1:]...)
			return
		}
	}
}

// InFlight reports how many distinct calls are under way.
func (g *FetchGroup) InFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.flights)
}

func (g *FetchGroup) land(f *flight, v any, err error) {
	g.mu.Lock()
	g.drop(f)
	waiters := f.waiters
	f.waiters = nil
	g.mu.Unlock()
	for _, w := range waiters {
		w.done(v, err)
	}
}
