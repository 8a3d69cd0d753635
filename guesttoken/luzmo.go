package guesttoken

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// DefaultLuzmoURL is the address of Luzmo's EU API.
const DefaultLuzmoURL = "https://api.luzmo.com"

const luzmoAuthorizationPath = "/0.1.0/authorization"

// LuzmoCredentials are the API key-token pair of a Luzmo organization owner,
// used server-side only: they can grant access to anything.
type LuzmoCredentials struct {
	// Key is the API key.
	Key string
	// Token is the API token.
	Token string
}

// String hides the token, so that logging a configuration struct does not
// leak it.
func (c LuzmoCredentials) String() string {
	return fmt.Sprintf("{Key:%s Token:[redacted]}", c.Key)
}

// LuzmoToken is an embed authorization. Hand both values to the frontend
// component: ID as authKey, Token as authToken.
type LuzmoToken struct {
	// ID is the authorization's id, the component's authKey.
	ID string
	// Token is the secret, the component's authToken.
	Token string
}

// Luzmo creates Luzmo embed tokens. Every call is authenticated with the API
// key pair itself, so there is no session to cache. It is safe for concurrent
// use.
type Luzmo struct {
	t     *transport
	creds LuzmoCredentials
}

// NewLuzmo returns a Luzmo client. Options: WithBaseURL, WithHTTPClient,
// WithRetry, WithMaxBackoff, WithAttemptTimeout, WithUserAgent.
func NewLuzmo(creds LuzmoCredentials, opts ...Option) (*Luzmo, error) {
	var p problems
	if creds.Key == "" {
		p.addf("credentials.key: empty")
	}
	if creds.Token == "" {
		p.addf("credentials.token: empty")
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
		raw = DefaultLuzmoURL
	}
	base, err := normalizeBaseURL(raw)
	if err != nil {
		return nil, err
	}
	return &Luzmo{t: &transport{cfg: cfg, baseURL: base}, creds: creds}, nil
}

// EmbedToken validates req, then creates an embed authorization for it.
func (l *Luzmo) EmbedToken(ctx context.Context, req LuzmoRequest) (LuzmoToken, error) {
	if l == nil || l.t == nil {
		return LuzmoToken{}, errNotConstructed
	}
	props, err := req.properties(l.t.cfg.now())
	if err != nil {
		return LuzmoToken{}, err
	}
	body, err := json.Marshal(map[string]any{
		"action":     "create",
		"key":        l.creds.Key,
		"token":      l.creds.Token,
		"version":    "0.1.0",
		"properties": props,
	})
	if err != nil {
		return LuzmoToken{}, err
	}
	r := request{method: http.MethodPost, path: luzmoAuthorizationPath, body: body}
	resp, err := l.t.do(ctx, r)
	if err != nil {
		return LuzmoToken{}, err
	}
	var out struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	if err := decode(r, resp, &out); err != nil {
		return LuzmoToken{}, err
	}
	if out.ID == "" || out.Token == "" {
		return LuzmoToken{}, malformed(r, resp, `no "id" and "token"`)
	}
	return LuzmoToken(out), nil
}
