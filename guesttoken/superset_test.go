package guesttoken

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func newTestSuperset(t *testing.T, f *fakeSuperset, opts ...Option) *Superset {
	t.Helper()
	c, err := NewSuperset(f.URL, Credentials{Username: "embedder", Password: "s3cret"}, append([]Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSupersetHappyPath(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	ds := 7
	req := GuestTokenRequest{
		User:      User{Username: "ada", FirstName: "Ada", LastName: "Lovelace", Attributes: map[string]any{"tenant": "acme"}},
		Resources: []Resource{{Type: "dashboard", ID: "sales"}},
		RLS:       []RLSRule{{Dataset: &ds, Clause: "tenant_id = 'acme'"}, {Clause: "region = 'EU'"}},
	}
	tok, err := c.GuestToken(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	claims := decodeJWTClaims(t, tok)
	if claims["type"] != "guest" {
		t.Errorf("type claim = %v", claims["type"])
	}
	user := claims["user"].(map[string]any)
	if user["username"] != "ada" || user["first_name"] != "Ada" || user["last_name"] != "Lovelace" {
		t.Errorf("user claim = %v", user)
	}
	rules := claims["rls_rules"].([]any)
	if len(rules) != 2 || rules[0].(map[string]any)["dataset"] != float64(7) {
		t.Errorf("rls_rules claim = %v", rules)
	}
	if _, has := rules[1].(map[string]any)["dataset"]; has {
		t.Errorf("a rule without dataset was sent with one: %v", rules[1])
	}

	f.mu.Lock()
	login := f.lastLoginBody
	f.mu.Unlock()
	if login["provider"] != "db" || login["refresh"] != true || login["username"] != "embedder" {
		t.Errorf("login body = %v", login)
	}

	// A second token reuses the cached access token.
	if _, err := c.GuestToken(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if n := f.logins.Load(); n != 1 {
		t.Errorf("logins = %d, want 1", n)
	}
	if n := f.guestCalls.Load(); n != 2 {
		t.Errorf("guest-token calls = %d, want 2", n)
	}
}

func TestSupersetSendsEmptyRLSList(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	body := f.guestBody(t)
	rls, ok := body["rls"].([]any)
	if !ok || len(rls) != 0 {
		t.Errorf("rls = %#v, want an empty list (the API requires the key)", body["rls"])
	}
	res := body["resources"].([]any)[0].(map[string]any)
	if res["type"] != "dashboard" {
		t.Errorf("resource type = %v, want the default dashboard", res["type"])
	}
}

func TestSupersetRefreshesAfter401(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.revokeAccess()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if got := [3]int32{f.logins.Load(), f.refreshes.Load(), f.guestCalls.Load()}; got != [3]int32{1, 1, 3} {
		t.Errorf("logins, refreshes, guest calls = %v, want [1 1 3]", got)
	}
}

func TestSupersetLogsInAgainWhenRefreshFails(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.revokeAccess()
	f.revokeRefresh()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if got := [3]int32{f.logins.Load(), f.refreshes.Load(), f.guestCalls.Load()}; got != [3]int32{2, 1, 3} {
		t.Errorf("logins, refreshes, guest calls = %v, want [2 1 3]", got)
	}
	// The refused refresh token was dropped: the next renewal uses the new one.
	f.revokeAccess()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if got := [2]int32{f.logins.Load(), f.refreshes.Load()}; got != [2]int32{2, 2} {
		t.Errorf("logins, refreshes = %v, want [2 2]", got)
	}
}

func TestSupersetRenewsNearExpiry(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.accessLife = 10 * time.Minute })
	clock := newFakeClock()
	c := newTestSuperset(t, f, withNow(clock.now), WithRefreshMargin(time.Minute))
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	clock.advance(8 * time.Minute)
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := f.refreshes.Load(); n != 0 {
		t.Fatalf("refreshed with 2 minutes left and a 1 minute margin")
	}
	clock.advance(90 * time.Second)
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if got := [3]int32{f.logins.Load(), f.refreshes.Load(), f.guestCalls.Load()}; got != [3]int32{1, 1, 3} {
		t.Errorf("logins, refreshes, guest calls = %v, want [1 1 3]: the token should be renewed before use, without a 401", got)
	}
}

func TestSupersetFallbackTTLForOpaqueTokens(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.accessLife = 0 })
	clock := newFakeClock()
	c := newTestSuperset(t, f, withNow(clock.now), WithTokenTTL(2*time.Minute), WithRefreshMargin(10*time.Second))
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := f.refreshes.Load(); n != 0 {
		t.Fatalf("refreshes = %d before the fallback TTL ran out", n)
	}
	clock.advance(time.Minute)
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := f.refreshes.Load(); n != 1 {
		t.Errorf("refreshes = %d, want 1 once the fallback TTL ran out", n)
	}
}

func TestSupersetMissingPermissionIsNotRetried(t *testing.T) {
	f := newFakeSuperset(t, nil)
	f.noGrant.Store(true)
	c := newTestSuperset(t, f)
	_, err := c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || apiErr.Message != "Not authorized" {
		t.Fatalf("err = %v, want a 401 Not authorized APIError", err)
	}
	if apiErr.Endpoint != "POST /api/v1/security/guest_token/" {
		t.Errorf("endpoint = %q", apiErr.Endpoint)
	}
	// The token was brand new, so a 401 cannot be a stale token.
	if got := [3]int32{f.logins.Load(), f.refreshes.Load(), f.guestCalls.Load()}; got != [3]int32{1, 0, 1} {
		t.Errorf("logins, refreshes, guest calls = %v, want [1 0 1]", got)
	}
}

func TestSupersetSecond401IsReturned(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.noGrant.Store(true) // the permission was taken away meanwhile
	_, err := c.GuestToken(ctx, dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
		t.Fatalf("err = %v, want 401", err)
	}
	if got := [2]int32{f.refreshes.Load(), f.guestCalls.Load()}; got != [2]int32{1, 3} {
		t.Errorf("refreshes, guest calls = %v, want [1 3]: one renewal, then give up", got)
	}
}

func TestSupersetBadCredentials(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c, err := NewSuperset(f.URL, Credentials{Username: "embedder", Password: "wrong"}, fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Endpoint != "POST /api/v1/security/login" {
		t.Fatalf("err = %v, want a 401 from the login", err)
	}
	if !strings.Contains(err.Error(), "Not authorized") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q should carry the server's message and never the password", err)
	}
	if n := f.logins.Load(); n != 1 {
		t.Errorf("logins = %d: a refused login must not be retried", n)
	}
}

func TestSupersetUnknownDashboard(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	req := dashboardReq()
	req.Resources = []Resource{{ID: "no-such-dashboard"}}
	_, err := c.GuestToken(context.Background(), req)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Message != "EmbeddedDashboard not found." {
		t.Fatalf("err = %v, want 400 EmbeddedDashboard not found.", err)
	}
	if n := f.guestCalls.Load(); n != 1 {
		t.Errorf("guest calls = %d: a 400 must not be retried", n)
	}
}

func TestSupersetValidatesBeforeSending(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	_, err := c.GuestToken(context.Background(), GuestTokenRequest{User: User{Username: "ada"}})
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want a ValidationError", err)
	}
	if n := f.logins.Load() + f.guestCalls.Load(); n != 0 {
		t.Errorf("%d requests sent for an invalid request", n)
	}
}

func TestSupersetCSRF(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.requireCSRF = true })
	c := newTestSuperset(t, f, WithCSRF(true))
	ctx := context.Background()
	for range 3 {
		if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.csrfFetches.Load(); n != 1 {
		t.Errorf("CSRF fetches = %d, want 1 (the token is reused)", n)
	}
	f.mu.Lock()
	h := f.lastGuestHeads
	f.mu.Unlock()
	if h.Get("X-CSRFToken") == "" || !strings.Contains(h.Get("Cookie"), "session=") {
		t.Errorf("CSRF header %q, cookie %q: both are needed", h.Get("X-CSRFToken"), h.Get("Cookie"))
	}
	if h.Get("Referer") != f.URL+"/" {
		t.Errorf("Referer = %q, want %q (Flask-WTF checks it over HTTPS)", h.Get("Referer"), f.URL+"/")
	}
}

func TestSupersetCSRFRefetchedWhenRefused(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.requireCSRF = true })
	c := newTestSuperset(t, f, WithCSRF(true))
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.dropSessions() // the server forgot the session, as after a restart
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatalf("after the session was dropped: %v", err)
	}
	if n := f.csrfFetches.Load(); n != 2 {
		t.Errorf("CSRF fetches = %d, want 2", n)
	}
}

func TestSupersetStrictCSRFWithoutOption(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.requireCSRF = true })
	c := newTestSuperset(t, f)
	_, err := c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || !strings.Contains(apiErr.Message, "CSRF") {
		t.Fatalf("err = %v, want the server's 400 CSRF refusal", err)
	}
}

func TestSupersetUnderPathPrefix(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.prefix = "/superset" })
	c, err := NewSuperset(f.URL+"/superset/", Credentials{Username: "embedder", Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
}

func TestSupersetLDAPProvider(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c, err := NewSuperset(f.URL, Credentials{Username: "embedder", Password: "s3cret", Provider: "ldap"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lastLoginBody["provider"] != "ldap" {
		t.Errorf("provider = %v", f.lastLoginBody["provider"])
	}
}

func TestSupersetRenewsAfter422UnverifiableToken(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	// After a secret-key change flask-jwt-extended cannot verify the cached
	// token and answers 422.
	fn, _ := failFirst(1, http.StatusUnprocessableEntity, `{"msg":"Signature verification failed"}`)
	f.before.set(fn)
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := f.refreshes.Load(); n != 1 {
		t.Errorf("refreshes = %d, want 1", n)
	}
}
