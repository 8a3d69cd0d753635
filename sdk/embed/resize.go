package embed

import (
	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// resizeLoop is autoResize's state: a poll of the page's scroll size that
// runs only while it can be useful.
type resizeLoop struct {
	resizer        *resizer // nil without autoResize
	frameVisible   bool
	stopVisibility func()
	running        bool
	gen            int // numbers polls, so a stale answer cannot fork a second one
	cancel         func()
}

func (e *Embed) onFrameVisibility(visible bool) {
	e.resize.frameVisible = visible
	e.syncResize()
}

// syncResize starts or stops the autoResize poll to match whether it can be
// useful: an embedded document, an iframe on screen, a visible page. Each
// start opens a new generation, so a measurement still in flight from an
// earlier one cannot fork a second poll.
func (e *Embed) syncResize() {
	r := &e.resize
	d := e.doc
	wanted := r.resizer != nil && !e.unmounted && d != nil && d.embedded && r.frameVisible && !e.b.Hidden()
	if wanted == r.running {
		return
	}
	e.stopResize()
	if wanted {
		r.running = true
		e.measure(d, r.gen)
	}
}

// stopResize ends the poll, if it runs.
func (e *Embed) stopResize() {
	r := &e.resize
	r.running = false
	r.gen++
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
}

// measure asks the page for its size, applies it and polls again later.
func (e *Embed) measure(d *document, gen int) {
	r := &e.resize
	e.call(d, contract.MethodGetScrollSize, nil, func(reply protocol.Reply) {
		if gen != r.gen || d != e.doc {
			return
		}
		if w, h, ok := e.b.ReadSize(reply.Result); ok && reply.Err == nil {
			if height, changed := r.resizer.Next(h); changed {
				e.frame.SetHeight(height)
				e.emit(contract.EventResize, Detail{"width": w, "height": height})
			}
		}
		r.cancel = e.b.AfterFunc(resizeInterval, e.later(func() {
			if gen == r.gen {
				e.measure(d, gen)
			}
		}))
	})
}
