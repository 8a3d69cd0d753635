package guesttoken

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

const csrfPath = "/api/v1/security/csrf_token/"

// csrfCache holds the CSRF token that stock Superset wants in X-CSRFToken on
// the guest-token call. The token is bound to the session cookie that came
// with it (kept by the HTTP client's cookie jar), not to the access token, so
// one fetch serves many calls until the server refuses it.
type csrfCache struct {
	t *transport
	// fetching admits one fetch at a time; a channel so waiters can give up.
	fetching chan struct{}

	mu    sync.Mutex
	token string
}

func newCSRFCache(t *transport) *csrfCache {
	return &csrfCache{t: t, fetching: make(chan struct{}, 1)}
}

// get returns the cached CSRF token, fetching one with the access token when
// there is none.
func (c *csrfCache) get(ctx context.Context, access string) (string, error) {
	if tok := c.cached(); tok != "" {
		return tok, nil
	}
	select {
	case c.fetching <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("guesttoken: waiting for the CSRF token: %w", ctx.Err())
	}
	defer func() { <-c.fetching }()
	if tok := c.cached(); tok != "" {
		return tok, nil
	}

	r := request{method: http.MethodGet, path: csrfPath, header: bearer(access)}
	resp, err := c.t.do(ctx, r)
	if err != nil {
		return "", err
	}
	var out struct {
		Result string `json:"result"`
	}
	if err := decode(r, resp, &out); err != nil {
		return "", err
	}
	if out.Result == "" {
		return "", malformed(r, resp, `no "result" CSRF token`)
	}
	c.mu.Lock()
	c.token = out.Result
	c.mu.Unlock()
	return out.Result, nil
}

func (c *csrfCache) cached() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// invalidate drops tok after the server rejected it, unless it was already
// replaced.
func (c *csrfCache) invalidate(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == tok {
		c.token = ""
	}
}

// isCSRFFailure recognises Flask-WTF's refusals ("The CSRF token is
// missing.", "The CSRF session token is missing.", "The CSRF token has
// expired.", ...), which Superset answers with 400.
func isCSRFFailure(e *APIError) bool {
	return e.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Message), "csrf")
}
