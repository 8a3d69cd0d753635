package guesttoken

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// tokenLifetime reads how long a JWT access token stays valid, without
// verifying it: we are its bearer, not its audience, so the signature is the
// BI host's business. It prefers exp − iat, which is immune to clock skew
// between this machine and the host, over exp − now. ok is false when the
// token is not a JWT or carries no usable exp, in which case the caller falls
// back to a configured lifetime.
func tokenLifetime(token string, now time.Time) (time.Duration, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, false
	}
	// Some encoders pad base64url despite the JWT spec; accept both.
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return 0, false
	}
	var claims struct {
		Exp *float64 `json:"exp"`
		Iat *float64 `json:"iat"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == nil || !finite(*claims.Exp) {
		return 0, false
	}
	if claims.Iat != nil && finite(*claims.Iat) && *claims.Iat < *claims.Exp {
		return seconds(*claims.Exp - *claims.Iat), true
	}
	life := time.Unix(0, 0).Add(seconds(*claims.Exp)).Sub(now)
	if life <= 0 {
		// Already expired by our clock and no iat to correct for skew: the
		// clocks disagree or the host is misconfigured; let the caller use
		// its fallback and rely on 401 handling.
		return 0, false
	}
	return life, true
}

func finite(f float64) bool {
	return !math.IsNaN(f) && !math.IsInf(f, 0)
}

// seconds converts JWT NumericDate seconds, which may be fractional, to a
// Duration, saturating instead of overflowing on absurd values.
func seconds(s float64) time.Duration {
	const maxSeconds = float64(math.MaxInt64 / int64(time.Second))
	if s >= maxSeconds {
		return time.Duration(math.MaxInt64)
	}
	if s <= -maxSeconds {
		return time.Duration(math.MinInt64)
	}
	return time.Duration(s * float64(time.Second))
}
