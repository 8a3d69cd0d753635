package guesttoken

import "context"

// CalabiIQ mints guest tokens from a CalabiIQ instance. CalabiIQ keeps
// Superset's guest-token API but authenticates it with a long-lived API key
// instead of a service login, so there is nothing to cache or renew. It is
// safe for concurrent use.
type CalabiIQ struct {
	api *securityAPI
}

// NewCalabiIQ returns a client for the CalabiIQ instance at baseURL, calling
// it with apiKey as the bearer token. Options: WithHTTPClient, WithRetry,
// WithMaxBackoff, WithAttemptTimeout, WithCSRF, WithUserAgent.
func NewCalabiIQ(baseURL, apiKey string, opts ...Option) (*CalabiIQ, error) {
	if apiKey == "" {
		return nil, &ValidationError{Problems: []string{"api key: empty"}}
	}
	api, err := newSecurityAPI(baseURL, opts)
	if err != nil {
		return nil, err
	}
	api.auth = staticToken(apiKey)
	return &CalabiIQ{api: api}, nil
}

// GuestToken validates req, then mints a guest token for it. A 401 means the
// API key is wrong, revoked or lacks the guest-token permission; it is
// returned as an *APIError without retrying.
func (c *CalabiIQ) GuestToken(ctx context.Context, req GuestTokenRequest) (string, error) {
	if c == nil || c.api == nil {
		return "", errNotConstructed
	}
	return c.api.guestToken(ctx, req)
}
