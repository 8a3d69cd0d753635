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
	s.drain()
}

// drain runs the queue until it is empty; s.mu is held on entry and
// released on return.
func (s *serialQueue) drain() {
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

// TryDo runs f now and reports true, or reports false without running it
// when other work is under way (f would have to wait, and its caller wants
// its result now).
func (s *serialQueue) TryDo(f func()) bool {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return false
	}
	s.running = true
	s.mu.Unlock()
	s.run(f)
	s.mu.Lock()
	s.drain()
	return true
}

func (s *serialQueue) run(f func()) {
	defer func() {
		if v := recover(); v != nil && s.OnPanic != nil {
			s.OnPanic(v)
		}
	}()
	f()
}
