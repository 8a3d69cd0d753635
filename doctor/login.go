package doctor

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/dashembed/dashembed/guesttoken"
)

// mintState is what the login check leaves for the token check.
type mintState struct {
	attempted bool  // the login worked, so a guest token was asked for
	err       error // the guest-token call's error, if any
	csrf      bool  // the endpoint needed a CSRF token
}

// newMinter builds the guest-token client for the run's credentials, with or
// without CSRF, sending through the recording client. One attempt per call:
// the doctor reports what happened rather than hiding it behind retries.
func (r *run) newMinter(csrf bool) (guesttoken.Minter, error) {
	opts := []guesttoken.Option{
		guesttoken.WithHTTPClient(r.client), guesttoken.WithRetry(1, 0),
		guesttoken.WithAttemptTimeout(r.opts.Timeout), guesttoken.WithUserAgent("dashembed-doctor"),
	}
	switch r.auth {
	case authAPIKey:
		return guesttoken.NewCalabiIQ(r.opts.BI, r.opts.APIKey, append(opts, guesttoken.WithCSRF(csrf))...)
	case authPreset:
		if r.opts.PresetAPI != "" {
			opts = append(opts, guesttoken.WithBaseURL(r.opts.PresetAPI))
		}
		return guesttoken.NewPreset(r.opts.PresetTeam, r.opts.PresetWorkspace,
			guesttoken.PresetCredentials{APIToken: r.opts.PresetToken, APISecret: r.opts.PresetSecret}, opts...)
	default:
		return guesttoken.NewSuperset(r.opts.BI,
			guesttoken.Credentials{Username: r.opts.Username, Password: r.opts.Password, Provider: r.opts.Provider},
			append(opts, guesttoken.WithCSRF(csrf))...)
	}
}

// doctorUser is the throw-away guest every token is minted for; the random
// suffix keeps two runs apart in the BI host's logs.
func doctorUser() guesttoken.User {
	b := make([]byte, 4)
	rand.Read(b)
	return guesttoken.User{Username: fmt.Sprintf("dashembed-doctor-%x", b), FirstName: "dashembed", LastName: "doctor"}
}

// mint asks m for a guest token for the dashboard with one RLS clause.
func (r *run) mint(ctx context.Context, m guesttoken.Minter, clause string) (string, error) {
	return m.GuestToken(ctx, guesttoken.GuestTokenRequest{
		User:      doctorUser(),
		Resources: []guesttoken.Resource{{ID: r.opts.Dashboard}},
		RLS:       []guesttoken.RLSRule{{Clause: clause}},
	})
}

// apiError is err as an *guesttoken.APIError from an endpoint whose path
// contains part.
func apiError(err error, part string) (*guesttoken.APIError, bool) {
	var e *guesttoken.APIError
	if errors.As(err, &e) && strings.Contains(e.Endpoint, part) {
		return e, true
	}
	return nil, false
}

// isCSRFRefusal reports Flask-WTF's 400 for a missing or wrong CSRF token.
func isCSRFRefusal(err error) bool {
	e, ok := apiError(err, "guest_token")
	return ok && e.Status == 400 && strings.Contains(strings.ToLower(e.Message), "csrf")
}

// checkLogin is step 2: the service account authenticates, and the
// guest-token endpoint's CSRF setting is found out by calling it without,
// then with, a CSRF token.
func (r *run) checkLogin(ctx context.Context, res *Result) {
	if !r.reached {
		res.skip("the BI host did not answer (step 1)")
		return
	}
	m, err := r.newMinter(false)
	if err != nil {
		res.fail(err.Error(), "")
		return
	}
	tok, err := r.mint(ctx, m, rlsPass)
	if isCSRFRefusal(err) {
		r.mintState.csrf = true
		if m, err = r.newMinter(true); err == nil {
			tok, err = r.mint(ctx, m, rlsPass)
		}
	}
	if !r.loginOK(err, res) {
		return
	}
	r.minter, r.mintState.attempted, r.mintState.err, r.token = m, true, err, tok
	if x, ok := r.rec.last("/guest_token/"); ok {
		r.authValue = x.authorization
	}
	switch {
	case !r.mintState.csrf:
		res.ok("the guest-token endpoint takes the Bearer token alone: it is exempt from CSRF (WTF_CSRF_EXEMPT_LIST)")
	case isCSRFRefusal(err):
		res.fail("the guest-token endpoint refuses the call even with a CSRF token and session cookie: "+err.Error(),
			"Exempt the endpoint from CSRF: WTF_CSRF_EXEMPT_LIST = [..., \"superset.security.api.guest_token\"], or check that a proxy keeps the session cookie.")
	default:
		res.warn("strict CSRF: POST /api/v1/security/guest_token/ is refused without X-CSRFToken and works with one",
			"Your backend must GET /api/v1/security/csrf_token/ with the access token, then send its result as X-CSRFToken together with the session cookie it set (guesttoken.WithCSRF(true) does this). Or exempt the endpoint: WTF_CSRF_EXEMPT_LIST = [..., \"superset.security.api.guest_token\"].")
	}
}

// loginOK reports whether the service account authenticated, recording what
// was seen; a failed login fails the check.
func (r *run) loginOK(err error, res *Result) bool {
	switch r.auth {
	case authAPIKey:
		res.ok("API key sent as the Bearer token (no login)")
		return true
	case authPreset:
		if e, ok := apiError(err, "/v1/auth"); ok {
			res.fail("Preset's Manager API refused the API key pair: "+e.Error(),
				"Create an API key in Preset (Manage user settings → API keys) and pass its token and secret; check -preset-api for your region.")
			return false
		}
		res.ok("Preset Manager API: API key pair accepted")
		return true
	}
	if e, ok := apiError(err, "/security/login"); ok {
		fix := "Check the service account's -user and -password, and -provider (db, or ldap when AUTH_TYPE = AUTH_LDAP)."
		if e.Status == 404 {
			fix = "POST /api/v1/security/login does not exist here: check that -bi is the Superset base URL (with its path prefix, if any)."
		}
		res.fail(e.Error(), fix)
		return false
	}
	if _, ok := r.rec.last("/guest_token/"); !ok {
		res.fail("the guest-token endpoint was never reached: "+fmt.Sprint(err), "Check -bi and the network between this machine and the BI host.")
		return false
	}
	res.ok("service login as " + r.opts.Username + " accepted (POST /api/v1/security/login)")
	return true
}
