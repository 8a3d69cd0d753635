package guesttoken

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// fuzzTransport answers every request with the status and body of the
// endpoint's slot: the login (or auth) call and the guest-token call get
// their own, the others (CSRF, refresh) the login's.
type fuzzTransport struct {
	authStatus, tokenStatus int
	authBody, tokenBody     []byte
}

func (f *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	status, body := f.authStatus, f.authBody
	if bytes.Contains([]byte(r.URL.Path), []byte("guest")) {
		status, body = f.tokenStatus, f.tokenBody
	}
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
}

// FuzzGuestTokenResponses: whatever a BI host answers, each client returns
// either a non-empty token or an error of a documented type (*APIError for
// an error status, *ResponseError for a success answer without a token),
// never a panic.
func FuzzGuestTokenResponses(f *testing.F) {
	seeds := []struct {
		authStatus  uint16
		auth        string
		tokenStatus uint16
		token       string
	}{
		{200, `{"access_token":"a.eyJleHAiOjk5OTk5OTk5OTl9.c","refresh_token":"r","result":"csrf","payload":{"access_token":"a"}}`, 200, `{"token":"g","payload":{"token":"g"}}`},
		{200, `{"access_token":"x"}`, 200, `{"token":5}`},
		{401, `{"message":"Not authorized"}`, 200, `{}`},
		{200, `{"access_token":"x"}`, 400, `{"message":{"resources":["Missing data"]}}`},
		{200, `{"access_token":"a.eyJleHAiOiJzb29uIn0.c"}`, 200, `<html>`},
		{200, `{"payload":null}`, 422, `{"msg":"Not enough segments"}`},
		{299, ``, 200, `{"token":"t"}{"token":"u"}`},
	}
	for _, s := range seeds {
		f.Add(s.authStatus, []byte(s.auth), s.tokenStatus, []byte(s.token))
	}
	f.Fuzz(func(t *testing.T, authStatus uint16, auth []byte, tokenStatus uint16, tok []byte) {
		ft := &fuzzTransport{authStatus: httpStatus(authStatus), authBody: auth, tokenStatus: httpStatus(tokenStatus), tokenBody: tok}
		opts := []Option{WithHTTPClient(&http.Client{Transport: ft}), WithRetry(1, time.Millisecond)}
		clients := map[string]func() (string, error){}
		if c, err := NewSuperset("https://bi.example.com", Credentials{Username: "u", Password: "p"}, append(opts, WithCSRF(true))...); err == nil {
			clients["superset"] = func() (string, error) { return c.GuestToken(context.Background(), dashboardReq()) }
		}
		if c, err := NewCalabiIQ("https://bi.example.com", "key", opts...); err == nil {
			clients["calabiiq"] = func() (string, error) { return c.GuestToken(context.Background(), dashboardReq()) }
		}
		if c, err := NewPreset("team", "ws", PresetCredentials{APIToken: "n", APISecret: "s"}, opts...); err == nil {
			clients["preset"] = func() (string, error) { return c.GuestToken(context.Background(), dashboardReq()) }
		}
		if len(clients) != 3 {
			t.Fatalf("could not build every client: %v", clients)
		}
		for name, call := range clients {
			got, err := call()
			var apiErr *APIError
			var respErr *ResponseError
			switch {
			case err == nil && got == "":
				t.Fatalf("%s: an empty token and no error", name)
			case err != nil && got != "":
				t.Fatalf("%s: token %q and error %v", name, got, err)
			case err != nil && !errors.As(err, &apiErr) && !errors.As(err, &respErr):
				t.Fatalf("%s: error %T %v, want an *APIError or a *ResponseError", name, err, err)
			}
		}
	})
}

// httpStatus maps a fuzzed number to a status a server may send.
func httpStatus(n uint16) int { return 200 + int(n)%400 }

// FuzzTokenLifetime: any access token reads as a positive lifetime or as
// unknown, never a panic or a negative wait.
func FuzzTokenLifetime(f *testing.F) {
	for _, seed := range []string{"", "a.b.c", "a.eyJleHAiOjk5OTk5OTk5OTl9.c", "a.eyJleHAiOjFlMzA4LCJpYXQiOi0xZTMwOH0.c", "a.eyJleHAiOiIxIn0=.c"} {
		f.Add(seed)
	}
	now := time.Unix(1_700_000_000, 0)
	f.Fuzz(func(t *testing.T, tok string) {
		if life, ok := tokenLifetime(tok, now); ok && life <= 0 {
			t.Fatalf("tokenLifetime(%q) = %v, true: a lifetime must be positive", tok, life)
		}
	})
}
