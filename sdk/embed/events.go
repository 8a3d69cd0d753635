package embed

import "sync"

// Error is an embed's failure, with a machine-readable code from
// package contract.
type Error struct {
	// Code is one of contract.Codes.
	Code string
	// Message says what happened and what to fix.
	Message string
}

func (e *Error) Error() string { return "dashembed: " + e.Message }

// Detail is an event's payload: string, float64 and bool values only, so the
// edge can copy it into a plain JavaScript object.
type Detail map[string]any

type listener struct {
	event string
	fn    func(Detail)
}

// listeners keeps subscriptions in the order they were made. It has a lock
// of its own rather than living in the embed's serial queue, because on() must
// return its id at once, even when called from inside a listener, where the
// serial queue would only queue it.
type listeners struct {
	mu   sync.Mutex
	next int
	byID map[int]listener
	ids  []int
	// held keeps events emitted while nobody had yet subscribed to their
	// name, for the first listener: the dashboard object (and so on()) only
	// exists once embedDashboard resolves, after the first document's
	// `ready` and after any error with the first token.
	held  map[string][]Detail
	heard map[string]bool
}

// maxHeld bounds the events held for one name.
const maxHeld = 8

// add subscribes fn and returns its id, with the events held for its name
// if it is the first listener of that name.
func (l *listeners) add(event string, fn func(Detail)) (int, []Detail) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byID == nil {
		l.byID = map[int]listener{}
		l.heard = map[string]bool{}
	}
	l.next++
	l.byID[l.next] = listener{event: event, fn: fn}
	l.ids = append(l.ids, l.next)
	var held []Detail
	if !l.heard[event] {
		l.heard[event] = true
		held = l.held[event]
		delete(l.held, event)
	}
	return l.next, held
}

// subscribed reports whether id is still subscribed.
func (l *listeners) subscribed(id int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.byID[id]
	return ok
}

func (l *listeners) remove(id int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.byID[id]; !ok {
		return
	}
	delete(l.byID, id)
	for i, v := range l.ids {
		if v == id {
			l.ids = append(l.ids[:i:i], l.ids[i+1:]...)
			break
		}
	}
}

// emit calls each listener of event. A listener is the host app's code: its
// failure is its own (the edge reports it to the console) and never stops
// the listeners after it or the SDK.
func (l *listeners) emit(event string, d Detail) {
	// As dispatchEvent does: the listeners are those present when the emit
	// starts, less any that an earlier one removes meanwhile.
	l.mu.Lock()
	if !l.heard[event] {
		if l.held == nil {
			l.held = map[string][]Detail{}
		}
		if len(l.held[event]) < maxHeld {
			l.held[event] = append(l.held[event], d)
		}
	}
	ids := append([]int(nil), l.ids...)
	l.mu.Unlock()
	for _, id := range ids {
		l.mu.Lock()
		ln, ok := l.byID[id]
		l.mu.Unlock()
		if ok && ln.event == event {
			callListener(ln.fn, d)
		}
	}
}

// clear drops every subscription.
func (l *listeners) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byID, l.ids, l.held, l.heard = nil, nil, nil, nil
}

func callListener(fn func(Detail), d Detail) {
	defer func() { _ = recover() }()
	fn(d)
}

func (e *Embed) emit(event string, d Detail) {
	e.debug("event ", event)
	e.listeners.emit(event, d)
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
	id, held := e.listeners.add(event, fn)
	return id, func() {
		for _, d := range held {
			if e.listeners.subscribed(id) {
				callListener(fn, d)
			}
		}
	}
}

// Off ends a subscription; unknown ids are ignored.
func (e *Embed) Off(id int) { e.listeners.remove(id) }
