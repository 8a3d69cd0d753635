package guest

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/auth"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/devcontrols"
)

// Config is how tokens are signed and checked, and what the service reads.
type Config struct {
	// Secret, Algorithm (HS256, HS384 or HS512) and Audience are Superset's
	// GUEST_TOKEN_JWT_SECRET, _ALGO and _AUDIENCE.
	Secret, Algorithm, Audience string
	// Lifetime is how long a token lives unless a fault says otherwise.
	Lifetime time.Duration
	// Header is the request header the embedded page sends the token in.
	Header string
	// VerifyAudience, when set, is the audience Verify accepts instead of
	// Audience (workers that disagree on GUEST_TOKEN_JWT_AUDIENCE).
	VerifyAudience string
	// RoleWithoutData gives guests a role without datasource access.
	RoleWithoutData bool

	// The host's clock, log, and faults and event feed, and the
	// packages this one consults.
	Now        func() time.Time
	Log        *slog.Logger
	Auth       *auth.Service
	Dashboards *dashboards.Store
	Controls   *devcontrols.Controls
}

// Service mints and verifies guest tokens.
type Service struct {
	cfg Config
	// detailNoted reports the 401 bodies' extra detail key once.
	detailNoted sync.Once
}

// New returns the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// HandleGuestToken is POST /api/v1/security/guest_token/: a service account
// with the grant permission mints a guest token for embedded resources.
func (s *Service) HandleGuestToken(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Controls.GuestTokenFault(w, r) {
		return
	}
	// Flask-WTF's CSRF check runs before any view, so in strict mode a
	// request without the token is refused before it is authenticated.
	if !s.cfg.Auth.CheckCSRF(w, r) {
		return
	}
	acct, err := s.cfg.Auth.Authenticate(r)
	if err != nil {
		auth.WriteError(w, err)
		return
	}
	if !acct.CanGrantGuestToken {
		// Flask-AppBuilder checks the permission before the endpoint reads
		// its body, so even an empty request gets 403 here.
		s.cfg.Log.Info("guest token refused: account lacks can_grant_guest_token", "username", acct.Username)
		auth.WriteForbidden(w)
		return
	}
	if token, ok := s.MintFromBody(w, r, map[string]any{"by": acct.Username}); ok {
		apijson.Write(w, http.StatusOK, map[string]string{"token": token})
	}
}

// MintFromBody reads a guest-token request body (Superset's schema, which
// Preset shares), mints the token and records it in the event feed with who
// asked. It answers the request itself when the body is refused.
func (s *Service) MintFromBody(w http.ResponseWriter, r *http.Request, who map[string]any) (string, bool) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return "", false
	}
	req, status, msg := s.parseRequest(body)
	if status != 0 {
		apijson.WriteError(w, status, msg)
		return "", false
	}
	token, claims, err := s.sign(req.user, req.resources, req.rls, s.cfg.Controls.TokenLifetime())
	if err != nil {
		panic(err) // signing with an HMAC key cannot fail but for a bug
	}
	detail := map[string]any{
		"user": claims.User, "resources": claims.Resources, "rls_rules": claims.RLSRules,
		"exp": claims.ExpiresAt, "lifetime_s": claims.ExpiresAt - claims.IssuedAt,
	}
	for k, v := range who {
		detail[k] = v
	}
	s.cfg.Controls.Publish("token_minted", detail)
	return token, true
}
