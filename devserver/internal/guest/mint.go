package guest

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
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
}

// New returns the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// request is a validated guest-token request body.
type request struct {
	user      User
	resources []Resource
	rls       []RLSRule
}

// HandleGuestToken is POST /api/v1/security/guest_token/: a service account
// with the grant permission mints a guest token for embedded resources.
func (s *Service) HandleGuestToken(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Controls.GuestTokenFault(w, r) {
		return
	}
	acct, err := s.cfg.Auth.Authenticate(r)
	if err != nil {
		apijson.WriteUnauthorized(w, err.Error())
		return
	}
	if !acct.CanGrantGuestToken {
		s.cfg.Log.Warn("guest token refused: account lacks can_grant_guest_token", "username", acct.Username)
		apijson.WriteError(w, http.StatusUnauthorized, "Not authorized")
		return
	}
	if !s.cfg.Auth.CheckCSRF(w, r) {
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

// parseRequest checks the body against Superset's GuestTokenCreateSchema. A
// non-zero status means the request is refused with msg (a string or
// apijson.SchemaErrors).
func (s *Service) parseRequest(body map[string]any) (request, int, any) {
	var req request
	errs := apijson.SchemaErrors{}

	userV, hasUser := body["user"]
	switch u := userV.(type) {
	case map[string]any:
		ue := apijson.SchemaErrors{}
		req.user.Username, _ = apijson.OptString(u, "username", ue)
		req.user.FirstName, _ = apijson.OptString(u, "first_name", ue)
		req.user.LastName, _ = apijson.OptString(u, "last_name", ue)
		if a, ok := u["attributes"]; ok {
			if am, ok := a.(map[string]any); ok {
				req.user.Attributes = am
			} else if a != nil {
				ue.Add("attributes", apijson.MsgNotObject)
			}
		}
		errs.Nest("user", ue)
	case nil:
		// handled below, after the other fields, so the message can say
		// everything that is wrong at once.
	default:
		errs.Add("user", apijson.MsgNotObject)
	}

	if rv, ok := body["resources"]; !ok {
		errs.Add("resources", apijson.MsgRequired)
	} else if list, ok := rv.([]any); !ok {
		errs.Add("resources", apijson.MsgNotList)
	} else {
		re := apijson.SchemaErrors{}
		for i, item := range list {
			ie := apijson.SchemaErrors{}
			m, ok := item.(map[string]any)
			if !ok {
				ie.Add("_schema", apijson.MsgNotObject)
				re.Nest(strconv.Itoa(i), ie)
				continue
			}
			typ := apijson.ReqString(m, "type", ie)
			if _, ok := ie["type"]; !ok && typ != "dashboard" {
				ie.Add("type", "Must be one of: dashboard.")
			}
			id := apijson.ReqString(m, "id", ie)
			re.Nest(strconv.Itoa(i), ie)
			req.resources = append(req.resources, Resource{Type: typ, ID: id})
		}
		errs.Nest("resources", re)
	}

	if rv, ok := body["rls"]; !ok {
		errs.Add("rls", apijson.MsgRequired)
	} else if list, ok := rv.([]any); !ok {
		errs.Add("rls", apijson.MsgNotList)
	} else {
		req.rls = []RLSRule{}
		re := apijson.SchemaErrors{}
		for i, item := range list {
			ie := apijson.SchemaErrors{}
			m, ok := item.(map[string]any)
			if !ok {
				ie.Add("_schema", apijson.MsgNotObject)
				re.Nest(strconv.Itoa(i), ie)
				continue
			}
			var rule RLSRule
			if dv, ok := m["dataset"]; ok && dv != nil {
				if n, ok := apijson.AsInt(dv); ok {
					rule.Dataset = &n
				} else {
					ie.Add("dataset", apijson.MsgNotInteger)
				}
			}
			rule.Clause = apijson.ReqString(m, "clause", ie)
			re.Nest(strconv.Itoa(i), ie)
			req.rls = append(req.rls, rule)
		}
		errs.Nest("rls", re)
	}

	if len(errs) > 0 {
		return req, http.StatusBadRequest, errs
	}
	if !hasUser || userV == nil {
		s.cfg.Log.Warn("guest token request without \"user\": stock Superset answers 500 here; send user {username, first_name, last_name}")
		return req, http.StatusBadRequest, apijson.SchemaErrors{"user": []string{
			apijson.MsgRequired + " Send user {username, first_name, last_name}; stock Superset fails with 500 without it.",
		}}
	}
	for _, res := range req.resources {
		d, ok := s.cfg.Dashboards.Find(res.ID)
		if !ok || d.UUID == "" {
			s.cfg.Log.Info("guest token for unknown or non-embedded dashboard", "id", res.ID)
			return req, http.StatusBadRequest, "EmbeddedDashboard not found."
		}
	}
	return req, 0, nil
}

// Access reports whether the claims grant access to dashboard d, as
// Superset's has_guest_access does (by id or embedded UUID; the mock also
// accepts the slug, since tokens may be minted for one).
func Access(c *Claims, d dashboards.Dashboard) bool {
	for _, r := range c.Resources {
		if r.Type != "dashboard" {
			continue
		}
		if r.ID == fmt.Sprint(d.ID) || (d.UUID != "" && strings.EqualFold(r.ID, d.UUID)) || (d.Slug != "" && r.ID == d.Slug) {
			return true
		}
	}
	return false
}
