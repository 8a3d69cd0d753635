//go:build js && wasm

package jsedge

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Every js.Value Go holds pins its JavaScript value (an object, a string)
// in the page's heap until a finalizer releases it, and finalizers run only
// after a Go GC, which an idle wasm program with a small heap otherwise
// puts off for hours. Two kinds of work leave such values behind: an
// unmount (the iframe, its document and everything they hold), collected
// at once; and the steady work of a long session (each guest-token fetch's
// Promise, callbacks' arguments and token string), collected at most every
// steadyCollectEvery, since a collection costs the page's main thread a
// few milliseconds.

// gcPending is set while a collection is scheduled.
var gcPending atomic.Bool

// steadyCollectEvery spaces the collections of steady work: at most one
// per half minute whatever the number of dashboards and their tokens'
// lifetime, so what waits for one is a few fetches' worth.
const steadyCollectEvery = 30 * time.Second

// lastCollect is when the last collection ran; now is the clock it is read
// with (a test replaces it).
var (
	lastCollect struct {
		sync.Mutex
		at time.Time
	}
	now = time.Now
)

// collectSoon runs the Go garbage collector right after the current call
// returns.
func collectSoon() {
	if gcPending.Swap(true) {
		return
	}
	go func() {
		runtime.GC()
		lastCollect.Lock()
		lastCollect.at = now()
		lastCollect.Unlock()
		gcPending.Store(false)
	}()
}

// collectSteady is collectSoon for steady work: it collects only if the
// last collection is steadyCollectEvery old; otherwise what the work left
// waits for a later one. The first steady work only starts the clock: it
// is the first token's fetch, and a collection right after it would hold
// up the dashboard's taking that token when both share a thread.
func collectSteady() {
	lastCollect.Lock()
	t := now()
	if lastCollect.at.IsZero() {
		lastCollect.at = t
	}
	due := t.Sub(lastCollect.at) >= steadyCollectEvery
	lastCollect.Unlock()
	if due {
		collectSoon()
	}
}
