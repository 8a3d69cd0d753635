package token

import (
	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"testing"
	"time"
)

func TestRefreshConstants(t *testing.T) {
	// Upstream's numbers (@superset-ui/embedded-sdk 0.4.0, guestTokenRefresh.ts).
	if RefreshBuffer != 5000*time.Millisecond || minRefreshWait != 10000*time.Millisecond ||
		defaultTokenLifetime != 300000*time.Millisecond || retryAfterFailure != 10000*time.Millisecond {
		t.Errorf("constants = %v %v %v %v", RefreshBuffer, minRefreshWait, defaultTokenLifetime, retryAfterFailure)
	}
}

func TestRefreshDelay(t *testing.T) {
	now := sdktest.Epoch
	tests := []struct {
		name  string
		expAt time.Time
		known bool
		want  time.Duration
	}{
		{"an hour left", now.Add(time.Hour), true, 3595 * time.Second},
		{"five minutes left", now.Add(5 * time.Minute), true, 295 * time.Second},
		{"a minute left", now.Add(time.Minute), true, 55 * time.Second},
		{"15 s left", now.Add(15 * time.Second), true, 10 * time.Second},
		{"12.5 s left", now.Add(12500 * time.Millisecond), true, 7500 * time.Millisecond},
		{"10 s left: the floor", now.Add(10 * time.Second), true, 5 * time.Second},
		{"9.999 s left: the floor", now.Add(9999 * time.Millisecond), true, 5 * time.Second},
		{"1 s left", now.Add(time.Second), true, 5 * time.Second},
		{"expiring now", now, true, 5 * time.Second},
		{"expired a second ago", now.Add(-time.Second), true, 5 * time.Second},
		{"expired a day ago", now.Add(-24 * time.Hour), true, 5 * time.Second},
		{"expired in 1970", time.Unix(0, 0), true, 5 * time.Second},
		{"unknown", time.Time{}, false, 295 * time.Second},
		{"unknown ignores expAt", now.Add(time.Hour), false, 295 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RefreshDelay(tt.expAt, tt.known, now); got != tt.want {
				t.Errorf("RefreshDelay = %v (%d ms), want %v", got, got.Milliseconds(), tt.want)
			}
		})
	}
}

func TestExpiryTime(t *testing.T) {
	dates := func(s string) (float64, bool) {
		if s == "2030-01-01T00:00:00Z" {
			return 1893456000000, true
		}
		return 0, false
	}
	tests := []struct {
		name      string
		c         Claims
		parseDate func(string) (float64, bool)
		want      time.Time
		known     bool
	}{
		{"seconds", Claims{Exp: 1700000060, HasExp: true}, dates, time.Unix(1700000060, 0), true},
		{"fractional seconds", Claims{Exp: 1700000060.5, HasExp: true}, dates, time.UnixMilli(1700000060500), true},
		{"zero", Claims{Exp: 0, HasExp: true}, dates, time.Unix(0, 0), true},
		{"date string", Claims{ExpText: "2030-01-01T00:00:00Z"}, dates, time.UnixMilli(1893456000000), true},
		{"unparseable date string", Claims{ExpText: "soon"}, dates, time.Time{}, false},
		{"date string, no parser", Claims{ExpText: "2030-01-01T00:00:00Z"}, nil, time.Time{}, false},
		{"seconds win over text", Claims{Exp: 1700000060, HasExp: true, ExpText: "2030-01-01T00:00:00Z"}, dates, time.Unix(1700000060, 0), true},
		{"nothing", Claims{Iat: 1700000000, HasIat: true}, dates, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known := expiryTime(tt.c, tt.parseDate)
			if known != tt.known || !got.Equal(tt.want) {
				t.Errorf("expiryTime = %v, %v; want %v, %v", got, known, tt.want, tt.known)
			}
		})
	}
}

// TestRefreshScheduleFromToken runs the whole chain a token goes through:
// claims, expiry, delay, as upstream's getGuestTokenRefreshTiming does.
func TestRefreshScheduleFromToken(t *testing.T) {
	now := sdktest.Epoch
	dates := map[string]float64{"Tue, 14 Nov 2023 22:15:20 GMT": float64(now.Add(2 * time.Minute).UnixMilli())}
	parseDate := func(s string) (float64, bool) { v, ok := dates[s]; return v, ok }
	tests := []struct {
		name    string
		payload string
		want    time.Duration
	}{
		{"numeric exp in a minute", `{"exp":1700000060}`, 55 * time.Second},
		{"digit-string exp in a minute", `{"exp":"1700000060"}`, 55 * time.Second},
		{"date-string exp in two minutes", `{"exp":"Tue, 14 Nov 2023 22:15:20 GMT"}`, 115 * time.Second},
		{"unparseable exp", `{"exp":"whenever"}`, 295 * time.Second},
		{"no exp", `{"iat":1700000000}`, 295 * time.Second},
		{"already expired", `{"exp":1699999000}`, 5 * time.Second},
		{"about to expire", `{"exp":1700000003}`, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseClaims(sdktest.JWT(tt.payload))
			if err != nil {
				t.Fatal(err)
			}
			at, known := expiryTime(c, parseDate)
			if got := RefreshDelay(at, known, now); got != tt.want {
				t.Errorf("delay = %v, want %v", got, tt.want)
			}
		})
	}
}
