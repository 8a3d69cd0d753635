package sdk

import "sync"

// Lifecycle event names a host app can subscribe to with on(name, fn).
const (
	// EventReady: a live embedded document holds a guest token.
	EventReady = "ready"
	// EventTokenRefreshed: a later token was delivered; detail {exp}.
	EventTokenRefreshed = "tokenRefreshed"
	// EventTokenError: fetching or using a token failed; detail {error, retryInMs}.
	EventTokenError = "tokenError"
	// EventNavigated: the iframe loaded a new document; detail {url, embedded}.
	EventNavigated = "navigated"
	// EventResize: the iframe was resized to the dashboard; detail {width, height}.
	EventResize = "resize"
	// EventError: something the host app should show; detail {code, message}.
	EventError = "error"
)

// Error codes carried by EventError and by EmbedError.
const (
	// CodeHandshakeTimeout: the iframe's document never answered the
	// handshake (framing refused, a 403 from allowed domains, a wrong domain).
	CodeHandshakeTimeout = "HANDSHAKE_TIMEOUT"
	// CodeTokenInvalid: fetchGuestToken gave something that is not a usable
	// guest token (not a string, not a JWT, already expired).
	CodeTokenInvalid = "TOKEN_INVALID"
	// CodeTokenFetchFailed: fetchGuestToken threw, rejected or timed out.
	CodeTokenFetchFailed = "TOKEN_FETCH_FAILED"
)

// KnownEvent reports whether name is an event the SDK emits.
func KnownEvent(name string) bool {
	switch name {
	case EventReady, EventTokenRefreshed, EventTokenError, EventNavigated, EventResize, EventError:
		return true
	}
	return false
}

// EmbedError is an error with a machine-readable code.
type EmbedError struct {
	Code    string
	Message string
}

func (e *EmbedError) Error() string { return "dashembed: " + e.Message }

// Detail is an event's payload: string, float64 and bool values only, so the
// edge can copy it into a plain JavaScript object.
type Detail map[string]any

type listener struct {
	event string
	fn    func(Detail)
}

// listeners keeps subscriptions in the order they were made. It has a lock
// of its own rather than living in the embed's Serial, because on() must
// return its id at once, even when called from inside a listener, where the
// Serial would only queue it.
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
