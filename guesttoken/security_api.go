package guesttoken

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
)

// guestTokenPath is Superset's guest-token endpoint, which CalabiIQ keeps.
const guestTokenPath = "/api/v1/security/guest_token/"

// securityAPI is the guest-token flow Superset and its fork CalabiIQ share;
// they differ only in how the bearer token is obtained.
type securityAPI struct {
	t    *transport
	auth tokenSource
	csrf *csrfCache
	// origin is sent as Referer on CSRF-protected calls: over HTTPS,
	// Flask-WTF rejects a request whose Referer is missing or from another
	// origin.
	origin string
}

// newSecurityAPI builds the shared client; the caller sets auth.
func newSecurityAPI(baseURL string, opts []Option) (*securityAPI, error) {
	base, err := normalizeBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg, err := buildConfig(opts)
	if err != nil {
		return nil, err
	}
	api := &securityAPI{t: &transport{cfg: cfg, baseURL: base}}
	if cfg.csrf {
		if cfg.httpClient.Jar == nil {
			// The CSRF token is only accepted together with the session
			// cookie it was issued with.
			jar, err := cookiejar.New(nil)
			if err != nil {
				return nil, err
			}
			cfg.httpClient.Jar = jar
		}
		api.csrf = newCSRFCache(api.t)
		u, _ := url.Parse(base)
		api.origin = u.Scheme + "://" + u.Host + "/"
	}
	return api, nil
}

// guestToken mints a token for req, renewing the access token or the CSRF
// token once when the server refuses them.
func (a *securityAPI) guestToken(ctx context.Context, req GuestTokenRequest) (string, error) {
	body, err := req.body()
	if err != nil {
		return "", err
	}
	// Each recovery is tried once: a second 401 with a renewed token means
	// the account lacks the permission, and a second CSRF refusal means the
	// deployment's CSRF setup is broken; retrying further would only hide it.
	retriedAuth, retriedCSRF := false, false
	for {
		access, renewed, err := a.auth.token(ctx)
		if err != nil {
			return "", err
		}
		var apiErr *APIError
		tok, csrfTok, err := a.mint(ctx, access, body)
		switch {
		case err == nil:
			return tok, nil
		case !errors.As(err, &apiErr):
			return "", err
		case staleToken(apiErr) && !renewed && !retriedAuth:
			retriedAuth = true
			a.auth.invalidate(access)
		case a.csrf != nil && isCSRFFailure(apiErr) && !retriedCSRF:
			retriedCSRF = true
			a.csrf.invalidate(csrfTok)
		default:
			return "", err
		}
	}
}

// mint makes one guest-token call (after fetching a CSRF token if needed). It
// returns the CSRF token used so that a refusal can invalidate exactly it.
func (a *securityAPI) mint(ctx context.Context, access string, body []byte) (tok, csrfTok string, err error) {
	r := request{method: http.MethodPost, path: guestTokenPath, header: bearer(access), body: body}
	if a.csrf != nil {
		csrfTok, err = a.csrf.get(ctx, access)
		if err != nil {
			return "", "", err
		}
		r.header.Set("X-CSRFToken", csrfTok)
		r.header.Set("Referer", a.origin)
	}
	resp, err := a.t.do(ctx, r)
	if err != nil {
		return "", csrfTok, err
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := decode(r, resp, &out); err != nil {
		return "", csrfTok, err
	}
	if out.Token == "" {
		return "", csrfTok, malformed(r, resp, `no "token"`)
	}
	return out.Token, csrfTok, nil
}

// staleToken reports whether an answer may mean the access token is no
// longer accepted: 401 for an expired one, and 422, which flask-jwt-extended
// answers by default for a token it cannot verify (after the BI host's secret
// key changed, say). Superset reports guest-token schema errors as 400, so a
// 422 is not a problem with the request.
func staleToken(e *APIError) bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusUnprocessableEntity
}

// bearer returns the Authorization header for a token.
func bearer(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}}
}
