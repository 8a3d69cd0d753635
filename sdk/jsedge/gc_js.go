//go:build js && wasm

package jsedge

import (
	"runtime"
	"sync/atomic"
)

// gcPending is set while a collection is scheduled.
var gcPending atomic.Bool

// collectSoon runs the Go garbage collector right after the current call
// returns. Every js.Value Go holds pins its JavaScript object until a
// finalizer releases it, and finalizers run only after a Go GC, which an
// idle wasm program otherwise never does: an unmounted iframe, its document
// and everything they hold would stay alive for the life of the page.
func collectSoon() {
	if gcPending.Swap(true) {
		return
	}
	go func() {
		runtime.GC()
		gcPending.Store(false)
	}()
}
