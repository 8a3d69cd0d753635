package embed

import (
	"time"

	"github.com/dashembed/dashembed/sdk/token"
)

// When the next token is fetched. Timers alone cannot say: a frozen page
// runs none, a machine that slept finds its wall clock hours on and its
// timers where they were, and a hidden page runs them late (Chromium: up to
// a second, after five minutes hidden up to a minute). So each deadline is
// kept by the wall clock, checked on every tick and page signal as well as
// by its timer, and planned earlier in a hidden page.

// lostFetchAfter is how long a fetch must have been under way, when the
// network comes back, to be given up for one lost with it.
const lostFetchAfter = time.Second

// armRefresh sets the timer for the next token: the token's schedule, or
// the retry's, brought forward in a hidden page so that a throttled timer
// still runs before the token expires.
func (e *Embed) armRefresh() {
	t := &e.tokens
	if t.cancelRetry != nil {
		t.cancelRetry()
	}
	now := e.now()
	at := t.visibleDue
	if t.hidden && !t.retrying {
		at = token.HiddenRefreshAt(at, t.hiddenSince, now)
	}
	d := max(at.Sub(now), 0)
	e.debug("next guest token in ", millis(d))
	t.dueAt = at
	t.cancelRetry = e.b.AfterFunc(d, e.later(func() {
		t.cancelRetry = nil
		e.refreshDue()
	}))
}

// checkClock acts on what the wall clock says is overdue although its
// timer has not run: the page was frozen, the machine slept (the clock
// jumped, the timers stood still) or a hidden page's timers ran late.
func (e *Embed) checkClock() {
	t := &e.tokens
	if e.unmounted {
		return
	}
	now := e.now()
	if t.fetching {
		if t.cancelFetch != nil && !now.Before(t.fetchDeadline) {
			e.fetchTimedOut(t.gen)
		}
		return
	}
	if t.cancelRetry != nil && !now.Before(t.dueAt) {
		e.debug("the clock is past the refresh time: refreshing the guest token now")
		t.cancelRetry()
		t.cancelRetry = nil
		e.refreshDue()
	}
}

// refreshDue fetches the token that fell due, unless the browser is
// offline: a fetch then can only fail, so wait for the online event.
func (e *Embed) refreshDue() {
	if !e.b.Online() {
		e.debug("offline: the guest token refresh waits for the network")
		e.tokens.offlineDue = true
		return
	}
	e.fetchToken()
}

func (e *Embed) onOnline() {
	if e.unmounted || e.tokens.current == "" {
		return
	}
	if t := &e.tokens; t.fetching && e.now().Sub(t.fetchStarted) > lostFetchAfter {
		// A request sent before the network dropped may never be answered:
		// rather than wait for its timeout, ask again now that it is back.
		e.debug("back online: the guest token fetch under way may be lost, fetching anew")
		e.dropFetch()
		e.fetchToken()
		return
	}
	// A retry pending means the last fetch failed, most likely for want
	// of the network: do not wait out its backoff now that it is back.
	if t := &e.tokens; t.offlineDue || (t.retrying && t.cancelRetry != nil) || !e.now().Before(t.dueAt) {
		e.debug("back online: refreshing the guest token")
		e.fetchToken()
	}
}

// onVisibility catches up on a refresh that fell due while the page was
// hidden (browsers throttle background timers to once a minute or less),
// re-plans the next one for the page's new state, and pauses autoResize
// while nobody can see the dashboard.
func (e *Embed) onVisibility(hidden bool) {
	if e.unmounted {
		return
	}
	t := &e.tokens
	if hidden != t.hidden {
		t.hidden = hidden
		t.hiddenSince = e.now()
	}
	switch {
	case !hidden && t.current != "" && !e.now().Before(t.dueAt):
		e.debug("visible again with a refresh overdue: refreshing the guest token")
		if t.cancelRetry != nil {
			t.cancelRetry()
			t.cancelRetry = nil
		}
		e.refreshDue()
	case t.cancelRetry != nil:
		e.armRefresh()
	}
	e.syncResize()
}
