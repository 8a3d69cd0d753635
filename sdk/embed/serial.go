package embed

import "sync"

// serialQueue runs functions one at a time, in the order they were submitted,
// without ever blocking the submitter. The browser calls into the SDK from
// event handlers, timers and Promise callbacks, sometimes re-entrantly (a
// fetchGuestToken that calls unmount() before returning): a mutex would
// deadlock the single wasm thread, so work submitted while other work runs is
// queued and run by the goroutine already inside.
type serialQueue struct {
	// OnPanic receives a value a queued function panicked with. The queue
	// goes on with the next function: one bad call must not stop the SDK.
	OnPanic func(any)

	mu      sync.Mutex
	running bool
	queue   []func()
}

// Do runs f now if nothing else is running, otherwise after what is queued.
func (s *serialQueue) Do(f func()) {
	s.mu.Lock()
	s.queue = append(s.queue, f)
	if s.running {
		s.mu.Unlock()
		return
	}
	s.running = true
	for len(s.queue) > 0 {
		next := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		s.mu.Unlock()
		s.run(next)
		s.mu.Lock()
	}
	s.running = false
	s.mu.Unlock()
}

func (s *serialQueue) run(f func()) {
	defer func() {
		if v := recover(); v != nil && s.OnPanic != nil {
			s.OnPanic(v)
		}
	}()
	f()
}
