package guesttoken

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Superset's service-login endpoints.
const (
	loginPath   = "/api/v1/security/login"
	refreshPath = "/api/v1/security/refresh"
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
