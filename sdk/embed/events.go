package embed

import "github.com/dashembed/dashembed/sdk/events"

// Error is an embed's failure, with a machine-readable code from
// package contract.
type Error struct {
	// Code is one of contract.Codes.
	Code string
	// Message says what happened and what to fix.
	Message string
}

func (e *Error) Error() string { return "dashembed: " + e.Message }

// Detail is an event's payload (see events.Detail).
type Detail = events.Detail

func (e *Embed) emit(event string, d Detail) {
	e.debug("event ", event)
	e.listeners.Emit(event, d)
}

// On subscribes fn to event and returns the id Off takes. The first
// listener of a name also gets the events of that name emitted before anyone
// subscribed (the first document's ready, an error with the first token):
// catchUp delivers them, and the caller runs it once on() has returned, so
// that the listener can already unsubscribe. After unmount there is nothing
// left to hear: On returns 0 and subscribes nothing.
func (e *Embed) On(event string, fn func(Detail)) (id int, catchUp func()) {
	if e.gone.Load() {
		return 0, func() {}
	}
	id, held := e.listeners.Add(event, fn)
	return id, func() {
		for _, d := range held {
			if e.listeners.Subscribed(id) {
				events.Call(fn, d)
			}
		}
	}
}

// Off ends a subscription; unknown ids are ignored.
func (e *Embed) Off(id int) { e.listeners.Remove(id) }
