package guesttoken

import (
	"encoding/base64"
	"testing"
	"time"
)

func TestTokenLifetime(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	unix := float64(now.Unix())
	cases := []struct {
		name  string
		token string
		want  time.Duration
		ok    bool
	}{
		{"iat and exp", makeJWT(map[string]any{"iat": unix, "exp": unix + 900}), 15 * time.Minute, true},
		{"skewed clock uses exp-iat", makeJWT(map[string]any{"iat": unix - 3600, "exp": unix - 3600 + 900}), 15 * time.Minute, true},
		{"fractional", makeJWT(map[string]any{"iat": unix + 0.25, "exp": unix + 60.75}), 60500 * time.Millisecond, true},
		{"exp only", makeJWT(map[string]any{"exp": unix + 120}), 2 * time.Minute, true},
		{"exp only, already past", makeJWT(map[string]any{"exp": unix - 1}), 0, false},
		{"no exp", makeJWT(map[string]any{"iat": unix}), 0, false},
		{"exp not a number", makeJWT(map[string]any{"exp": "tomorrow"}), 0, false},
		{"opaque", "abcdef", 0, false},
		{"bad base64", "a.!!!.c", 0, false},
		{"payload not JSON", "a." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".c", 0, false},
		{"padded base64", "a." + base64.URLEncoding.EncodeToString([]byte(`{"iat":1,"exp":11}`)) + ".c", 10 * time.Second, true},
	}
	for _, tc := range cases {
		got, ok := tokenLifetime(tc.token, now)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: got %s, %v; want %s, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestShortLivedTokenIsNotRenewedOnEveryCall(t *testing.T) {
	clock := newFakeClock()
	cfg := defaultConfig()
	cfg.now = clock.now
	cfg.refreshMargin = time.Minute
	s := newSession(cfg, nil, nil)
	now := float64(clock.now().Unix())
	// A 40 s token with a 60 s margin: without a cap on the margin it would
	// be due for renewal before it was ever used.
	s.store(makeJWT(map[string]any{"iat": now, "exp": now + 40}), "")
	if _, ok := s.cached(); !ok {
		t.Fatal("fresh 40 s token is already due for renewal")
	}
	clock.advance(21 * time.Second)
	if _, ok := s.cached(); ok {
		t.Error("token past half its life is still served")
	}
}
