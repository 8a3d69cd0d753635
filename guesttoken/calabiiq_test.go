package guesttoken

import (
	"context"
	"errors"
	"testing"
)

func TestCalabiIQHappyPath(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.apiKey = "calabi-key" })
	c, err := NewCalabiIQ(f.URL, "calabi-key", fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.GuestToken(context.Background(), dashboardReq())
	if err != nil {
		t.Fatal(err)
	}
	if decodeJWTClaims(t, tok)["type"] != "guest" {
		t.Errorf("not a guest token: %q", tok)
	}
	if n := f.logins.Load() + f.refreshes.Load(); n != 0 {
		t.Errorf("%d login or refresh calls; CalabiIQ uses the API key directly", n)
	}
	f.mu.Lock()
	auth := f.lastGuestHeads.Get("Authorization")
	f.mu.Unlock()
	if auth != "Bearer calabi-key" {
		t.Errorf("Authorization = %q", auth)
	}
}

func TestCalabiIQWrongKey(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.apiKey = "calabi-key" })
	c, err := NewCalabiIQ(f.URL, "other-key", fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 {
		t.Fatalf("err = %v, want 401", err)
	}
	if n := f.guestCalls.Load(); n != 1 {
		t.Errorf("guest calls = %d: an API key cannot be renewed, so a 401 is final", n)
	}
}

func TestCalabiIQWithCSRF(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.apiKey = "calabi-key"; f.requireCSRF = true })
	c, err := NewCalabiIQ(f.URL, "calabi-key", fastRetry, WithCSRF(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
}

func TestCalabiIQNeedsKey(t *testing.T) {
	if _, err := NewCalabiIQ("https://bi.example.com", ""); err == nil {
		t.Fatal("empty API key accepted")
	}
}
