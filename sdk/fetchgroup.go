package sdk

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
	waiters []func(any, error)
}

// Do reports the outcome of fn's call in flight to done, starting one with
// start if none is.
func (g *FetchGroup) Do(fn any, start func(done func(any, error)), done func(any, error)) {
	g.mu.Lock()
	for _, f := range g.flights {
		if g.Same(f.fn, fn) {
			f.waiters = append(f.waiters, done)
			g.mu.Unlock()
			return
		}
	}
	f := &flight{fn: fn, waiters: []func(any, error){done}}
	g.flights = append(g.flights, f)
	g.mu.Unlock()
	start(func(v any, err error) { g.land(f, v, err) })
}

// InFlight reports how many distinct calls are under way.
func (g *FetchGroup) InFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.flights)
}

func (g *FetchGroup) land(f *flight, v any, err error) {
	g.mu.Lock()
	for i, other := range g.flights {
		if other == f {
			g.flights = append(g.flights[:i:i], g.flights[i+1:]...)
			break
		}
	}
	waiters := f.waiters
	f.waiters = nil
	g.mu.Unlock()
	for _, w := range waiters {
		w(v, err)
	}
}
