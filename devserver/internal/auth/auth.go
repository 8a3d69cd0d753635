package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/devcontrols"
	"github.com/dashembed/dashembed/devserver/internal/randid"
	"github.com/golang-jwt/jwt/v5"
)

// Account is a service account of the BI host.
type Account struct {
	// Username and Password are what POST /api/v1/security/login checks.
	Username, Password string
	// CanGrantGuestToken is Superset's can_grant_guest_token permission.
	CanGrantGuestToken bool
	// Admin is Superset's Admin role: its Bearer token may also read the
	// dashboard API, which answers other accounts 403.
	Admin bool
	// APIKey, when set, is accepted as a Bearer token in place of a login
	// access token (CalabiIQ's API keys).
	APIKey string
}

// Config is what the service checks against.
type Config struct {
	// Secret derives the signing key of service tokens.
	Secret string
	// Accounts may log in.
	Accounts []Account
	// AccessLifetime is the lifetime of access and Preset tokens.
	AccessLifetime time.Duration
	// StrictCSRF makes CheckCSRF demand a CSRF token and session cookie.
	StrictCSRF bool

	// The host's clock, log, and faults and event feed.
	Now      func() time.Time
	Log      *slog.Logger
	Controls *devcontrols.Controls
}

// Service logs accounts in and checks their tokens.
type Service struct {
	cfg  Config
	csrf csrfStore
	// verified remembers service tokens whose signature was checked.
	verified verifiedTokens
}

// New returns the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Token types, the "type" claim of service tokens.
const (
	typeAccess  = "access"
	typeRefresh = "refresh"
	typePreset  = "preset"
)

// serviceClaims are the claims of login access and refresh tokens, shaped
// like flask-jwt-extended's (which Superset's login uses).
type serviceClaims struct {
	Fresh bool   `json:"fresh"`
	Type  string `json:"type"` // typeAccess, typeRefresh or typePreset
	jwt.RegisteredClaims
}

// mint signs a token of type typ for subject.
func (s *Service) mint(subject, typ string, lifetime time.Duration) (string, error) {
	now := s.cfg.Now()
	c := serviceClaims{
		Fresh: typ == typeAccess,
		Type:  typ,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   subject,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)),
			ID:        randid.UUID(),
		},
	}
	// The service tokens use their own key, derived from the secret, so a
	// guest token can never pass as an access token or the reverse even if
	// the type check were skipped.
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.key())
}

// key is the signing key of service tokens.
func (s *Service) key() []byte { return []byte("service:" + s.cfg.Secret) }

// bearer extracts the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, error) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", unauthorized(msgMissingHeader)
	}
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || scheme != "Bearer" || strings.TrimSpace(tok) == "" {
		return "", unauthorized(msgNotBearer)
	}
	return strings.TrimSpace(tok), nil
}

// Authenticate resolves the account behind a Bearer header: a login access
// token, or an account's API key, as CalabiIQ uses.
func (s *Service) Authenticate(r *http.Request) (Account, error) {
	return s.authenticate(r, typeAccess)
}

// authenticate resolves the account behind a Bearer header: a login token of
// type typ, or (for access) an account's API key.
func (s *Service) authenticate(r *http.Request, typ string) (Account, error) {
	tok, err := bearer(r)
	if err != nil {
		return Account{}, err
	}
	if typ == typeAccess {
		keys := false
		for _, a := range s.cfg.Accounts {
			if a.APIKey != "" && subtle.ConstantTimeCompare([]byte(a.APIKey), []byte(tok)) == 1 {
				return a, nil
			}
			keys = keys || a.APIKey != ""
		}
		// Where API keys are in use (CalabiIQ), a Bearer value that is not
		// JWT-shaped is a wrong key: Superset's 401, not the JWT layer's 422.
		if keys && !strings.Contains(tok, ".") {
			return Account{}, errors.New("Bearer value is neither a login access token nor an account's API key")
		}
	}
	c, err := s.parse(tok, typ)
	if err != nil {
		return Account{}, err
	}
	for _, a := range s.cfg.Accounts {
		if a.Username == c.Subject {
			return a, nil
		}
	}
	// flask-jwt-extended's user lookup failed: the account is gone.
	return Account{}, unauthorized("Error loading the user " + c.Subject)
}

// parse verifies a token minted by mint and checks its type.
func (s *Service) parse(tok, typ string) (*serviceClaims, error) {
	if c, ok := s.verified.get(tok, s.cfg.Now()); ok && c.Type == typ {
		return c, nil
	}
	var c serviceClaims
	_, err := jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return s.key(), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.cfg.Now))
	if err != nil {
		return nil, parseError(tok, err)
	}
	if c.Type != typ {
		if typ == typeRefresh {
			return nil, unprocessable(msgNotRefresh)
		}
		return nil, unprocessable(msgNotAccess)
	}
	s.verified.put(tok, &c)
	return &c, nil
}

// MintPreset signs a Preset Manager access token for an API token name.
func (s *Service) MintPreset(name string) (string, error) {
	return s.mint(name, typePreset, s.cfg.AccessLifetime)
}

// PresetSubject checks the Preset Manager access token of a Bearer header
// and returns the API token name it was minted for.
func (s *Service) PresetSubject(r *http.Request) (string, error) {
	tok, err := bearer(r)
	if err != nil {
		return "", err
	}
	c, err := s.parse(tok, typePreset)
	if err != nil {
		return "", fmt.Errorf("%w (use the access_token from POST /v1/auth/)", err)
	}
	return c.Subject, nil
}
