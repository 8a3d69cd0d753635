package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/guesttoken"
)

// fakeMinter records the requests it is asked to mint.
type fakeMinter struct {
	got []guesttoken.GuestTokenRequest
}

func (f *fakeMinter) GuestToken(_ context.Context, req guesttoken.GuestTokenRequest) (string, error) {
	f.got = append(f.got, req)
	return "tok-" + req.User.Username, nil
}

func testSessions(now time.Time) *sessions {
	return &sessions{key: []byte("0123456789abcdef0123456789abcdef"), lifetime: time.Hour, now: func() time.Time { return now }}
}

func TestSessionCookie(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := testSessions(now)
	v := s.encode("alice")
	if u, err := s.decode(v); err != nil || u != "alice" {
		t.Fatalf("decode = %q, %v", u, err)
	}
	payload, sig, _ := strings.Cut(v, ".")
	forged := testSessions(now).encode("bob")
	bobPayload, _, _ := strings.Cut(forged, ".")
	for name, bad := range map[string]string{
		"empty":          "",
		"no signature":   payload,
		"other payload":  bobPayload + "." + sig,
		"truncated sig":  payload + "." + sig[:10],
		"other key":      (&sessions{key: []byte("another key, also 32 bytes long!"), lifetime: time.Hour, now: s.now}).encode("alice"),
		"garbage base64": "!!!." + s.sign("!!!"),
	} {
		if _, err := s.decode(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	later := testSessions(now.Add(time.Hour))
	if _, err := later.decode(v); err == nil {
		t.Error("an expired session was accepted")
	}
}

func TestGuestTokenFollowsTheSignedInUser(t *testing.T) {
	fake := &fakeMinter{}
	a := &app{sessions: testSessions(time.Now()), bi: fake, biURL: "http://bi.example", dashboardID: "dash-uuid"}
	srv := httptest.NewServer(a.routes())
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	login := func(user, pass string) (*http.Response, *http.Cookie) {
		t.Helper()
		resp, err := noRedirect.PostForm(srv.URL+"/login", url.Values{"username": {user}, "password": {pass}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				return resp, c
			}
		}
		return resp, nil
	}
	mint := func(c *http.Cookie) int {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/api/guest-token", nil)
		if c != nil {
			req.AddCookie(c)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	if resp, c := login("alice", "wrong"); resp.StatusCode != http.StatusUnauthorized || c != nil {
		t.Fatalf("a wrong password: %d, cookie %v", resp.StatusCode, c)
	}
	if resp, c := login("mallory", ""); resp.StatusCode != http.StatusUnauthorized || c != nil {
		t.Fatalf("an unknown user: %d, cookie %v", resp.StatusCode, c)
	}
	if got := mint(nil); got != http.StatusUnauthorized || len(fake.got) != 0 {
		t.Fatalf("no session: %d, %d mints", got, len(fake.got))
	}
	if resp, err := noRedirect.Get(srv.URL + "/"); err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("the dashboard without a session: %v %v", resp, err)
	}

	for _, tc := range []struct{ user, clause string }{{"alice", "tenant = 'acme'"}, {"bob", "tenant = 'globex'"}} {
		resp, c := login(tc.user, tc.user)
		if resp.StatusCode != http.StatusSeeOther || c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Fatalf("%s: login %d, cookie %+v", tc.user, resp.StatusCode, c)
		}
		if got := mint(c); got != http.StatusOK {
			t.Fatalf("%s: mint %d", tc.user, got)
		}
		req := fake.got[len(fake.got)-1]
		if req.User.Username != tc.user || len(req.RLS) != 1 || req.RLS[0].Clause != tc.clause || req.Resources[0].ID != "dash-uuid" {
			t.Errorf("%s: minted %+v", tc.user, req)
		}
	}
}
