package token

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// fetchFn stands for a page's fetchGuestToken function; the group compares
// them by identity, as the edge compares browser values.
type fetchFn struct{ name string }

func newFetchGroup() *FetchGroup {
	return &FetchGroup{Same: func(a, b any) bool { return a.(*fetchFn) == b.(*fetchFn) }}
}

// flightRecorder starts calls that land only when the test says so.
type flightRecorder struct {
	mu     sync.Mutex
	starts map[*fetchFn]int
	lands  map[*fetchFn][]func(any, error)
}

func newFlightRecorder() *flightRecorder {
	return &flightRecorder{starts: map[*fetchFn]int{}, lands: map[*fetchFn][]func(any, error){}}
}

func (r *flightRecorder) start(fn *fetchFn) func(func(any, error)) {
	return func(land func(any, error)) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.starts[fn]++
		r.lands[fn] = append(r.lands[fn], land)
	}
}

func (r *flightRecorder) started(fn *fetchFn) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.starts[fn]
}

// land completes the oldest call of fn still in flight.
func (r *flightRecorder) land(t *testing.T, fn *fetchFn, v any, err error) {
	t.Helper()
	r.mu.Lock()
	if len(r.lands[fn]) == 0 {
		r.mu.Unlock()
		t.Fatalf("no call of %s in flight", fn.name)
	}
	land := r.lands[fn][0]
	r.lands[fn] = r.lands[fn][1:]
	r.mu.Unlock()
	land(v, err)
}

// outcomes collects what the waiters of Do were told.
type outcomes struct {
	mu   sync.Mutex
	got  []any
	errs []error
}

func (o *outcomes) done(v any, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, v)
	o.errs = append(o.errs, err)
}

func (o *outcomes) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.got)
}

func TestFetchGroupConcurrentShareOneStart(t *testing.T) {
	g := newFetchGroup()
	rec := newFlightRecorder()
	fn := &fetchFn{"fetchGuestToken"}
	var out outcomes
	const callers = 32
	var wg sync.WaitGroup
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.Do(fn, rec.start(fn), out.done)
		}()
	}
	wg.Wait()
	if n := rec.started(fn); n != 1 {
		t.Fatalf("%d calls started for %d concurrent Do with the same function, want 1", n, callers)
	}
	if g.InFlight() != 1 {
		t.Errorf("InFlight = %d, want 1", g.InFlight())
	}
	if out.count() != 0 {
		t.Errorf("%d waiters told before the call landed", out.count())
	}
	rec.land(t, fn, "token-1", nil)
	if out.count() != callers {
		t.Fatalf("%d waiters told, want %d", out.count(), callers)
	}
	for i, v := range out.got {
		if v != "token-1" || out.errs[i] != nil {
			t.Errorf("waiter %d got %v, %v; want token-1", i, v, out.errs[i])
		}
	}
	if g.InFlight() != 0 {
		t.Errorf("InFlight = %d after landing, want 0", g.InFlight())
	}
}

func TestFetchGroupDifferentFunctionsDoNotShare(t *testing.T) {
	g := newFetchGroup()
	rec := newFlightRecorder()
	a, b := &fetchFn{"a"}, &fetchFn{"b"}
	// Two functions with the same text are still two functions.
	var outA, outB outcomes
	g.Do(a, rec.start(a), outA.done)
	g.Do(b, rec.start(b), outB.done)
	g.Do(a, rec.start(a), outA.done)
	if rec.started(a) != 1 || rec.started(b) != 1 {
		t.Fatalf("starts: a %d, b %d; want one each", rec.started(a), rec.started(b))
	}
	if g.InFlight() != 2 {
		t.Errorf("InFlight = %d, want 2", g.InFlight())
	}
	rec.land(t, b, "token-b", nil)
	if outA.count() != 0 || outB.count() != 1 || outB.got[0] != "token-b" {
		t.Errorf("after b landed: a told %d times, b got %v", outA.count(), outB.got)
	}
	rec.land(t, a, nil, errors.New("HTTP 503"))
	if outA.count() != 2 {
		t.Fatalf("a's waiters told %d times, want 2", outA.count())
	}
	for i, err := range outA.errs {
		if err == nil || err.Error() != "HTTP 503" || outA.got[i] != nil {
			t.Errorf("a's waiter %d got %v, %v; want the error", i, outA.got[i], err)
		}
	}
}

func TestFetchGroupNewCallAfterLanding(t *testing.T) {
	g := newFetchGroup()
	rec := newFlightRecorder()
	fn := &fetchFn{"fetchGuestToken"}
	var first, second outcomes
	g.Do(fn, rec.start(fn), first.done)
	rec.land(t, fn, "token-1", nil)
	g.Do(fn, rec.start(fn), second.done)
	if n := rec.started(fn); n != 2 {
		t.Fatalf("%d calls started, want a new one after the first landed", n)
	}
	if second.count() != 0 {
		t.Fatalf("the second Do was answered with the landed value %v: a refresh must fetch a fresh token", second.got)
	}
	rec.land(t, fn, "token-2", nil)
	if first.count() != 1 || second.count() != 1 || second.got[0] != "token-2" {
		t.Errorf("first %v, second %v; want [token-1], [token-2]", first.got, second.got)
	}
}

// TestFetchGroupSynchronousLanding: fetchGuestToken may settle before start
// returns (a cached token): every caller still gets its own call.
func TestFetchGroupSynchronousLanding(t *testing.T) {
	g := newFetchGroup()
	fn := &fetchFn{"cached"}
	starts := 0
	var out outcomes
	for i := 0; i < 3; i++ {
		g.Do(fn, func(land func(any, error)) {
			starts++
			land("cached-token", nil)
		}, out.done)
	}
	if starts != 3 || out.count() != 3 {
		t.Errorf("starts %d, answers %d; want 3 and 3", starts, out.count())
	}
	if g.InFlight() != 0 {
		t.Errorf("InFlight = %d, want 0", g.InFlight())
	}
}

// TestFetchGroupDoFromWaiter: an embed that gets its token schedules or
// starts the next fetch from inside its waiter; that must start a new call,
// not deadlock nor join the flight that just landed.
func TestFetchGroupDoFromWaiter(t *testing.T) {
	g := newFetchGroup()
	rec := newFlightRecorder()
	fn := &fetchFn{"fetchGuestToken"}
	var inner outcomes
	g.Do(fn, rec.start(fn), func(any, error) {
		g.Do(fn, rec.start(fn), inner.done)
	})
	rec.land(t, fn, "token-1", nil)
	if n := rec.started(fn); n != 2 {
		t.Fatalf("%d calls started, want 2", n)
	}
	rec.land(t, fn, "token-2", nil)
	if inner.count() != 1 || inner.got[0] != "token-2" {
		t.Errorf("inner waiter got %v, want [token-2]", inner.got)
	}
}

// TestFetchGroupRace hammers the group from many goroutines with a few
// functions: in each round every Do comes before any landing, so each
// function is called once per round, and every waiter is told exactly once,
// with its own function's value.
func TestFetchGroupRace(t *testing.T) {
	g := newFetchGroup()
	fns := []*fetchFn{{"a"}, {"b"}, {"c"}}
	var starts, told atomic.Int64
	const perFn, rounds = 8, 50
	for round := 0; round < rounds; round++ {
		var callers sync.WaitGroup
		var mu sync.Mutex
		var pending []func()
		for _, fn := range fns {
			for i := 0; i < perFn; i++ {
				callers.Add(1)
				go func() {
					defer callers.Done()
					g.Do(fn, func(land func(any, error)) {
						starts.Add(1)
						mu.Lock()
						pending = append(pending, func() { land(fn.name, nil) })
						mu.Unlock()
					}, func(v any, err error) {
						if v != fn.name || err != nil {
							t.Errorf("waiter of %s got %v, %v", fn.name, v, err)
						}
						told.Add(1)
					})
				}()
			}
		}
		callers.Wait()
		var landing sync.WaitGroup
		for _, land := range pending {
			landing.Add(1)
			go func() {
				defer landing.Done()
				land()
			}()
		}
		landing.Wait()
	}
	if want := int64(len(fns) * rounds); starts.Load() != want {
		t.Errorf("%d calls started, want %d (one per function per round)", starts.Load(), want)
	}
	if want := int64(len(fns) * perFn * rounds); told.Load() != want {
		t.Errorf("%d waiters told, want %d", told.Load(), want)
	}
}
