package token

import "time"

// Chromium's timer throttling in hidden pages: a hidden page's timers wake
// at most once a second, and once it has been hidden for five minutes, at
// most once a minute. A frozen page runs none at all.
const (
	hiddenTimerAlign       = time.Second
	intensiveThrottleAfter = 5 * time.Minute
	intensiveTimerAlign    = time.Minute
)

// HiddenRefreshAt is when to fetch the next token in a page hidden since
// hiddenSince, given visibleDue, when a visible page would fetch it. A
// timer set for t in a hidden page may run as late as the throttling's
// alignment after t, so the refresh is brought forward by that much: a
// token that lives long enough never expires in a hidden tab.
//
// A token too short-lived to survive the throttling is refreshed half-way
// through what is left of it, never sooner: a tab hidden for long then
// fetches about once a minute, not in a loop.
func HiddenRefreshAt(visibleDue, hiddenSince, now time.Time) time.Time {
	if !visibleDue.After(now) {
		return visibleDue
	}
	at := visibleDue.Add(-hiddenTimerAlign)
	if !at.Before(hiddenSince.Add(intensiveThrottleAfter)) {
		at = visibleDue.Add(-intensiveTimerAlign)
	}
	if floor := now.Add(visibleDue.Sub(now) / 2); at.Before(floor) {
		at = floor
	}
	return at
}
