package guest

import (
	"context"
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
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
		if tok == "" {
			detail := "missing " + s.cfg.Header + " header"
			if r.URL.Query().Has("guest_token") {
				detail += " (a guest_token query parameter is not accepted by the API)"
			}
			notes["error"] = detail
			apijson.WriteUnauthorized(rec, detail)
			return
		}
		if fired, left := s.cfg.Controls.TakeAPI401(); fired {
			detail := "injected fault api_401 (" + strconv.Itoa(left) + " more to come)"
			notes["error"] = detail
			s.cfg.Controls.Publish("fault", map[string]any{"fault": "api_401", "path": r.URL.Path, "remaining": left})
			apijson.WriteUnauthorized(rec, detail)
			return
		}
		c, err := s.Verify(tok)
		if err != nil {
			notes["error"] = err.Error()
			apijson.WriteUnauthorized(rec, err.Error())
			return
		}
		notes["user"] = c.User.Username
		notes["rls_rules"] = c.RLSRules
		r = r.WithContext(context.WithValue(r.Context(), noteKey{}, notes))
		next(rec, r, c)
	}
}

// Dashboard resolves the {key} of a dashboard route and checks that the
// guest may see it. It answers 404/403 itself and reports false then.
func (s *Service) Dashboard(w http.ResponseWriter, r *http.Request, c *Claims) (dashboards.Dashboard, bool) {
	key := r.PathValue("key")
	d, ok := s.cfg.Dashboards.Find(key)
	if !ok {
		apijson.WriteError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
		return d, false
	}
	if !Access(c, d) {
		apijson.WriteError(w, http.StatusForbidden, "The guest token does not grant access to dashboard "+strconv.Quote(key)+
			" (its resources name other dashboards)")
		return d, false
	}
	return d, true
}

// AnyAccess reports whether the claims grant at least one existing embedded
// dashboard; every demo dataset belongs to every dashboard, so that is what
// dataset and chart access comes down to.
func (s *Service) AnyAccess(c *Claims) bool {
	for _, d := range s.cfg.Dashboards.All() {
		if Access(c, d) {
			return true
		}
	}
	return false
}
