//go:build js && wasm

package jsedge

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// fakeClock sets the clock collectSteady reads to a fixed time it returns
// a pointer to, and switches the Go GC's own triggering off, so that only
// the collections asked for run.
func fakeClock(t *testing.T) *time.Time {
	clock := time.Unix(1_700_000_000, 0)
	now = func() time.Time { return clock }
	percent := debug.SetGCPercent(-1)
	lastCollect.Lock()
	lastCollect.at = time.Time{}
	lastCollect.Unlock()
	t.Cleanup(func() {
		now = time.Now
		debug.SetGCPercent(percent)
	})
	return &clock
}

// collections waits for the goroutine collectSoon starts and returns how
// many Go GCs have run.
func collections(t *testing.T) uint32 {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for gcPending.Load() {
		if time.Now().After(deadline) {
			t.Fatal("a scheduled collection did not run")
		}
		time.Sleep(time.Millisecond)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

// TestCollectSteadySpacesCollections: steady work (a settled fetch) gets a
// Go GC at most every steadyCollectEvery, however often it comes, the first
// only starting the clock; an unmount's collectSoon is never held back.
func TestCollectSteadySpacesCollections(t *testing.T) {
	clock := fakeClock(t)

	base := collections(t)
	collectSteady()
	if got := collections(t) - base; got != 0 {
		t.Errorf("%d collections for the first steady work, want 0", got)
	}
	for range 5 {
		*clock = clock.Add(steadyCollectEvery / 10)
		collectSteady()
	}
	if got := collections(t) - base; got != 0 {
		t.Errorf("%d collections for steady work within %v of the first, want 0", got, steadyCollectEvery/2)
	}
	*clock = clock.Add(steadyCollectEvery / 2)
	collectSteady()
	if got := collections(t) - base; got != 1 {
		t.Errorf("%d collections once %v had passed, want 1", got, steadyCollectEvery)
	}
	collectSoon()
	if got := collections(t) - base; got != 2 {
		t.Errorf("collectSoon right after a collection: %d in all, want 2", got)
	}
}

// TestSettledFetchIsCollected: a fetch's settling is steady work, so the
// JavaScript values it handed Go do not stay pinned for the page's life.
func TestSettledFetchIsCollected(t *testing.T) {
	clock := fakeClock(t)
	collectSoon()
	base := collections(t)
	*clock = clock.Add(steadyCollectEvery)
	var got any
	settleCopy(false, true, jsEval(t, `"a-token"`), func(v any, err error) { got = v })
	if got != "a-token" {
		t.Fatalf("settled value %v", got)
	}
	if n := collections(t) - base; n != 1 {
		t.Errorf("%d collections after a fetch settled, want 1", n)
	}
}
