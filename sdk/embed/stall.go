package embed

import "time"

// A page that was frozen or asleep runs its overdue timers as soon as it
// runs again, in no particular order with the messages that arrived
// meanwhile: a handshake timer may then fire before the answer it waited
// for is read, though the page never had the time to answer. The embed
// tells such a stall from a slow page by its ticks, which come about once
// a second (at worst every second in a hidden page) whenever the page runs.

// stallAfter is how long without a tick means the page did not run.
const stallAfter = 3 * time.Second

// stallWatch remembers when the page last ran and last stalled.
type stallWatch struct {
	lastTick  time.Time
	stalledAt time.Time
}

// onTick notes a tick, and a stall if the one before is long past.
func (e *Embed) onTick() {
	now := e.now()
	if now.Sub(e.stall.lastTick) > stallAfter {
		e.stall.stalledAt = now
	}
	e.stall.lastTick = now
	e.checkClock()
}

// onResume notes the stall the Page Lifecycle announces, and acts on the
// deadlines it made overdue.
func (e *Embed) onResume() {
	e.stall.stalledAt = e.now()
	e.checkClock()
}

// stalledSince reports whether the page has stalled since t, or is only
// now coming out of a stall (no tick for a while): a timeout measured from
// t then counted time the page did not run.
func (e *Embed) stalledSince(t time.Time) bool {
	return e.stall.stalledAt.After(t) || e.now().Sub(e.stall.lastTick) > stallAfter
}
