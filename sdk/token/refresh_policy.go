package token

import "time"

// RefreshPolicy decides when the next guest token is fetched. It keeps
// upstream's schedule for healthy tokens (see RefreshDelay) and adds what
// upstream lacks: backoff with jitter after failures, and a correction for a
// browser clock that disagrees with the BI host's.
type RefreshPolicy struct {
	// RetryBase is the first retry's upper bound; each later failure doubles
	// it, up to RetryCap. Upstream retries every 10 s for ever.
	RetryBase time.Duration
	RetryCap  time.Duration
	// Rand returns a number in [0, 1) for jitter.
	Rand func() float64
}

// DefaultRefreshPolicy retries after 2.5–5 s, then 5–10 s, 10–20 s, … up to
// 30–60 s: the first retry comes sooner than upstream's 10 s, and a BI host
// that is down is not hammered by every open dashboard at once.
func DefaultRefreshPolicy(rand func() float64) RefreshPolicy {
	return RefreshPolicy{RetryBase: retryAfterFailure / 2, RetryCap: 60 * time.Second, Rand: rand}
}

// Retry is the wait before attempt number failures+1, with "equal jitter":
// half the backoff is fixed and half random, so retries spread out without
// ever coming back immediately.
func (p RefreshPolicy) Retry(failures int) time.Duration {
	d := p.RetryBase
	for i := 1; i < failures && d < p.RetryCap; i++ {
		d *= 2
	}
	d = min(d, p.RetryCap)
	r := 0.0
	if p.Rand != nil {
		r = p.Rand()
	}
	return d/2 + time.Duration(r*float64(d/2))
}

// TokenPlan is what to do with a token just received.
type TokenPlan struct {
	// ExpiresAt is when the token expires by the browser's clock, when known.
	ExpiresAt time.Time
	Known     bool
	// Exp is the token's exp claim in seconds since the epoch, as the BI
	// host issued it (a date-string exp as the browser parses it), when
	// Known: what an app comparing it with the token expects to see.
	Exp float64
	// Refresh is the wait before fetching the next token.
	Refresh time.Duration
	// Expired says the token is dead on arrival, or nearly: it is still
	// delivered (the BI host is the judge), but counts as a failure.
	Expired bool
}

// Plan schedules the refresh of a token received at now.
//
// Clock skew: exp is written by the BI host's clock. When the token also
// carries iat, its lifetime exp−iat is laid from now instead, assuming the
// token was minted just now for this request (as backends do). A browser
// clock minutes ahead would otherwise see every token as expired and
// refresh in a loop, which is upstream's behaviour.
func (p RefreshPolicy) Plan(c Claims, parseDate func(string) (float64, bool), now time.Time) TokenPlan {
	expAt, known := expiryTime(c, parseDate)
	var exp float64
	if known {
		exp = c.Exp
		if !c.HasExp {
			exp = float64(expAt.UnixMilli()) / 1000
		}
	}
	if known && c.HasIat && c.HasExp && c.Exp > c.Iat {
		expAt = now.Add(time.Duration((c.Exp - c.Iat) * float64(time.Second)))
	}
	plan := TokenPlan{ExpiresAt: expAt, Known: known, Exp: exp}
	if known && expAt.Sub(now) <= RefreshBuffer {
		plan.Expired = true
		return plan
	}
	plan.Refresh = RefreshDelay(expAt, known, now)
	return plan
}
