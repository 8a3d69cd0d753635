package guesttoken

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestInvalidOptionsFailAtConstruction(t *testing.T) {
	creds := Credentials{Username: "u", Password: "p"}
	for name, opt := range map[string]Option{
		"retry 0":          WithRetry(0, time.Second),
		"negative backoff": WithRetry(3, -time.Second),
		"nil client":       WithHTTPClient(nil),
		"attempt timeout":  WithAttemptTimeout(0),
		"ttl":              WithTokenTTL(-time.Second),
		"margin":           WithRefreshMargin(-time.Second),
		"max backoff":      WithMaxBackoff(-1),
	} {
		if _, err := NewSuperset("https://bi.example.com", creds, opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestBaseURLs(t *testing.T) {
	creds := Credentials{Username: "u", Password: "p"}
	for _, bad := range []string{"", "bi.example.com", "ftp://bi.example.com", "https://", "https://bi.example.com/?x=1", "https://bi.example.com/#top", "http://[::1"} {
		if _, err := NewSuperset(bad, creds); err == nil {
			t.Errorf("base URL %q accepted", bad)
		}
	}
	s, err := NewSuperset(" https://bi.example.com/superset/ ", creds)
	if err != nil {
		t.Fatal(err)
	}
	if s.api.t.baseURL != "https://bi.example.com/superset" {
		t.Errorf("base URL = %q", s.api.t.baseURL)
	}
	l, err := NewLuzmo(LuzmoCredentials{Key: "k", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if l.t.baseURL != DefaultLuzmoURL {
		t.Errorf("Luzmo base URL = %q", l.t.baseURL)
	}
	if _, err := NewLuzmo(LuzmoCredentials{Key: "k", Token: "t"}, WithBaseURL("api.us.luzmo.com")); err == nil {
		t.Error("scheme-less Luzmo base URL accepted")
	}
}

func TestCredentialsAreChecked(t *testing.T) {
	for _, c := range []Credentials{{}, {Username: "u"}, {Password: "p"}, {Username: "u", Password: "p", Provider: "oauth"}} {
		if _, err := NewSuperset("https://bi.example.com", c); err == nil {
			t.Errorf("credentials %v accepted", c)
		}
	}
	if _, err := NewLuzmo(LuzmoCredentials{Key: "k"}); err == nil {
		t.Error("Luzmo credentials without token accepted")
	}
}

func TestCredentialsDoNotPrintSecrets(t *testing.T) {
	for _, v := range []any{
		Credentials{Username: "u", Password: "hunter2"},
		PresetCredentials{APIToken: "t", APISecret: "hunter2"},
		LuzmoCredentials{Key: "k", Token: "hunter2"},
	} {
		for _, verb := range []string{"%v", "%+v", "%s"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, "hunter2") {
				t.Errorf("%s of %T prints the secret: %s", verb, v, s)
			}
		}
	}
}

func TestCallerHTTPClientIsNotModified(t *testing.T) {
	mine := &http.Client{Timeout: time.Minute}
	s, err := NewSuperset("https://bi.example.com", Credentials{Username: "u", Password: "p"}, WithHTTPClient(mine), WithCSRF(true))
	if err != nil {
		t.Fatal(err)
	}
	if mine.Jar != nil {
		t.Error("a cookie jar was added to the caller's client")
	}
	if s.api.t.cfg.httpClient.Jar == nil || s.api.t.cfg.httpClient.Timeout != time.Minute {
		t.Error("the client's copy lacks the jar or the caller's settings")
	}
}

func TestCustomHTTPClientIsUsed(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.apiKey = "k" })
	var used bool
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := NewCalabiIQ(f.URL, "k", WithHTTPClient(client), WithUserAgent("acme-backend/2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GuestToken(t.Context(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if !used {
		t.Error("the custom client was not used")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if ua := f.lastGuestHeads.Get("User-Agent"); ua != "acme-backend/2" {
		t.Errorf("User-Agent = %q", ua)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
