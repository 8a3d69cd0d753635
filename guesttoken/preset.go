package guesttoken

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// DefaultPresetURL is the address of Preset's Manager API.
const DefaultPresetURL = "https://api.app.preset.io"

const presetAuthPath = "/v1/auth/"

// PresetCredentials are a Preset API key pair, created in the Preset UI under
// API keys.
type PresetCredentials struct {
	// APIToken is the key's name (sent as "name").
	APIToken string
	// APISecret is the key's secret (sent as "secret").
	APISecret string
}

// String hides the secret, so that logging a configuration struct does not
// leak it.
func (c PresetCredentials) String() string {
	return fmt.Sprintf("{APIToken:%s APISecret:[redacted]}", c.APIToken)
}

// Preset mints guest tokens for dashboards in one Preset workspace through the
// Manager API. The Manager API access token is cached until shortly before it
// expires and renewed by logging in again, once for all concurrent callers.
// It is safe for concurrent use.
type Preset struct {
	t         *transport
	auth      *session
	tokenPath string
}

// NewPreset returns a client for the workspace identified by team (the team's
// slug) and workspace (the workspace's slug, the first label of its
// hostname). Options: WithBaseURL, WithHTTPClient, WithRetry, WithMaxBackoff,
// WithAttemptTimeout, WithTokenTTL, WithRefreshMargin, WithUserAgent.
func NewPreset(team, workspace string, creds PresetCredentials, opts ...Option) (*Preset, error) {
	var p problems
	if team == "" {
		p.addf("team: empty")
	}
	if workspace == "" {
		p.addf("workspace: empty")
	}
	if creds.APIToken == "" {
		p.addf("credentials.api token: empty")
	}
	if creds.APISecret == "" {
		p.addf("credentials.api secret: empty")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	cfg, err := buildConfig(opts)
	if err != nil {
		return nil, err
	}
	raw := cfg.baseURL
	if raw == "" {
		raw = DefaultPresetURL
	}
	base, err := normalizeBaseURL(raw)
	if err != nil {
		return nil, err
	}
	login, err := json.Marshal(map[string]string{"name": creds.APIToken, "secret": creds.APISecret})
	if err != nil {
		return nil, err
	}
	c := &Preset{
		t: &transport{cfg: cfg, baseURL: base},
		// Escaped because slugs come from configuration and a stray "/" or
		// "?" would silently address another endpoint.
		tokenPath: "/v1/teams/" + url.PathEscape(team) + "/workspaces/" + url.PathEscape(workspace) + "/guest-token/",
	}
	c.auth = newSession(cfg, func(ctx context.Context) (string, string, error) {
		tok, err := c.login(ctx, login)
		return tok, "", err
	}, nil)
	return c, nil
}

// login trades the API key pair for a Manager API access token.
func (c *Preset) login(ctx context.Context, body []byte) (string, error) {
	r := request{method: http.MethodPost, path: presetAuthPath, body: body}
	resp, err := c.t.do(ctx, r)
	if err != nil {
		return "", err
	}
	var out struct {
		Payload *struct {
			AccessToken string `json:"access_token"`
		} `json:"payload"`
	}
	if err := decode(r, resp, &out); err != nil {
		return "", err
	}
	if out.Payload == nil || out.Payload.AccessToken == "" {
		return "", malformed(r, resp, `no "payload.access_token"`)
	}
	return out.Payload.AccessToken, nil
}

// GuestToken validates req, then mints a guest token for it. Preset's guest
// tokens live 5 minutes; the embedded SDK's fetchGuestToken callback asks for
// a new one before that.
func (c *Preset) GuestToken(ctx context.Context, req GuestTokenRequest) (string, error) {
	if c == nil || c.t == nil {
		return "", errNotConstructed
	}
	body, err := req.body()
	if err != nil {
		return "", err
	}
	for retried := false; ; retried = true {
		access, renewed, err := c.auth.token(ctx)
		if err != nil {
			return "", err
		}
		tok, err := c.mint(ctx, access, body)
		var apiErr *APIError
		if err != nil && errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized && !renewed && !retried {
			// The cached access token was revoked or expired early: log in
			// again once.
			c.auth.invalidate(access)
			continue
		}
		return tok, err
	}
}

func (c *Preset) mint(ctx context.Context, access string, body []byte) (string, error) {
	r := request{method: http.MethodPost, path: c.tokenPath, header: bearer(access), body: body}
	resp, err := c.t.do(ctx, r)
	if err != nil {
		return "", err
	}
	var out struct {
		Payload *struct {
			Token string `json:"token"`
		} `json:"payload"`
	}
	if err := decode(r, resp, &out); err != nil {
		return "", err
	}
	if out.Payload == nil || out.Payload.Token == "" {
		return "", malformed(r, resp, `no "payload.token"`)
	}
	return out.Payload.Token, nil
}
