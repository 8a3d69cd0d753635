package embed

import "github.com/dashembed/dashembed/sdk/contract"

// Unmount removes the iframe, rejects calls in flight with PortClosedError
// and cancels every timer. Calling it again does nothing.
func (e *Embed) Unmount() {
	e.serial.Do(e.unmount)
}

func (e *Embed) unmount() {
	if e.unmounted {
		return
	}
	e.debug("unmounting")
	e.unmounted = true
	e.tokens.stop()
	for _, cancel := range []func(){e.cancelMount, e.stopPage, e.resize.stopVisibility} {
		if cancel != nil {
			cancel()
		}
	}
	e.cancelMount, e.stopPage, e.resize.stopVisibility = nil, nil, nil
	e.closeDocument("the dashboard was unmounted")
	if e.frame != nil {
		e.frame.Remove()
	}
	e.settleReady(&Error{Code: contract.CodeUnmounted, Message: "the dashboard was unmounted before it was ready"})
	e.gone.Store(true)
	e.listeners.Clear()
	e.methods = map[string]HostMethod{}
}
