package token

import (
	"encoding/base64"
	"math"
	"strconv"
	"testing"
	"time"
)

// policyNow is the browser's clock in the policy tests.
var policyNow = time.Date(2030, time.March, 1, 12, 0, 0, 0, time.UTC)

// unixSeconds writes t as a JWT NumericDate.
func unixSeconds(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

// almostOne is the largest value Math.random can return.
var almostOne = math.Nextafter(1, 0)

func TestRetryBounds(t *testing.T) {
	low := DefaultRefreshPolicy(func() float64 { return 0 })
	high := DefaultRefreshPolicy(func() float64 { return almostOne })
	var prevLow, prevHigh time.Duration
	for failures := 1; failures <= 8; failures++ {
		lo, hi := low.Retry(failures), high.Retry(failures)
		t.Logf("failure %d: retry in %v … %v", failures, lo, hi)
		if lo <= 0 {
			t.Errorf("failure %d: Retry with Rand=0 = %v, want > 0 (a retry must never come back at once)", failures, lo)
		}
		if hi > 60*time.Second {
			t.Errorf("failure %d: Retry with Rand→1 = %v, want ≤ 60 s", failures, hi)
		}
		if lo > hi {
			t.Errorf("failure %d: jitter range inverted: %v > %v", failures, lo, hi)
		}
		if lo < prevLow || hi < prevHigh {
			t.Errorf("failure %d: retry range %v…%v shrank from %v…%v", failures, lo, hi, prevLow, prevHigh)
		}
		prevLow, prevHigh = lo, hi
	}
	if first := high.Retry(1); first > retryAfterFailure {
		t.Errorf("first retry may wait %v, want ≤ upstream's %v", first, retryAfterFailure)
	}
	// Backing off: the eighth failure waits well beyond the first.
	if low.Retry(8) < 4*low.Retry(1) {
		t.Errorf("Retry(8) = %v is not a back-off from Retry(1) = %v", low.Retry(8), low.Retry(1))
	}
	// The cap is reached and then held.
	if got := high.Retry(8); got < 55*time.Second {
		t.Errorf("Retry(8) with Rand→1 = %v, want close to the 60 s cap", got)
	}
}

func TestRetryExactSchedule(t *testing.T) {
	low := DefaultRefreshPolicy(func() float64 { return 0 })
	want := []time.Duration{2500, 5000, 10000, 20000, 30000, 30000, 30000, 30000}
	for i, ms := range want {
		if got := low.Retry(i + 1); got != ms*time.Millisecond {
			t.Errorf("Retry(%d) with Rand=0 = %v, want %v", i+1, got, ms*time.Millisecond)
		}
	}
}

func TestRetryEdgeCases(t *testing.T) {
	p := DefaultRefreshPolicy(nil)
	if got := p.Retry(1); got <= 0 || got > retryAfterFailure {
		t.Errorf("Retry(1) without Rand = %v, want a positive wait ≤ 10 s", got)
	}
	high := DefaultRefreshPolicy(func() float64 { return almostOne })
	for _, failures := range []int{0, 9, 64, 1000, math.MaxInt32} {
		got := high.Retry(failures)
		if got <= 0 || got > 60*time.Second {
			t.Errorf("Retry(%d) = %v, want within (0, 60 s]: no overflow for long outages", failures, got)
		}
	}
	// Jitter spreads the retries of many dashboards.
	mid := DefaultRefreshPolicy(func() float64 { return 0.5 })
	if a, b := mid.Retry(3), DefaultRefreshPolicy(func() float64 { return 0 }).Retry(3); a == b {
		t.Errorf("Retry(3) ignores Rand: %v for both 0 and 0.5", a)
	}
}

func TestPlanHealthyToken(t *testing.T) {
	p := DefaultRefreshPolicy(func() float64 { return 0 })
	tests := []struct {
		name string
		c    Claims
		want time.Duration
	}{
		{"exp an hour away", Claims{Exp: unixSeconds(policyNow.Add(time.Hour)), HasExp: true}, 3595 * time.Second},
		{"exp and iat, 5 min", Claims{Iat: unixSeconds(policyNow), HasIat: true, Exp: unixSeconds(policyNow.Add(5 * time.Minute)), HasExp: true}, 295 * time.Second},
		{"exp 12 s away", Claims{Exp: unixSeconds(policyNow.Add(12 * time.Second)), HasExp: true}, 7 * time.Second},
		{"exp 8 s away: upstream's 10 s floor", Claims{Exp: unixSeconds(policyNow.Add(8 * time.Second)), HasExp: true}, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := p.Plan(tt.c, nil, policyNow)
			if plan.Expired || !plan.Known {
				t.Fatalf("plan = %+v, want a known, live token", plan)
			}
			if d := plan.Refresh - tt.want; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("Refresh = %v, want %v (upstream's delay)", plan.Refresh, tt.want)
			}
		})
	}
}

// TestPlanClockSkew: the BI host mints a 300 s token by its clock; the
// browser's clock is ten minutes off either way. The refresh is due in
// 295 s regardless, not at once (ahead) nor 15 minutes late (behind).
func TestPlanClockSkew(t *testing.T) {
	p := DefaultRefreshPolicy(func() float64 { return 0 })
	for _, skew := range []time.Duration{10 * time.Minute, -10 * time.Minute, 24 * time.Hour, -24 * time.Hour} {
		t.Run("browser "+skew.String()+" off", func(t *testing.T) {
			hostNow := policyNow.Add(-skew)
			c := Claims{Iat: unixSeconds(hostNow), HasIat: true, Exp: unixSeconds(hostNow.Add(300 * time.Second)), HasExp: true}
			plan := p.Plan(c, nil, policyNow)
			if plan.Expired {
				t.Fatalf("a fresh 300 s token is taken for expired: %+v", plan)
			}
			if d := plan.Refresh - 295*time.Second; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("Refresh = %v, want 295 s (exp − iat − 5 s)", plan.Refresh)
			}
			if d := plan.ExpiresAt.Sub(policyNow.Add(300 * time.Second)); d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("ExpiresAt = %v, want %v by the browser's clock", plan.ExpiresAt, policyNow.Add(300*time.Second))
			}
		})
	}
}

// TestPlanClockSkewFromRealToken runs the same through ParseClaims, with a
// payload written as the BI host writes it (float seconds).
func TestPlanClockSkewFromRealToken(t *testing.T) {
	hostNow := policyNow.Add(-37 * time.Minute)
	iat := unixSeconds(hostNow) + 0.123456
	payload := `{"user":{"username":"x"},"iat":` + strconv.FormatFloat(iat, 'f', -1, 64) +
		`,"exp":` + strconv.FormatFloat(iat+300, 'f', -1, 64) + `,"type":"guest"}`
	token := "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
	c, err := ParseClaims(token)
	if err != nil {
		t.Fatal(err)
	}
	plan := DefaultRefreshPolicy(nil).Plan(c, nil, policyNow)
	if plan.Expired {
		t.Fatalf("taken for expired: %+v", plan)
	}
	if d := plan.Refresh - 295*time.Second; d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("Refresh = %v, want 295 s", plan.Refresh)
	}
}

func TestPlanExpired(t *testing.T) {
	p := DefaultRefreshPolicy(func() float64 { return 0 })
	tests := []struct {
		name    string
		c       Claims
		expired bool
	}{
		{"expired a minute ago", Claims{Exp: unixSeconds(policyNow.Add(-time.Minute)), HasExp: true}, true},
		{"expired in 1970", Claims{Exp: 1, HasExp: true}, true},
		{"exp zero", Claims{Exp: 0, HasExp: true}, true},
		{"expires now", Claims{Exp: unixSeconds(policyNow), HasExp: true}, true},
		{"expires in 3 s", Claims{Exp: unixSeconds(policyNow.Add(3 * time.Second)), HasExp: true}, true},
		{"expires in exactly 5 s", Claims{Exp: unixSeconds(policyNow.Add(5 * time.Second)), HasExp: true}, true},
		{"expires in 5.5 s", Claims{Exp: unixSeconds(policyNow.Add(5500 * time.Millisecond)), HasExp: true}, false},
		{"lifetime 4 s by iat", Claims{Iat: unixSeconds(policyNow.Add(-time.Hour)), HasIat: true,
			Exp: unixSeconds(policyNow.Add(-time.Hour + 4*time.Second)), HasExp: true}, true},
		{"exp before iat: no lifetime to lay out", Claims{Iat: unixSeconds(policyNow), HasIat: true,
			Exp: unixSeconds(policyNow.Add(-time.Minute)), HasExp: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := p.Plan(tt.c, nil, policyNow)
			if plan.Expired != tt.expired {
				t.Errorf("Expired = %v, want %v (plan %+v)", plan.Expired, tt.expired, plan)
			}
			if !plan.Expired && plan.Refresh < minRefreshWait-RefreshBuffer {
				t.Errorf("Refresh = %v: a live token must not be refreshed in a loop", plan.Refresh)
			}
		})
	}
}

func TestPlanDateStringExp(t *testing.T) {
	p := DefaultRefreshPolicy(func() float64 { return 0 })
	expAt := policyNow.Add(2 * time.Hour)
	var asked []string
	parse := func(s string) (float64, bool) {
		asked = append(asked, s)
		if s == "Fri, 01 Mar 2030 14:00:00 GMT" {
			return float64(expAt.UnixMilli()), true
		}
		return 0, false
	}
	plan := p.Plan(Claims{ExpText: "Fri, 01 Mar 2030 14:00:00 GMT"}, parse, policyNow)
	if !plan.Known || plan.Expired || !plan.ExpiresAt.Equal(expAt) {
		t.Errorf("plan = %+v, want known, live, expiring at %v", plan, expAt)
	}
	if plan.Refresh != 2*time.Hour-RefreshBuffer {
		t.Errorf("Refresh = %v, want %v", plan.Refresh, 2*time.Hour-RefreshBuffer)
	}
	if len(asked) != 1 {
		t.Errorf("parseDate called with %q, want the exp text once", asked)
	}

	past := p.Plan(Claims{ExpText: "Fri, 01 Mar 2030 14:00:00 GMT"}, parse, expAt.Add(time.Minute))
	if !past.Expired {
		t.Errorf("a date in the past: %+v, want Expired", past)
	}

	for name, parse := range map[string]func(string) (float64, bool){
		"unparseable": parse,
		"no parser":   nil,
	} {
		plan := p.Plan(Claims{ExpText: "next tuesday"}, parse, policyNow)
		if plan.Known || plan.Expired || plan.Refresh != defaultTokenLifetime-RefreshBuffer {
			t.Errorf("%s date: plan = %+v, want unknown, refreshed after 5 min − 5 s", name, plan)
		}
	}
}

func TestPlanUnknownExp(t *testing.T) {
	p := DefaultRefreshPolicy(func() float64 { return 0 })
	for name, c := range map[string]Claims{
		"no claims": {},
		"iat only":  {Iat: unixSeconds(policyNow), HasIat: true},
	} {
		plan := p.Plan(c, nil, policyNow)
		if plan.Known || plan.Expired {
			t.Errorf("%s: plan = %+v, want unknown and live", name, plan)
		}
		if plan.Refresh != 295*time.Second {
			t.Errorf("%s: Refresh = %v, want 5 min − 5 s", name, plan.Refresh)
		}
	}
}
