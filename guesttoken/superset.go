package guesttoken

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
)

// Paths of Superset's security API, which CalabiIQ keeps.
const (
	loginPath      = "/api/v1/security/login"
	refreshPath    = "/api/v1/security/refresh"
	guestTokenPath = "/api/v1/security/guest_token/"
)

// Credentials identify the Superset service account that mints guest tokens.
// It needs the "can grant guest token" permission.
type Credentials struct {
	// Username of the service account.
	Username string
	// Password of the service account.
	Password string
	// Provider is the authentication backend: "db" (the default when empty)
	// or "ldap".
	Provider string
}

// String hides the password, so that logging a configuration struct does not
// leak it.
func (c Credentials) String() string {
	return fmt.Sprintf("{Username:%s Password:[redacted] Provider:%s}", c.Username, c.Provider)
}

// Superset mints guest tokens from an Apache Superset instance, logging in as
// a service account. It is safe for concurrent use; create one per BI host and
// share it.
type Superset struct {
	api *securityAPI
}

// NewSuperset returns a client for the Superset instance at baseURL (for
// example "https://bi.example.com", or with a path prefix when Superset is
// served under one). Options: WithHTTPClient, WithRetry, WithMaxBackoff,
// WithAttemptTimeout, WithTokenTTL, WithRefreshMargin, WithCSRF,
// WithUserAgent.
func NewSuperset(baseURL string, creds Credentials, opts ...Option) (*Superset, error) {
	var p problems
	if creds.Username == "" {
		p.addf("credentials.username: empty")
	}
	if creds.Password == "" {
		p.addf("credentials.password: empty")
	}
	provider := creds.Provider
	if provider == "" {
		provider = "db"
	}
	if provider != "db" && provider != "ldap" {
		p.addf("credentials.provider: %q is not one of db, ldap", creds.Provider)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	api, err := newSecurityAPI(baseURL, opts)
	if err != nil {
		return nil, err
	}
	login, err := json.Marshal(map[string]any{
		"username": creds.Username,
		"password": creds.Password,
		"provider": provider,
		// Ask for a refresh token so that renewing the access token does not
		// resend the password.
		"refresh": true,
	})
	if err != nil {
		return nil, err
	}
	api.auth = newSession(api.t.cfg,
		func(ctx context.Context) (string, string, error) { return api.login(ctx, login) },
		api.refresh)
	return &Superset{api: api}, nil
}

// GuestToken validates req, then mints a guest token for it. The service
// login, its renewal and a retry after a 401 (a token revoked or expired
// early) are handled internally.
func (s *Superset) GuestToken(ctx context.Context, req GuestTokenRequest) (string, error) {
	if s == nil || s.api == nil {
		return "", errNotConstructed
	}
	return s.api.guestToken(ctx, req)
}

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

// login performs the service login with the pre-encoded body.
func (a *securityAPI) login(ctx context.Context, body []byte) (access, refresh string, err error) {
	r := request{method: http.MethodPost, path: loginPath, body: body}
	resp, err := a.t.do(ctx, r)
	if err != nil {
		return "", "", err
	}
	var out struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := decode(r, resp, &out); err != nil {
		return "", "", err
	}
	if out.AccessToken == "" {
		return "", "", malformed(r, resp, `no "access_token"`)
	}
	return out.AccessToken, out.RefreshToken, nil
}

// refresh trades the refresh token for a new access token.
func (a *securityAPI) refresh(ctx context.Context, refreshToken string) (string, error) {
	r := request{method: http.MethodPost, path: refreshPath, header: bearer(refreshToken)}
	resp, err := a.t.do(ctx, r)
	if err != nil {
		return "", err
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := decode(r, resp, &out); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", malformed(r, resp, `no "access_token"`)
	}
	return out.AccessToken, nil
}

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
		case apiErr.Status == http.StatusUnauthorized && !renewed && !retriedAuth:
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

// bearer returns the Authorization header for a token.
func bearer(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}}
}
