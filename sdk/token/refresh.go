package token

import "time"

// Upstream's refresh constants (@superset-ui/embedded-sdk 0.4.0).
const (
	// RefreshBuffer is how long before expiry a token is replaced.
	RefreshBuffer = 5 * time.Second
	// minRefreshWait keeps a token that is about to expire (or already has)
	// from being refreshed in a tight loop.
	minRefreshWait = 10 * time.Second
	// defaultTokenLifetime is assumed when a token's expiry cannot be read.
	defaultTokenLifetime = 5 * time.Minute
	// retryAfterFailure is upstream's fixed wait after a failed refresh; our
	// first retry comes at the latest after half of it (RefreshPolicy).
	retryAfterFailure = 10 * time.Second
)

// RefreshDelay is how long to wait before fetching the next token, with
// upstream's timing: max(minRefreshWait, exp − now) − RefreshBuffer, and
// defaultTokenLifetime − RefreshBuffer when exp is missing or unreadable.
// expAt is the expiry as the edge resolved it (see expiryTime).
func RefreshDelay(expAt time.Time, known bool, now time.Time) time.Duration {
	ttl := defaultTokenLifetime
	if known {
		ttl = max(minRefreshWait, expAt.Sub(now))
	}
	return ttl - RefreshBuffer
}

// expiryTime resolves the claims' expiry. parseDate turns a date string into
// milliseconds since the epoch (the browser's Date.parse); it may be nil.
func expiryTime(c Claims, parseDate func(string) (float64, bool)) (time.Time, bool) {
	switch {
	case c.HasExp:
		return time.UnixMilli(int64(c.Exp * 1000)), true
	case c.ExpText != "" && parseDate != nil:
		if ms, ok := parseDate(c.ExpText); ok {
			return time.UnixMilli(int64(ms)), true
		}
	}
	return time.Time{}, false
}
