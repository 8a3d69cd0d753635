package guest

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/auth"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/httpkit"
)

// Handler is an API handler that runs with verified guest claims.
type Handler func(w http.ResponseWriter, r *http.Request, c *Claims)

// noteKey carries a per-request map in which guest handlers leave details
// (such as the effective WHERE) for the api_call event.
type noteKey struct{}

// Note records a detail for the api_call event of this request.
func Note(r *http.Request, k string, v any) {
	if m, ok := r.Context().Value(noteKey{}).(map[string]any); ok {
		m[k] = v
	}
}

// API authenticates a request by the guest token in the configured header
// (never the query string, as in Superset), fires the api_401 fault, and
// publishes an api_call event with the outcome and the RLS in force.
func (s *Service) API(next Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &httpkit.StatusRecorder{ResponseWriter: w}
		notes := map[string]any{"method": r.Method, "path": r.URL.Path}
		defer func() {
			notes["status"] = rec.Status
			s.cfg.Controls.Publish("api_call", notes)
		}()
		tok := r.Header.Get(s.cfg.Header)
		if tok == "" && r.Method == http.MethodPost {
			// Superset also reads a guest_token field of a form body: the
			// embedded page's CSV export posts a form, which cannot carry
			// the header. PostFormValue leaves JSON bodies unread.
			tok = r.PostFormValue("guest_token")
		}
		if tok == "" {
			detail := "missing " + s.cfg.Header + " header"
			if r.URL.Query().Has("guest_token") {
				detail += " (a guest_token query parameter is not accepted by the API)"
			}
			notes["error"] = detail
			s.unauthorized(rec, detail)
			return
		}
		if fired, left := s.cfg.Controls.TakeAPI401(); fired {
			detail := "injected fault api_401 (" + strconv.Itoa(left) + " more to come)"
			notes["error"] = detail
			s.cfg.Controls.Publish("fault", map[string]any{"fault": "api_401", "path": r.URL.Path, "remaining": left})
			s.unauthorized(rec, detail)
			return
		}
		c, err := s.Verify(tok)
		if err != nil {
			notes["error"] = err.Error()
			s.unauthorized(rec, err.Error())
			return
		}
		notes["user"] = c.User.Name()
		notes["rls_rules"] = c.RLSRules
		r = r.WithContext(context.WithValue(r.Context(), noteKey{}, notes))
		next(rec, r, c)
	}
}

// APIOrAccount is API for the routes Superset also serves to a logged-in
// account: a request with an Authorization header and no guest token is
// authenticated as an account, and runs with no RLS, seeing everything if
// the account is an admin and nothing otherwise (the mock's accounts have no
// data permissions).
func (s *Service) APIOrAccount(next Handler) http.HandlerFunc {
	asGuest := s.API(next)
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(s.cfg.Header) != "" || r.Header.Get("Authorization") == "" {
			asGuest(w, r)
			return
		}
		acct, err := s.cfg.Auth.Authenticate(r)
		if err != nil {
			auth.WriteError(w, err)
			return
		}
		next(w, r, &Claims{Admin: acct.Admin, Account: acct.Username, User: User{Username: acct.Username},
			Resources: []Resource{}, RLSRules: []RLSRule{}})
	}
}

// Dashboard resolves the {key} of a dashboard route as Superset's
// with_dashboard does (a numeric id or a slug; an embedded UUID is not a
// dashboard key) and checks that the guest may see it. It answers Superset's
// 404 or 403 itself and reports false then.
func (s *Service) Dashboard(w http.ResponseWriter, r *http.Request, c *Claims) (dashboards.Dashboard, bool) {
	key := r.PathValue("key")
	d, ok := s.cfg.Dashboards.Find(key)
	if !ok || (d.UUID != "" && strings.EqualFold(key, d.UUID)) {
		apijson.WriteError(w, http.StatusNotFound, "Not found")
		return d, false
	}
	if !Access(c, d) {
		if c.Account != "" {
			// Superset's access filter hides the dashboard from an account
			// without data access: it is not found rather than forbidden.
			apijson.WriteError(w, http.StatusNotFound, "Not found")
		} else {
			auth.WriteForbidden(w)
		}
		return d, false
	}
	return d, true
}

// Difference reports a place where the mock answers otherwise than
// Superset on purpose, for the handlers that run behind API.
func (s *Service) Difference(mock, superset string) { s.cfg.Controls.Difference(mock, superset) }

// unauthorized answers Superset's 401 {"message": "Not authorized"} with a
// detail key beside it saying what was wrong with the token, which Superset
// does not send; the first one says so in the feed.
func (s *Service) unauthorized(w http.ResponseWriter, detail string) {
	s.detailNoted.Do(func() {
		s.Difference("401 answers to the embedded page's API carry a \"detail\" key beside \"message\"",
			"Superset answers only {\"message\": \"Not authorized\"}; read the detail here, not in production")
	})
	apijson.WriteUnauthorized(w, detail)
}
