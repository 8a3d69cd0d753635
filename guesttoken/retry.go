package guesttoken

import (
	"context"
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// permanent marks an error that no retry can fix, such as a request that
// cannot even be built.
type permanent struct{ error }

// Unwrap exposes the cause to errors.Is and errors.As.
func (p permanent) Unwrap() error { return p.error }

// retryable reports whether another attempt could succeed. 4xx answers are
// never retried: the same request would get the same refusal, and repeating a
// rejected login can lock the service account. A certificate the client
// distrusts is not a passing fault either.
func retryable(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Temporary()
	}
	var respErr *ResponseError
	if errors.As(err, &respErr) {
		return false
	}
	var p permanent
	if errors.As(err, &p) {
		return false
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return false
	}
	return true
}

// delay returns how long to wait after the given failed attempt (1-based):
// exponential from the base, capped, with jitter so that many backends hit by
// the same outage do not retry in lockstep. A Retry-After from the server is
// honoured up to the cap.
func (c config) delay(attempt int, hdr http.Header) time.Duration {
	d := c.backoff
	for i := 1; i < attempt && d < c.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	if d > 0 {
		// "Equal jitter": at least half the computed delay, so retries never
		// collapse to an immediate hammering.
		d = d/2 + rand.N(d/2+1)
	}
	if ra, ok := retryAfter(hdr, c.now()); ok {
		d = max(d, min(ra, c.maxBackoff))
	}
	return d
}

// retryAfter parses a Retry-After header in either of its two forms.
func retryAfter(hdr http.Header, now time.Time) (time.Duration, bool) {
	v := hdr.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
