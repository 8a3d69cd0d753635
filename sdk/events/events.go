// Package events keeps one dashboard's event subscriptions: the listeners
// in the order they subscribed, and the events emitted before anyone
// listened to their name, for the first listener of that name.
//
// The dashboard object, and so on(), exists only once embedDashboard
// resolves: after the first document's `ready`, and after any error with
// the first token. Holding such events for the first listener is how an app
// still hears them. The loader's queued dashboard (wasm/loader/handle.js)
// follows the same rule for a wasm that fails before Go runs; a
// differential test in wasm/bundle runs both over the same sequences.
package events

import "sync"

// Detail is an event's payload: string, float64 and bool values only, so
// the browser edge can copy it into a plain JavaScript object.
type Detail map[string]any

// MaxHeld bounds the events held for one name.
const MaxHeld = 8

// Listeners is a set of subscriptions. The zero value is empty and ready.
// It has a lock of its own rather than living in an embed's serial queue,
// because on() must return its id at once, even when called from inside a
// listener, where the serial queue would only queue it.
type Listeners struct {
	mu   sync.Mutex
	next int
	byID map[int]listener
	ids  []int
	// held keeps the events of each name emitted while nobody had yet
	// subscribed to it; heard marks the names that have had a listener.
	held  map[string][]Detail
	heard map[string]bool
}

type listener struct {
	event string
	fn    func(Detail)
}

// Add subscribes fn to event and returns its id (1, 2, …, never reused)
// with the events held for event if fn is its first listener: the caller
// hands them to fn once on() has returned, each only while Subscribed(id).
func (l *Listeners) Add(event string, fn func(Detail)) (id int, held []Detail) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byID == nil {
		l.byID = map[int]listener{}
		l.heard = map[string]bool{}
	}
	l.next++
	l.byID[l.next] = listener{event: event, fn: fn}
	l.ids = append(l.ids, l.next)
	if !l.heard[event] {
		l.heard[event] = true
		held = l.held[event]
		delete(l.held, event)
	}
	return l.next, held
}

// Subscribed reports whether id is still subscribed.
func (l *Listeners) Subscribed(id int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.byID[id]
	return ok
}

// Remove ends a subscription; unknown ids are ignored.
func (l *Listeners) Remove(id int) {
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

// Len is the number of subscriptions.
func (l *Listeners) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ids)
}

// Emit calls each listener of event, or holds d for the first one if the
// name has never had a listener. A listener is the host app's code: its
// failure is its own (the edge reports it to the console) and never stops
// the listeners after it or the SDK.
func (l *Listeners) Emit(event string, d Detail) {
	// As dispatchEvent does: the listeners are those present when the emit
	// starts, less any that an earlier one removes meanwhile.
	l.mu.Lock()
	if !l.heard[event] {
		if l.held == nil {
			l.held = map[string][]Detail{}
		}
		if len(l.held[event]) < MaxHeld {
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
			Call(ln.fn, d)
		}
	}
}

// Clear drops every subscription and every held event.
func (l *Listeners) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byID, l.ids, l.held, l.heard = nil, nil, nil, nil
}

// Call calls a listener with d; a panic in it is the listener's own.
func Call(fn func(Detail), d Detail) {
	defer func() { _ = recover() }()
	fn(d)
}
