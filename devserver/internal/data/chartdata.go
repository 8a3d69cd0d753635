package data

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// HandleChartData is POST /api/v1/chart/data: run a chart's query, or list
// a native filter's options, with the request's native filters and the
// guest token's RLS rules. The body follows Superset's QueryContext shape:
// {datasource:{id,type}, form_data:{dashboardId, slice_id | type:
// "NATIVE_FILTER", native_filter_id}, queries:[{filters:[{col,op,val}]}]},
// as JSON or, for a CSV export, as a form field form_data. A guest may only
// query in the context of its dashboard (see guestTarget).
func (a *API) HandleChartData(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	if !a.guests.DataAccess(w) {
		return
	}
	body, berr := readQueryContext(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	errs := apijson.SchemaErrors{}
	dsID := parseDatasource(body, errs)
	fd, isObj := body["form_data"].(map[string]any)
	if v, has := body["form_data"]; has && !isObj && v != nil {
		errs.Add("form_data", apijson.MsgNotObject)
	}
	filters, desc := parseQueries(body, errs)
	if len(errs) > 0 {
		apijson.WriteError(w, http.StatusBadRequest, "Request is incorrect: "+apijson.Repr(errs))
		return
	}
	ds, ok := a.store.datasetByID(dsID)
	if !ok {
		apijson.WriteError(w, http.StatusNotFound, "Not found")
		return
	}
	tgt, ok := a.guestTarget(c, fd, ds)
	if !ok && c.Admin {
		tgt, ok = a.adminTarget(w, fd, ds)
		if !ok {
			return
		}
	}
	if !ok {
		guest.Note(r, "error", "no dashboard context for dataset "+strconv.Itoa(ds.ID))
		writeDatasourceDenied(w, ds)
		return
	}
	if tgt.filter != nil {
		a.serveFilterOptions(w, r, c, ds, *tgt.filter)
		return
	}
	chart := tgt.chart
	res, err := a.store.runChart(r.Context(), chart, filters, c.RLSRules, c.User.Name(), desc)
	if err != nil {
		var re *rlsError
		if errors.As(err, &re) {
			guest.Note(r, "rls_error", err.Error())
		}
		// Bad filters and bad RLS clauses are input errors: the chart shows
		// them; they never become a 500.
		apijson.Write(w, http.StatusBadRequest, map[string]any{
			"message": err.Error(),
			"errors":  []map[string]any{{"message": err.Error(), "error_type": "INVALID_SQL_ERROR", "level": "error"}},
		})
		return
	}
	guest.Note(r, "chart", chart.ID)
	guest.Note(r, "where", res.Where)
	a.extrasNoted.Do(func() {
		a.guests.Difference("chart-data results carry where, rls and svg beside Superset's keys",
			"Superset's results have no where, rls or svg; they are the mock's debugging aids")
	})
	apijson.Write(w, http.StatusOK, map[string]any{"result": []*chartResult{res}})
}

// parseQueries reads queries[0].filters (and the sort direction) from a
// chart-data body, recording schema errors.
func parseQueries(body map[string]any, errs apijson.SchemaErrors) ([]queryFilter, bool) {
	qv, ok := body["queries"]
	if !ok {
		return nil, true
	}
	qs, ok := qv.([]any)
	if !ok {
		errs.Add("queries", apijson.MsgNotList)
		return nil, true
	}
	if len(qs) == 0 {
		return nil, true
	}
	q, ok := qs[0].(map[string]any)
	if !ok {
		errs.Nest("queries", apijson.SchemaErrors{"0": apijson.SchemaErrors{"_schema": []string{apijson.MsgNotObject}}})
		return nil, true
	}
	desc := true
	if d, ok := q["orderby_desc"].(bool); ok {
		desc = d
	}
	fv, ok := q["filters"]
	if !ok || fv == nil {
		return nil, desc
	}
	list, ok := fv.([]any)
	if !ok {
		errs.Nest("queries", apijson.SchemaErrors{"0": apijson.SchemaErrors{"filters": []string{apijson.MsgNotList}}})
		return nil, desc
	}
	var out []queryFilter
	fe := apijson.SchemaErrors{}
	for i, item := range list {
		ie := apijson.SchemaErrors{}
		m, ok := item.(map[string]any)
		if !ok {
			ie.Add("_schema", apijson.MsgNotObject)
			fe.Nest(strconv.Itoa(i), ie)
			continue
		}
		f := queryFilter{Col: apijson.ReqString(m, "col", ie), Op: apijson.ReqString(m, "op", ie)}
		switch v := m["val"].(type) {
		case []any:
			for _, x := range v {
				f.Val = append(f.Val, sqlValue(x, ie))
			}
		case nil:
			ie.Add("val", apijson.MsgRequired)
		default:
			f.Val = []any{sqlValue(v, ie)}
		}
		fe.Nest(strconv.Itoa(i), ie)
		out = append(out, f)
	}
	if len(fe) > 0 {
		errs.Nest("queries", apijson.SchemaErrors{"0": apijson.SchemaErrors{"filters": fe}})
	}
	return out, desc
}

// sqlValue turns a JSON scalar into a database argument.
func sqlValue(v any, errs apijson.SchemaErrors) any {
	switch x := v.(type) {
	case string, bool:
		return x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	errs.Add("val", "Filter values must be strings, numbers or booleans.")
	return nil
}
