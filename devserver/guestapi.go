package devserver

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
)

// guestHandler is an API handler that runs with verified guest claims.
type guestHandler func(w http.ResponseWriter, r *http.Request, c *GuestClaims)

// apiNoteKey carries a per-request map in which guest handlers leave details
// (such as the effective WHERE) for the api_call event.
type apiNoteKey struct{}

// noteAPI records a detail for the api_call event of this request.
func noteAPI(r *http.Request, k string, v any) {
	if m, ok := r.Context().Value(apiNoteKey{}).(map[string]any); ok {
		m[k] = v
	}
}

// guestAPI authenticates a request by the guest token in the configured
// header (never the query string, as in Superset), fires the api_401 fault,
// and publishes an api_call event with the outcome and the RLS in force.
func (h *BIHost) guestAPI(next guestHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		notes := map[string]any{"method": r.Method, "path": r.URL.Path}
		defer func() {
			notes["status"] = rec.status
			h.events.publish("api_call", notes)
		}()
		tok := r.Header.Get(h.cfg.TokenHeader)
		if tok == "" {
			detail := "missing " + h.cfg.TokenHeader + " header"
			if r.URL.Query().Has("guest_token") {
				detail += " (a guest_token query parameter is not accepted by the API)"
			}
			notes["error"] = detail
			writeUnauthorized(rec, detail)
			return
		}
		if fired, left := h.faults.take(func(f *Faults) *int { return &f.API401 }); fired {
			detail := "injected fault api_401 (" + strconv.Itoa(left) + " more to come)"
			notes["error"] = detail
			h.events.publish("fault", map[string]any{"fault": "api_401", "path": r.URL.Path, "remaining": left})
			writeUnauthorized(rec, detail)
			return
		}
		c, err := h.VerifyGuestToken(tok)
		if err != nil {
			notes["error"] = err.Error()
			writeUnauthorized(rec, err.Error())
			return
		}
		notes["user"] = c.User.Username
		notes["rls_rules"] = c.RLSRules
		r = r.WithContext(context.WithValue(r.Context(), apiNoteKey{}, notes))
		next(rec, r, c)
	}
}

// handleMeRoles is GET /api/v1/me/roles/: the embedded page's first call,
// which tells it whether the guest token works.
func (h *BIHost) handleMeRoles(w http.ResponseWriter, r *http.Request, c *GuestClaims) {
	writeJSON(w, http.StatusOK, map[string]any{"result": map[string]any{
		"username":   c.User.Username,
		"first_name": c.User.FirstName,
		"last_name":  c.User.LastName,
		"is_active":  true,
		"roles": map[string]any{
			// Superset gives guests its GUEST_ROLE_NAME role, "Public" by default.
			"Public": [][]string{{"can_read", "Dashboard"}, {"can_read", "Chart"}, {"can_explore_json", "Superset"}},
		},
		"permissions": map[string]any{"datasource_access": datasetNames(), "database_access": []string{"examples"}},
	}})
}

// datasetNames lists the demo datasets for the roles payload.
func datasetNames() []string {
	var out []string
	for _, d := range demoDatasets {
		out = append(out, d.Table)
	}
	return out
}

// guestDashboard resolves the {key} of a dashboard route and checks that the
// guest may see it. It answers 404/403 itself and reports false then.
func (h *BIHost) guestDashboard(w http.ResponseWriter, r *http.Request, c *GuestClaims) (Dashboard, bool) {
	key := r.PathValue("key")
	d, ok := h.dash.find(key)
	if !ok {
		writeError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
		return d, false
	}
	if !guestAccess(c, d) {
		writeError(w, http.StatusForbidden, "The guest token does not grant access to dashboard "+strconv.Quote(key)+
			" (its resources name other dashboards)")
		return d, false
	}
	return d, true
}

// chartView is a chart as the dashboard API lists it.
func chartView(c chartDef) map[string]any {
	ds, _ := datasetByID(c.Dataset)
	return map[string]any{
		"id": c.ID, "slice_name": c.Name, "viz_type": c.Viz, "dataset_id": c.Dataset, "tab": c.Tab,
		"columns": ds.Columns,
		"form_data": map[string]any{
			"slice_id": c.ID, "viz_type": c.Viz, "datasource": strconv.Itoa(c.Dataset) + "__table", "row_limit": c.RowLimit,
		},
	}
}

// handleDashboardGet is GET /api/v1/dashboard/<id_or_slug_or_uuid>.
func (h *BIHost) handleDashboardGet(w http.ResponseWriter, r *http.Request, c *GuestClaims) {
	d, ok := h.guestDashboard(w, r, c)
	if !ok {
		return
	}
	var charts []map[string]any
	for _, ch := range demoCharts {
		charts = append(charts, chartView(ch))
	}
	meta, _ := json.Marshal(map[string]any{"native_filter_configuration": demoFilters})
	writeJSON(w, http.StatusOK, map[string]any{"id": d.ID, "result": map[string]any{
		"id": d.ID, "uuid": d.UUID, "slug": d.Slug, "dashboard_title": d.Title, "published": true,
		"json_metadata": string(meta), "native_filters": demoFilters, "tabs": demoTabs, "charts": charts,
	}})
}

// handleDashboardCharts is GET /api/v1/dashboard/<key>/charts.
func (h *BIHost) handleDashboardCharts(w http.ResponseWriter, r *http.Request, c *GuestClaims) {
	if _, ok := h.guestDashboard(w, r, c); !ok {
		return
	}
	var out []map[string]any
	for _, ch := range demoCharts {
		out = append(out, chartView(ch))
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": out})
}

// handleDashboardDatasets is GET /api/v1/dashboard/<key>/datasets.
func (h *BIHost) handleDashboardDatasets(w http.ResponseWriter, r *http.Request, c *GuestClaims) {
	if _, ok := h.guestDashboard(w, r, c); !ok {
		return
	}
	var out []map[string]any
	for _, d := range demoDatasets {
		var cols []map[string]string
		for _, col := range d.Columns {
			cols = append(cols, map[string]string{"column_name": col})
		}
		out = append(out, map[string]any{"id": d.ID, "table_name": d.Table, "columns": cols, "database": map[string]any{"id": 1, "database_name": "examples"}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": out})
}

// anyEmbeddedAccess reports whether the claims grant at least one existing
// embedded dashboard; every demo dataset belongs to every dashboard, so that
// is what dataset and chart access comes down to.
func (h *BIHost) anyEmbeddedAccess(c *GuestClaims) bool {
	for _, d := range h.dash.all() {
		if guestAccess(c, d) {
			return true
		}
	}
	return false
}

// handleColumnValues is GET /api/v1/datasource/table/<id>/column/<col>/values/:
// a native filter's options, with RLS applied.
func (h *BIHost) handleColumnValues(w http.ResponseWriter, r *http.Request, c *GuestClaims) {
	id, err := strconv.Atoi(r.PathValue("ds"))
	ds, ok := datasetByID(id)
	if err != nil || !ok {
		writeError(w, http.StatusNotFound, "Dataset "+strconv.Quote(r.PathValue("ds"))+" not found")
		return
	}
	if !h.anyEmbeddedAccess(c) {
		writeError(w, http.StatusForbidden, "The guest token grants no dashboard that uses this dataset")
		return
	}
	vals, where, err := h.data.columnValues(r.Context(), ds, r.PathValue("col"), c.RLSRules, c.User.Username)
	if err != nil {
		// Unknown columns and broken RLS clauses are the caller's input.
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	noteAPI(r, "where", where)
	writeJSON(w, http.StatusOK, map[string]any{"result": vals})
}
