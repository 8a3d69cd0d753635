package guesttoken_test

// These tests run the client against the real mock BI host (devserver), not
// against fakes: every endpoint, error shape and fault below is the dev
// server's own.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/guesttoken"
)

func TestDevserverSupersetGuestToken(t *testing.T) {
	t.Parallel()
	const lifetime = 7 * time.Minute
	b := startBI(t, func(c *devserver.Config) { c.TokenLifetime = lifetime })
	ss := newSuperset(t, b, fast(1)...)

	clause, err := guesttoken.ClauseEquals("tenant", "o'brien")
	if err != nil {
		t.Fatal(err)
	}
	orders := 1
	req := guesttoken.GuestTokenRequest{
		User: guesttoken.User{Username: "user-42", FirstName: "Ada", LastName: "Lovelace",
			Attributes: map[string]any{"tenant": "acme", "tier": 3}},
		// Copy-pasted whitespace around an id is dropped; the slug also works.
		Resources: []guesttoken.Resource{{ID: " " + devserver.DemoDashboardUUID + "\n"}, {ID: devserver.DemoDashboardSlug}},
		RLS:       []guesttoken.RLSRule{{Dataset: &orders, Clause: clause}, {Clause: "region = 'East'"}},
	}
	tok, err := ss.GuestToken(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}

	header := jwtPart(t, tok, 0)
	jsonEqual(t, "header.alg", header["alg"], `"HS256"`)
	claims := jwtPart(t, tok, 1)
	if got, want := strings.Join(slices.Sorted(maps.Keys(claims)), " "), "aud exp iat resources rls_rules type user"; got != want {
		t.Errorf("claims %s, want exactly %s", got, want)
	}
	jsonEqual(t, "user", claims["user"],
		`{"username":"user-42","first_name":"Ada","last_name":"Lovelace","attributes":{"tenant":"acme","tier":3}}`)
	jsonEqual(t, "resources", claims["resources"],
		`[{"type":"dashboard","id":"`+devserver.DemoDashboardUUID+`"},{"type":"dashboard","id":"sales"}]`)
	jsonEqual(t, "rls_rules", claims["rls_rules"],
		`[{"dataset":1,"clause":"tenant = 'o''brien'"},{"clause":"region = 'East'"}]`)
	jsonEqual(t, "aud", claims["aud"], `"superset"`)
	jsonEqual(t, "type", claims["type"], `"guest"`)
	var iat, exp float64
	if err := json.Unmarshal(claims["iat"], &iat); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(claims["exp"], &exp); err != nil {
		t.Fatal(err)
	}
	if want := float64(b.clock.Now().Unix()); iat != want {
		t.Errorf("iat = %v, want the dev server's now %v", iat, want)
	}
	if exp-iat != lifetime.Seconds() {
		t.Errorf("exp - iat = %v, want %v", exp-iat, lifetime.Seconds())
	}
	// The signature, audience and expiry are what the embedded page's API
	// checks.
	verifyGuestToken(t, b, tok, "user-42")

	// A second token reuses the cached access token: no second login.
	if _, err := ss.GuestToken(context.Background(), demoRequest()); err != nil {
		t.Fatal(err)
	}
	b.wantLog(t,
		"POST "+loginPath+" 200",
		"POST "+guestTokenPath+" 200",
		"POST "+guestTokenPath+" 200",
	)
	// The login asked for a refresh token with the "db" provider.
	var logins []devserver.Event
	for _, ev := range b.host.Events() {
		if ev.Kind == "login" {
			logins = append(logins, ev)
		}
	}
	if len(logins) != 1 || logins[0].Detail["username"] != devserver.DemoUsername ||
		logins[0].Detail["provider"] != "db" || logins[0].Detail["refresh"] != true {
		t.Errorf("login events %+v, want one db login of %s asking for a refresh token", logins, devserver.DemoUsername)
	}
}

func TestDevserverSupersetStrictCSRF(t *testing.T) {
	t.Parallel()
	strict := func(c *devserver.Config) { c.StrictCSRF = true }

	t.Run("WithCSRF", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, strict)
		ss := newSuperset(t, b, append(fast(1), guesttoken.WithCSRF(true))...)
		for i := range 2 {
			tok, err := ss.GuestToken(context.Background(), demoRequest())
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			verifyGuestToken(t, b, tok, "viewer-1")
		}
		// One CSRF token (and session cookie) serves both calls.
		b.wantLog(t,
			"POST "+loginPath+" 200",
			"GET "+csrfPath+" 200",
			"POST "+guestTokenPath+" 200",
			"POST "+guestTokenPath+" 200",
		)
	})

	t.Run("refused once", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, strict)
		ss := newSuperset(t, b, append(fast(1), guesttoken.WithCSRF(true))...)
		// The session cookie goes missing on the guest-token call: the
		// server refuses the CSRF token, and the client fetches it again
		// once, then succeeds.
		b.dropCookieNext(guestTokenPath)
		tok, err := ss.GuestToken(context.Background(), demoRequest())
		if err != nil {
			t.Fatal(err)
		}
		verifyGuestToken(t, b, tok, "viewer-1")
		b.wantLog(t,
			"POST "+loginPath+" 200",
			"GET "+csrfPath+" 200",
			"POST "+guestTokenPath+" 400",
			"GET "+csrfPath+" 200",
			"POST "+guestTokenPath+" 200",
		)
	})

	t.Run("without", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, strict)
		ss := newSuperset(t, b, fast(3)...)
		_, err := ss.GuestToken(context.Background(), demoRequest())
		asAPIError(t, err, 400,
			"400 Bad Request: The CSRF token is missing. (strict CSRF mode: GET /api/v1/security/csrf_token/ first and send its result as X-CSRFToken with the session cookie)",
			"POST "+guestTokenPath)
		b.wantLog(t,
			"POST "+loginPath+" 200",
			"POST "+guestTokenPath+" 400",
		)
	})
}

func TestDevserverCalabiIQ(t *testing.T) {
	t.Parallel()

	t.Run("API key", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		c := newCalabiIQ(t, b, fast(1)...)
		tok, err := c.GuestToken(context.Background(), demoRequest())
		if err != nil {
			t.Fatal(err)
		}
		claims := verifyGuestToken(t, b, tok, "viewer-1")
		if len(claims.RLSRules) != 1 || claims.RLSRules[0].Clause != "tenant = 'acme'" || claims.RLSRules[0].Dataset != nil {
			t.Errorf("rls_rules %+v, want the request's one rule", claims.RLSRules)
		}
		// The API key is the bearer: no login, nothing to renew.
		b.wantLog(t, "POST "+guestTokenPath+" 200")
	})

	t.Run("API key with strict CSRF", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, func(c *devserver.Config) { c.StrictCSRF = true })
		c := newCalabiIQ(t, b, append(fast(1), guesttoken.WithCSRF(true))...)
		tok, err := c.GuestToken(context.Background(), demoRequest())
		if err != nil {
			t.Fatal(err)
		}
		verifyGuestToken(t, b, tok, "viewer-1")
		b.wantLog(t, "GET "+csrfPath+" 200", "POST "+guestTokenPath+" 200")
	})

	t.Run("wrong key", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		c, err := guesttoken.NewCalabiIQ(b.URL(), "not-the-key", fast(3)...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GuestToken(context.Background(), demoRequest())
		asAPIError(t, err, 401, "Not authorized", "POST "+guestTokenPath)
		// A fixed key cannot be renewed, so the 401 is final.
		b.wantLog(t, "POST "+guestTokenPath+" 401")
	})
}

func TestDevserverPreset(t *testing.T) {
	t.Parallel()

	t.Run("guest token", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		p := newPreset(t, b, fast(1)...)
		for i := range 2 {
			tok, err := p.GuestToken(context.Background(), demoRequest())
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			claims := verifyGuestToken(t, b, tok, "viewer-1")
			if got := claims.ExpiresAt - claims.IssuedAt; got != 300 {
				t.Errorf("Preset guest token lives %vs, want 300s", got)
			}
		}
		b.wantLog(t,
			"POST "+presetAuthPath+" 200",
			"POST "+presetGuestToken+" 200",
			"POST "+presetGuestToken+" 200",
		)
		found := false
		for _, ev := range b.host.Events() {
			if ev.Kind == "token_minted" && ev.Detail["by"] == "preset:demo" &&
				ev.Detail["team"] == presetTeam && ev.Detail["workspace"] == presetWorkspace {
				found = true
			}
		}
		if !found {
			t.Errorf("no token_minted event for preset:demo in %s/%s: %+v", presetTeam, presetWorkspace, b.host.Events())
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		p, err := guesttoken.NewPreset(presetTeam, presetWorkspace,
			guesttoken.PresetCredentials{APIToken: "demo", APISecret: "wrong"},
			append(fast(3), guesttoken.WithBaseURL(b.URL()))...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.GuestToken(context.Background(), demoRequest())
		asAPIError(t, err, 401, "Not authorized: unknown API token name or wrong secret", "POST "+presetAuthPath)
		b.wantLog(t, "POST "+presetAuthPath+" 401")
	})

	t.Run("expired access token", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, func(c *devserver.Config) { c.AccessTokenLifetime = time.Minute })
		p := newPreset(t, b, fast(1)...)
		if _, err := p.GuestToken(context.Background(), demoRequest()); err != nil {
			t.Fatal(err)
		}
		// By the client's clock the token is still fresh; by the server's
		// it has expired. The 401 makes the client log in again, once.
		b.clock.Advance(2 * time.Minute)
		tok, err := p.GuestToken(context.Background(), demoRequest())
		if err != nil {
			t.Fatal(err)
		}
		verifyGuestToken(t, b, tok, "viewer-1")
		b.wantLog(t,
			"POST "+presetAuthPath+" 200",
			"POST "+presetGuestToken+" 200",
			"POST "+presetGuestToken+" 401",
			"POST "+presetAuthPath+" 200",
			"POST "+presetGuestToken+" 200",
		)
	})
}

// luzmoRequest is a valid embed-token request.
func luzmoRequest(expiry time.Time) guesttoken.LuzmoRequest {
	return guesttoken.LuzmoRequest{
		Username:        "user-7",
		Name:            "Ada Lovelace",
		Email:           "ada@example.com",
		Suborganization: "acme",
		Access: guesttoken.LuzmoAccess{
			Collections: []guesttoken.LuzmoCollectionAccess{{ID: "coll-1", InheritRights: guesttoken.LuzmoRead}},
			Dashboards:  []guesttoken.LuzmoAccessEntry{{ID: "dash-1", Rights: guesttoken.LuzmoUse}},
		},
		Expiry:             expiry,
		InactivityInterval: 10 * time.Minute,
	}
}

var (
	uuidRE     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	hexTokenRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func TestDevserverLuzmo(t *testing.T) {
	t.Parallel()

	t.Run("embed token", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		l := newLuzmo(t, b, fast(1)...)
		expiry := b.clock.Now().Add(2 * time.Hour).UTC()
		first, err := l.EmbedToken(context.Background(), luzmoRequest(expiry))
		if err != nil {
			t.Fatal(err)
		}
		if !uuidRE.MatchString(first.ID) || !hexTokenRE.MatchString(first.Token) {
			t.Errorf("token %+v: want a UUID id and a 64-hex-digit token", first)
		}
		second, err := l.EmbedToken(context.Background(), luzmoRequest(expiry))
		if err != nil {
			t.Fatal(err)
		}
		if second.ID == first.ID || second.Token == first.Token {
			t.Errorf("two authorizations share an id or token: %+v, %+v", first, second)
		}
		b.wantLog(t, "POST "+luzmoAuthPath+" 200", "POST "+luzmoAuthPath+" 200")

		// What the server accepted: the request's user, role and expiry.
		var minted []devserver.Event
		for _, ev := range b.host.Events() {
			if ev.Kind == "token_minted" {
				minted = append(minted, ev)
			}
		}
		if len(minted) != 2 {
			t.Fatalf("%d token_minted events, want 2", len(minted))
		}
		d := minted[0].Detail
		if d["by"] != "luzmo:demo-key" || d["username"] != "user-7" || d["role"] != "viewer" ||
			d["expiry"] != expiry.Format(time.RFC3339) {
			t.Errorf("token_minted %+v, want by luzmo:demo-key, user-7, viewer, expiry %s", d, expiry.Format(time.RFC3339))
		}
		if got := fmt.Sprint(d["effective_rights"]); got != "map[collections:map[coll-1:read] dashboards:map[dash-1:use]]" {
			t.Errorf("effective rights %s", got)
		}
	})

	t.Run("server-side validation error", func(t *testing.T) {
		t.Parallel()
		// The client checks the expiry against its own clock; a server two
		// days ahead finds it in the past, and its 400 must come through
		// with its message.
		b := startBI(t, nil)
		b.clock.Advance(48 * time.Hour)
		l := newLuzmo(t, b, fast(3)...)
		expiry := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
		_, err := l.EmbedToken(context.Background(), luzmoRequest(expiry))
		asAPIError(t, err, 400,
			"properties.expiry "+expiry.Format(time.RFC3339)+" is in the past",
			"POST "+luzmoAuthPath)
		b.wantLog(t, "POST "+luzmoAuthPath+" 400")
	})

	t.Run("wrong token", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		l, err := guesttoken.NewLuzmo(guesttoken.LuzmoCredentials{Key: "demo-key", Token: "wrong"},
			append(fast(3), guesttoken.WithBaseURL(b.URL()))...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = l.EmbedToken(context.Background(), luzmoRequest(time.Time{}))
		asAPIError(t, err, 401, "Unknown API key or wrong token", "POST "+luzmoAuthPath)
		b.wantLog(t, "POST "+luzmoAuthPath+" 401")
	})
}

// The access token expires by the server's clock while the client still
// trusts it: the guest-token call gets 401, the client renews with the
// refresh token and succeeds; once the refresh token has expired too, it logs
// in again.
func TestDevserverSupersetRenewsAfter401(t *testing.T) {
	t.Parallel()
	b := startBI(t, func(c *devserver.Config) { c.AccessTokenLifetime = time.Minute })
	ss := newSuperset(t, b, fast(1)...)
	ctx := context.Background()
	if _, err := ss.GuestToken(ctx, demoRequest()); err != nil {
		t.Fatal(err)
	}

	b.clock.Advance(2 * time.Minute)
	tok, err := ss.GuestToken(ctx, demoRequest())
	if err != nil {
		t.Fatalf("after the access token expired: %v", err)
	}
	if c := verifyGuestToken(t, b, tok, "viewer-1"); c.IssuedAt != float64(b.clock.Now().Unix()) {
		t.Errorf("iat %v, want the advanced clock %v", c.IssuedAt, b.clock.Now().Unix())
	}

	// Refresh tokens live 30 days.
	b.clock.Advance(31 * 24 * time.Hour)
	if _, err := ss.GuestToken(ctx, demoRequest()); err != nil {
		t.Fatalf("after the refresh token expired: %v", err)
	}
	b.wantLog(t,
		"POST "+loginPath+" 200",
		"POST "+guestTokenPath+" 200",
		"POST "+guestTokenPath+" 401",
		"POST "+refreshPath+" 200",
		"POST "+guestTokenPath+" 200",
		"POST "+guestTokenPath+" 401",
		"POST "+refreshPath+" 401",
		"POST "+loginPath+" 200",
		"POST "+guestTokenPath+" 200",
	)
}

// The client has no clock option, so proactive renewal runs on real time: a
// 2 s access token is renewed half-way through its life, before the server
// would refuse it.
func TestDevserverSupersetRenewsBeforeExpiry(t *testing.T) {
	t.Parallel()
	b := startBI(t, func(c *devserver.Config) {
		c.AccessTokenLifetime = 2 * time.Second
		c.Now = nil // real time, like the client's
	})
	ss := newSuperset(t, b, fast(1)...)
	if _, err := ss.GuestToken(context.Background(), demoRequest()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := ss.GuestToken(context.Background(), demoRequest()); err != nil {
		t.Fatal(err)
	}
	b.wantLog(t,
		"POST "+loginPath+" 200",
		"POST "+guestTokenPath+" 200",
		"POST "+refreshPath+" 200",
		"POST "+guestTokenPath+" 200",
	)
}

func TestDevserverRetries5xx(t *testing.T) {
	t.Parallel()
	for _, v := range minterVendors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			b := startBI(t, nil)
			m := v.build(t, b, fast(3)...)
			b.setFaults(t, "guest_token_fail=2")
			start := time.Now()
			tok, err := m.GuestToken(context.Background(), demoRequest())
			if err != nil {
				t.Fatalf("with two injected 503s and three attempts: %v", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %s with millisecond backoffs", d)
			}
			verifyGuestToken(t, b, tok, "viewer-1")
			gt := "POST " + v.tokenPath
			want := append(append([]string(nil), v.setup...), gt+" 503", gt+" 503", gt+" 200")
			b.wantLog(t, want...)

			// Three failures exhaust three attempts; the last answer is
			// returned as is.
			b.setFaults(t, "guest_token_fail=3")
			_, err = m.GuestToken(context.Background(), demoRequest())
			apiErr := asAPIError(t, err, 503,
				"Injected fault guest_token_fail: the guest-token endpoint failed on purpose (0 more to come)", gt)
			if !apiErr.Temporary() {
				t.Error("a 503 is not Temporary")
			}
			b.wantLog(t, append(want, gt+" 503", gt+" 503", gt+" 503")...)
		})
	}
}

func TestDevserverHangTimesOut(t *testing.T) {
	t.Parallel()
	for _, v := range minterVendors {
		t.Run(v.name+"/attempt timeout", func(t *testing.T) {
			t.Parallel()
			b := startBI(t, nil)
			m := v.build(t, b, append(fast(2), guesttoken.WithAttemptTimeout(100*time.Millisecond))...)
			b.setFaults(t, "guest_token_hang=30s")
			start := time.Now()
			_, err := m.GuestToken(context.Background(), demoRequest())
			elapsed := time.Since(start)
			if err == nil {
				t.Fatal("no error from a hanging endpoint")
			}
			if elapsed > time.Second {
				t.Errorf("gave up after %s, want about 2 × 100ms", elapsed)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
			}
			for _, s := range []string{"POST " + v.tokenPath, "giving up after 2 attempts", "no complete answer within 100ms"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if n := b.count("POST", v.tokenPath); n != 2 {
				t.Errorf("%d guest-token requests, want 2 (one per attempt)", n)
			}
			wantHangEnded(t, b, v.tokenPath)
		})

		t.Run(v.name+"/context deadline", func(t *testing.T) {
			t.Parallel()
			b := startBI(t, nil)
			// Default retry and attempt timeout: the caller's deadline ends it.
			m := v.build(t, b)
			b.setFaults(t, "guest_token_hang=30s")
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := m.GuestToken(ctx, demoRequest())
			elapsed := time.Since(start)
			if err == nil {
				t.Fatal("no error from a hanging endpoint")
			}
			if elapsed > time.Second {
				t.Errorf("returned %s after a 200ms deadline", elapsed)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
			}
			if !strings.Contains(err.Error(), "POST "+v.tokenPath) {
				t.Errorf("error %q does not name the endpoint", err)
			}
			if n := b.count("POST", v.tokenPath); n != 1 {
				t.Errorf("%d guest-token requests, want 1", n)
			}
			wantHangEnded(t, b, v.tokenPath)
		})
	}
}

// wantHangEnded checks the dev server's promise that guest_token_hang lasts
// "until the client gives up": once the client has returned, the hanging
// handlers must end, not hold their goroutine and connection for the full
// 30 s.
func wantHangEnded(t *testing.T, b *biServer, path string) {
	t.Helper()
	if !b.waitDone(path, 500*time.Millisecond) {
		t.Errorf("devserver: the guest_token_hang handler for %s still runs 500ms after the client gave up "+
			"(it only notices a disconnect once the request body has been read)", path)
	}
}

func TestDevserverNoRetryOn4xx(t *testing.T) {
	t.Parallel()
	for _, v := range minterVendors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			b := startBI(t, nil)
			m := v.build(t, b, fast(3)...)
			gt := "POST " + v.tokenPath
			// Neither names a dashboard (an id or slug of any dashboard, or
			// an embedded UUID, would be accepted, as Superset does).
			for _, id := range []string{"no-such-dashboard", "99"} {
				req := demoRequest()
				req.Resources = []guesttoken.Resource{{ID: id}}
				_, err := m.GuestToken(context.Background(), req)
				apiErr := asAPIError(t, err, 400, "EmbeddedDashboard not found.", gt)
				if apiErr.Temporary() {
					t.Error("a 400 is Temporary")
				}
			}
			b.wantLog(t, append(append([]string(nil), v.setup...), gt+" 400", gt+" 400")...)
		})
	}

	t.Run("Superset wrong password", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		ss, err := guesttoken.NewSuperset(b.URL(),
			guesttoken.Credentials{Username: devserver.DemoUsername, Password: "wrong"}, fast(3)...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ss.GuestToken(context.Background(), demoRequest())
		asAPIError(t, err, 401, "Not authorized", "POST "+loginPath)
		// Repeating a refused login could lock the account.
		b.wantLog(t, "POST "+loginPath+" 401")
	})
}

func TestDevserverMalformedBody(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, b *biServer, err error, path string) {
		t.Helper()
		var respErr *guesttoken.ResponseError
		if !errors.As(err, &respErr) {
			t.Fatalf("error %T %v, want *guesttoken.ResponseError", err, err)
		}
		if respErr.Endpoint != "POST "+path || respErr.Status != 200 {
			t.Errorf("ResponseError{Endpoint: %q, Status: %d}, want {%q, 200}", respErr.Endpoint, respErr.Status, "POST "+path)
		}
		if !strings.HasPrefix(string(respErr.Body), "{") || json.Valid(respErr.Body) {
			t.Errorf("Body %q, want the truncated JSON the server sent", respErr.Body)
		}
		if !strings.Contains(err.Error(), "POST "+path) || !strings.Contains(respErr.Reason, "not the expected JSON") {
			t.Errorf("error %q (reason %q) does not name the endpoint and the problem", err, respErr.Reason)
		}
		// A malformed 2xx answer is not retried.
		if n := b.count("POST", path); n != 1 {
			t.Errorf("%d requests to %s, want 1", n, path)
		}
	}

	for _, v := range minterVendors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			b := startBI(t, nil)
			m := v.build(t, b, fast(3)...)
			b.truncateNext(v.tokenPath)
			_, err := m.GuestToken(context.Background(), demoRequest())
			check(t, b, err, v.tokenPath)
			// Only that answer was cut; the next call works.
			tok, err := m.GuestToken(context.Background(), demoRequest())
			if err != nil {
				t.Fatal(err)
			}
			verifyGuestToken(t, b, tok, "viewer-1")
		})
	}

	t.Run("Luzmo", func(t *testing.T) {
		t.Parallel()
		b := startBI(t, nil)
		l := newLuzmo(t, b, fast(3)...)
		b.truncateNext(luzmoAuthPath)
		_, err := l.EmbedToken(context.Background(), luzmoRequest(time.Time{}))
		check(t, b, err, luzmoAuthPath)
		if _, err := l.EmbedToken(context.Background(), luzmoRequest(time.Time{})); err != nil {
			t.Fatal(err)
		}
	})
}

// Many requests arriving at a cold client share one service login.
func TestDevserverSupersetConcurrentCallersShareLogin(t *testing.T) {
	t.Parallel()
	b := startBI(t, nil)
	ss := newSuperset(t, b, fast(1)...)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			tok, err := ss.GuestToken(context.Background(), demoRequest())
			if err == nil {
				_, err = b.host.VerifyGuestToken(tok)
			}
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := b.count("POST", loginPath); got != 1 {
		t.Errorf("%d logins for %d concurrent callers, want 1", got, n)
	}
	if got := b.count("POST", guestTokenPath); got != n {
		t.Errorf("%d guest-token calls, want %d", got, n)
	}
}
