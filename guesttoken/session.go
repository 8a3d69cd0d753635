package guesttoken

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// tokenSource supplies the credential a guest-token call is made with.
type tokenSource interface {
	// token returns the access token to use. renewed is true when asking
	// again after a 401 cannot help: the token was just obtained, or it is a
	// fixed API key.
	token(ctx context.Context) (tok string, renewed bool, err error)
	// invalidate drops tok after the API refused it, unless another caller
	// has already replaced it.
	invalidate(tok string)
}

// staticToken is a fixed API key (CalabiIQ), which nothing can renew.
type staticToken string

func (s staticToken) token(context.Context) (string, bool, error) { return string(s), true, nil }

func (staticToken) invalidate(string) {}

// session caches a service account's access token until shortly before it
// expires, renewing it with the refresh token when the API issued one and
// logging in again otherwise. Many goroutines minting guest tokens at once
// share one cached token and, when it must be renewed, one login: logging in
// once per request would be slow and can trip the BI host's rate limits or
// account lockout.
type session struct {
	cfg config
	// login obtains a new access token and, optionally, a refresh token.
	login func(ctx context.Context) (access, refresh string, err error)
	// refresh trades a refresh token for a new access token; nil when the
	// vendor has no refresh flow.
	refresh func(ctx context.Context, refreshToken string) (string, error)

	// renewing admits one renewal at a time. It is a channel rather than a
	// mutex so that a caller whose context ends stops waiting.
	renewing chan struct{}

	mu           sync.Mutex
	access       string
	refreshToken string
	renewAt      time.Time
	// renewals counts finished renewals and lastErr holds the last one's
	// failure, so that callers who waited for it can share its outcome.
	renewals uint64
	lastErr  error
}

func newSession(cfg config,
	login func(context.Context) (string, string, error),
	refresh func(context.Context, string) (string, error),
) *session {
	return &session{cfg: cfg, login: login, refresh: refresh, renewing: make(chan struct{}, 1)}
}

func (s *session) token(ctx context.Context) (string, bool, error) {
	if tok, ok := s.cached(); ok {
		return tok, false, nil
	}
	s.mu.Lock()
	seen := s.renewals
	s.mu.Unlock()
	select {
	case s.renewing <- struct{}{}:
	case <-ctx.Done():
		return "", false, fmt.Errorf("guesttoken: waiting for the service login: %w", ctx.Err())
	}
	defer func() { <-s.renewing }()

	// Whoever held the turn before us has probably just renewed the token;
	// if so, share it instead of logging in again.
	if tok, ok := s.cached(); ok {
		return tok, false, nil
	}
	s.mu.Lock()
	rt, failed := s.refreshToken, s.renewals != seen && s.lastErr != nil
	lastErr := s.lastErr
	s.mu.Unlock()
	if failed {
		// A renewal finished while we waited, and failed: share its error
		// rather than queue another attempt behind it, so an unreachable or
		// misconfigured host is not hit once per waiting request.
		return "", false, lastErr
	}

	access, refresh, err := s.renew(ctx, rt)
	s.mu.Lock()
	s.renewals++
	s.lastErr = nil
	if err != nil && ctx.Err() == nil {
		// A failure caused by this caller's own context says nothing about
		// the host; the next waiter should try for itself.
		s.lastErr = err
	}
	s.mu.Unlock()
	if err != nil {
		return "", false, err
	}
	s.store(access, refresh)
	return access, true, nil
}

// renew obtains a new access token, by refresh when possible, otherwise by
// login. The caller holds the renewal turn.
func (s *session) renew(ctx context.Context, rt string) (access, refresh string, err error) {
	if rt != "" && s.refresh != nil {
		access, err := s.refresh(ctx, rt)
		if err == nil {
			return access, rt, nil
		}
		if ctx.Err() != nil {
			return "", "", err
		}
		// A refused refresh token (expired, revoked, signed with a rotated
		// key) will never work again; forget it. Either way a full login is
		// the way to recover, and reports the real problem if it fails too.
		var apiErr *APIError
		if errors.As(err, &apiErr) && !apiErr.Temporary() {
			s.mu.Lock()
			s.refreshToken = ""
			s.mu.Unlock()
		}
	}

	return s.login(ctx)
}

// cached returns the current access token if it is not due for renewal.
func (s *session) cached() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access == "" || !s.cfg.now().Before(s.renewAt) {
		return "", false
	}
	return s.access, true
}

// store caches a new access token and schedules its renewal.
func (s *session) store(access, refresh string) {
	now := s.cfg.now()
	life, ok := tokenLifetime(access, now)
	if !ok {
		life = s.cfg.tokenTTL
	}
	// Renew a margin before expiry, but never more than half-way through a
	// short-lived token, or every call would log in again.
	margin := min(s.cfg.refreshMargin, life/2)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = access
	if refresh != "" {
		s.refreshToken = refresh
	}
	s.renewAt = now.Add(life - margin)
}

func (s *session) invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access == tok {
		s.access = ""
		s.renewAt = time.Time{}
	}
}
