package devcontrols

import (
	"sync"
	"time"
)

// Event is one entry of the BI host's event feed: what happened, when, and
// the details a developer needs to see it (tokens minted, pages loaded,
// handshakes, API calls with the RLS in force, faults, reloads).
type Event struct {
	Seq    int64          `json:"seq"`
	Time   time.Time      `json:"time"`
	Kind   string         `json:"kind"`
	Detail map[string]any `json:"detail,omitempty"`
}

// eventHub fans events out to subscribers and keeps the most recent ones, so
// a panel that connects late still sees what led up to now.
type eventHub struct {
	mu      sync.Mutex
	seq     int64
	history []Event
	subs    map[chan Event]struct{}
	now     func() time.Time
}

// eventBacklog is how many past events a new subscriber receives.
const eventBacklog = 200

// newEventHub returns an empty hub.
func newEventHub(now func() time.Time) *eventHub {
	return &eventHub{subs: map[chan Event]struct{}{}, now: now}
}

// publish records an event and offers it to every subscriber. A subscriber
// too slow to keep up loses events rather than stalling the server.
func (hub *eventHub) publish(kind string, detail map[string]any) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	hub.seq++
	ev := Event{Seq: hub.seq, Time: hub.now().UTC(), Kind: kind, Detail: detail}
	hub.history = append(hub.history, ev)
	// Compact only when twice the backlog has piled up, so that a busy
	// server copies the backlog once every eventBacklog events, not on each.
	if len(hub.history) >= 2*eventBacklog {
		hub.history = append(hub.history[:0:0], hub.lastLocked()...)
	}
	for ch := range hub.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

// subscribe returns the backlog and a channel of later events; cancel
// unsubscribes.
func (hub *eventHub) subscribe() (backlog []Event, ch <-chan Event, cancel func()) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	c := make(chan Event, 256)
	hub.subs[c] = struct{}{}
	backlog = append([]Event(nil), hub.lastLocked()...)
	return backlog, c, func() {
		hub.mu.Lock()
		defer hub.mu.Unlock()
		delete(hub.subs, c)
	}
}

// recent returns a copy of the newest eventBacklog events.
func (hub *eventHub) recent() []Event {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	return append([]Event(nil), hub.lastLocked()...)
}

// lastLocked returns the newest eventBacklog events; the caller holds mu.
func (hub *eventHub) lastLocked() []Event {
	if n := len(hub.history); n > eventBacklog {
		return hub.history[n-eventBacklog:]
	}
	return hub.history
}
