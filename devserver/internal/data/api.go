package data

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// API serves the demo dashboards' content to guests. Its handlers run
// behind guest.Service.API, which has verified the token.
type API struct {
	store  *Store
	dash   *dashboards.Store
	guests *guest.Service
}

// NewAPI returns the API over store, resolving dashboards in dash and
// checking access with guests.
func NewAPI(store *Store, dash *dashboards.Store, guests *guest.Service) *API {
	return &API{store: store, dash: dash, guests: guests}
}

// HandleMeRoles is GET /api/v1/me/roles/: the embedded page's first call,
// which tells it whether the guest token works.
func (a *API) HandleMeRoles(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	apijson.Write(w, http.StatusOK, map[string]any{"result": map[string]any{
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

// chartView is a chart as the dashboard API lists it.
func chartView(c Chart) map[string]any {
	ds, _ := datasetByID(c.Dataset)
	return map[string]any{
		"id": c.ID, "slice_name": c.Name, "viz_type": c.Viz, "dataset_id": c.Dataset, "tab": c.Tab,
		"columns": ds.Columns,
		"form_data": map[string]any{
			"slice_id": c.ID, "viz_type": c.Viz, "datasource": strconv.Itoa(c.Dataset) + "__table", "row_limit": c.RowLimit,
		},
	}
}

// HandleDashboardGet is GET /api/v1/dashboard/<id_or_slug_or_uuid>.
func (a *API) HandleDashboardGet(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	d, ok := a.guests.Dashboard(w, r, c)
	if !ok {
		return
	}
	var charts []map[string]any
	for _, ch := range demoCharts {
		charts = append(charts, chartView(ch))
	}
	meta, _ := json.Marshal(map[string]any{"native_filter_configuration": demoFilters})
	apijson.Write(w, http.StatusOK, map[string]any{"id": d.ID, "result": map[string]any{
		"id": d.ID, "uuid": d.UUID, "slug": d.Slug, "dashboard_title": d.Title, "published": true,
		"json_metadata": string(meta), "native_filters": demoFilters, "tabs": demoTabs, "charts": charts,
	}})
}

// HandleDashboardCharts is GET /api/v1/dashboard/<key>/charts.
func (a *API) HandleDashboardCharts(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	if _, ok := a.guests.Dashboard(w, r, c); !ok {
		return
	}
	var out []map[string]any
	for _, ch := range demoCharts {
		out = append(out, chartView(ch))
	}
	apijson.Write(w, http.StatusOK, map[string]any{"result": out})
}

// HandleDashboardDatasets is GET /api/v1/dashboard/<key>/datasets.
func (a *API) HandleDashboardDatasets(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	if _, ok := a.guests.Dashboard(w, r, c); !ok {
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
	apijson.Write(w, http.StatusOK, map[string]any{"result": out})
}

// HandleColumnValues is GET /api/v1/datasource/table/<id>/column/<col>/values/:
// a native filter's options, with RLS applied.
func (a *API) HandleColumnValues(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	id, err := strconv.Atoi(r.PathValue("ds"))
	ds, ok := datasetByID(id)
	if err != nil || !ok {
		apijson.WriteError(w, http.StatusNotFound, "Dataset "+strconv.Quote(r.PathValue("ds"))+" not found")
		return
	}
	if !a.guests.AnyAccess(c) {
		apijson.WriteError(w, http.StatusForbidden, "The guest token grants no dashboard that uses this dataset")
		return
	}
	vals, where, err := a.store.columnValues(r.Context(), ds, r.PathValue("col"), c.RLSRules, c.User.Username)
	if err != nil {
		// Unknown columns and broken RLS clauses are the caller's input.
		apijson.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	guest.Note(r, "where", where)
	apijson.Write(w, http.StatusOK, map[string]any{"result": vals})
}
