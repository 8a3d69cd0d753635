package sdk

import "time"

// Upstream's refresh constants (@superset-ui/embedded-sdk 0.4.0).
const (
	// RefreshBuffer is how long before expiry a token is replaced.
	RefreshBuffer = 5 * time.Second
	// MinRefreshWait keeps a token that is about to expire (or already has)
	// from being refreshed in a tight loop.
	MinRefreshWait = 10 * time.Second
	// DefaultTokenLifetime is assumed when a token's expiry cannot be read.
	DefaultTokenLifetime = 5 * time.Minute
	// RetryAfterFailure is upstream's fixed wait after a failed refresh; our
	// first retry comes at the latest after half of it (RefreshPolicy).
	RetryAfterFailure = 10 * time.Second
)

// RefreshDelay is how long to wait before fetching the next token, with
// upstream's timing: max(MinRefreshWait, exp − now) − RefreshBuffer, and
// DefaultTokenLifetime − RefreshBuffer when exp is missing or unreadable.
// expAt is the expiry as the edge resolved it (see ExpiryTime).
func RefreshDelay(expAt time.Time, known bool, now time.Time) time.Duration {
	ttl := DefaultTokenLifetime
	if known {
		ttl = max(MinRefreshWait, expAt.Sub(now))
	}
	return ttl - RefreshBuffer
}

// ExpiryTime resolves the claims' expiry. parseDate turns a date string into
// milliseconds since the epoch (the browser's Date.parse); it may be nil.
func ExpiryTime(c Claims, parseDate func(string) (float64, bool)) (time.Time, bool) {
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
