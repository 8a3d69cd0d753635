package data

import (
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// target is what a chart-data request runs: a saved chart, or the options
// of a native filter (filter is then set).
type target struct {
	chart  Chart
	filter *nativeFilter
}

// guestTarget decides whether a guest may query dataset ds with this
// form_data, as Superset's raise_for_access does for guests: only in the
// context of a dashboard the token grants (form_data.dashboardId, a numeric
// id), and only for a chart on that dashboard that reads ds
// (form_data.slice_id) or a native filter of that dashboard that targets ds
// (form_data.type "NATIVE_FILTER" and native_filter_id). A guest gets no
// data outside that context, even from a dataset its dashboard uses.
func (a *API) guestTarget(c *guest.Claims, fd map[string]any, ds Dataset) (target, bool) {
	id, ok := intField(fd["dashboardId"])
	if !ok {
		return target{}, false
	}
	d, found := a.dash.Find(strconv.Itoa(id))
	if !found || !guest.Access(c, d) {
		return target{}, false
	}
	if fd["type"] == "NATIVE_FILTER" {
		fid, _ := fd["native_filter_id"].(string)
		for _, f := range a.store.dashboardFilters(d) {
			if fid != "" && f.ID == fid && f.DatasetID == ds.ID {
				return target{filter: &f}, true
			}
		}
		return target{}, false
	}
	slice, ok := intField(fd["slice_id"])
	if !ok {
		return target{}, false
	}
	for _, ch := range a.store.dashboardCharts(d) {
		if ch.ID == slice && ch.Dataset == ds.ID {
			return target{chart: ch}, true
		}
	}
	return target{}, false
}

// intField reads a form_data id, which Superset compares with an integer
// column: a JSON integer or a string of digits.
func intField(v any) (int, bool) {
	if s, ok := v.(string); ok {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	return apijson.AsInt(v)
}

// writeDatasourceDenied answers a query the guest may not run, with
// Superset's DATASOURCE_SECURITY_ACCESS_ERROR in its errors shape.
func writeDatasourceDenied(w http.ResponseWriter, ds Dataset) {
	msg := datasourceDeniedMessage(ds)
	apijson.Write(w, http.StatusForbidden, map[string]any{"errors": []map[string]any{{
		"message":    msg,
		"error_type": "DATASOURCE_SECURITY_ACCESS_ERROR",
		"level":      "warning",
		"extra":      map[string]any{"datasource": ds.Table},
	}}})
}

// datasourceDeniedMessage is Superset's message for a datasource a user may
// not query.
func datasourceDeniedMessage(ds Dataset) string {
	return "This endpoint requires the datasource " + ds.Table + ", database or `all_datasource_access` permission"
}
