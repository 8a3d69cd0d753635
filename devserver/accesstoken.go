package devserver

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// serviceClaims are the claims of login access and refresh tokens, shaped
// like flask-jwt-extended's (which Superset's login uses).
type serviceClaims struct {
	Fresh bool   `json:"fresh"`
	Type  string `json:"type"` // "access" or "refresh"
	jwt.RegisteredClaims
}

// mintServiceToken signs an access or refresh token for username.
func (h *BIHost) mintServiceToken(username, typ string, lifetime time.Duration) (string, error) {
	now := h.cfg.Now()
	c := serviceClaims{
		Fresh: typ == "access",
		Type:  typ,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   username,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)),
			ID:        newUUID(),
		},
	}
	// The service tokens use their own key, derived from the secret, so a
	// guest token can never pass as an access token or the reverse even if
	// the type check were skipped.
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.serviceKey())
}

// serviceKey is the signing key of access and refresh tokens.
func (h *BIHost) serviceKey() []byte { return []byte("service:" + h.cfg.Secret) }

// bearer extracts the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, error) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", errors.New("missing Authorization header")
	}
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", errors.New(`Authorization header is not "Bearer <token>"`)
	}
	return strings.TrimSpace(tok), nil
}

// authenticate resolves the account behind a Bearer header: a login token of
// type typ, or (for access) an account's API key, as CalabiIQ uses.
func (h *BIHost) authenticate(r *http.Request, typ string) (Account, error) {
	tok, err := bearer(r)
	if err != nil {
		return Account{}, err
	}
	if typ == "access" {
		for _, a := range h.cfg.Accounts {
			if a.APIKey != "" && subtle.ConstantTimeCompare([]byte(a.APIKey), []byte(tok)) == 1 {
				return a, nil
			}
		}
	}
	c, err := h.parseServiceToken(tok, typ)
	if err != nil {
		return Account{}, err
	}
	for _, a := range h.cfg.Accounts {
		if a.Username == c.Subject {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("bearer token names unknown user %q", c.Subject)
}

// writeUnauthorized answers 401 with Superset's message and, beside it, what
// exactly was wrong.
func writeUnauthorized(w http.ResponseWriter, detail string) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Not authorized", "detail": detail})
}

// parseServiceToken verifies a token minted by mintServiceToken and checks
// its type ("access", "refresh" or "preset").
func (h *BIHost) parseServiceToken(tok, typ string) (*serviceClaims, error) {
	if c, ok := h.verified.get(tok, h.cfg.Now()); ok && c.Type == typ {
		return c, nil
	}
	var c serviceClaims
	_, err := jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return h.serviceKey(), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(h.cfg.Now))
	if err != nil {
		return nil, fmt.Errorf("bearer token rejected: %w", err)
	}
	if c.Type != typ {
		return nil, fmt.Errorf("bearer token is a %q token, this endpoint needs a %q token", c.Type, typ)
	}
	h.verified.put(tok, &c)
	return &c, nil
}

// verifiedTokens caches service tokens that passed verification, until they
// expire. A backend calls guest_token with the same access token many times,
// and checking its signature and claims again each time was the largest
// single cost of that endpoint. Bounded: it starts afresh when full.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[string]*serviceClaims
}

// maxVerified bounds the cache.
const maxVerified = 4096

func (v *verifiedTokens) get(tok string, now time.Time) (*serviceClaims, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	c, ok := v.m[tok]
	if !ok || c.ExpiresAt == nil || !now.Before(c.ExpiresAt.Time) {
		return nil, false
	}
	return c, true
}

func (v *verifiedTokens) put(tok string, c *serviceClaims) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil || len(v.m) >= maxVerified {
		v.m = map[string]*serviceClaims{}
	}
	v.m[tok] = c
}
