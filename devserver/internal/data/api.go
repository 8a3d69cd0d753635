package data

import (
	"net/http"
	"strconv"
	"sync"

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
	// extrasNoted reports the chart results' extra keys once.
	extrasNoted sync.Once
}

// NewAPI returns the API over store, resolving dashboards in dash and
// checking access with guests.
func NewAPI(store *Store, dash *dashboards.Store, guests *guest.Service) *API {
	return &API{store: store, dash: dash, guests: guests}
}

// HandleDashboardGet is GET /api/v1/dashboard/<id_or_slug>, in Superset's
// shape (see dashboardView).
func (a *API) HandleDashboardGet(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	d, ok := a.guests.Dashboard(w, r, c)
	if !ok {
		return
	}
	apijson.Write(w, http.StatusOK, map[string]any{"id": d.ID, "result": a.dashboardView(d, c.Admin)})
}

// HandleDashboardCharts is GET /api/v1/dashboard/<key>/charts.
func (a *API) HandleDashboardCharts(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	d, ok := a.guests.Dashboard(w, r, c)
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, ch := range a.store.dashboardCharts(d) {
		out = append(out, chartView(ch))
	}
	apijson.Write(w, http.StatusOK, map[string]any{"result": out})
}

// HandleDashboardDatasets is GET /api/v1/dashboard/<key>/datasets: the
// datasets the dashboard's charts read. A guest never sees a dataset's
// database or owners (Superset drops them for guests).
func (a *API) HandleDashboardDatasets(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	d, ok := a.guests.Dashboard(w, r, c)
	if !ok {
		return
	}
	out := []map[string]any{}
	seen := map[int]bool{}
	for _, ch := range a.store.dashboardCharts(d) {
		ds, found := a.store.datasetByID(ch.Dataset)
		if !found || seen[ds.ID] {
			continue
		}
		seen[ds.ID] = true
		cols := []map[string]string{}
		for _, col := range ds.Columns {
			cols = append(cols, map[string]string{"column_name": col})
		}
		view := map[string]any{
			"id": ds.ID, "uid": strconv.Itoa(ds.ID) + "__table", "type": "table",
			"table_name": ds.Table, "name": ds.Table, "columns": cols, "column_types": a.store.columnTypes(ds),
		}
		if c.Admin {
			view["database"] = map[string]any{"id": 1, "database_name": "examples", "backend": "sqlite"}
			view["owners"] = []any{}
		}
		out = append(out, view)
	}
	apijson.Write(w, http.StatusOK, map[string]any{"result": out})
}

// HandleColumnValues is GET /api/v1/datasource/table/<id>/column/<col>/values/:
// a native filter's options, with RLS applied.
func (a *API) HandleColumnValues(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	if !a.guests.DataAccess(w) {
		return
	}
	id, err := strconv.Atoi(r.PathValue("ds"))
	ds, ok := a.store.datasetByID(id)
	if err != nil || !ok {
		apijson.WriteError(w, http.StatusNotFound, "Dataset "+strconv.Quote(r.PathValue("ds"))+" not found")
		return
	}
	if !c.Admin {
		// Superset's guest role has no datasource permission: guests read
		// data only in a dashboard's context, through chart data (native
		// filters included), never here.
		apijson.WriteError(w, http.StatusForbidden, datasourceDeniedMessage(ds))
		return
	}
	vals, where, err := a.store.columnValues(r.Context(), ds, r.PathValue("col"), c.RLSRules, c.User.Name())
	if err != nil {
		// Unknown columns and broken RLS clauses are the caller's input.
		apijson.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	guest.Note(r, "where", where)
	apijson.Write(w, http.StatusOK, map[string]any{"result": vals})
}
