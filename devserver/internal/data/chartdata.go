package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// HandleChartData is POST /api/v1/chart/data: run a chart's query with the
// request's native filters and the guest token's RLS rules. The body follows
// Superset's QueryContext shape: {datasource:{id,type}, form_data:{slice_id,
// dashboardId}, queries:[{filters:[{col,op,val}]}]}.
func (a *API) HandleChartData(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	errs := apijson.SchemaErrors{}
	fd, ok := body["form_data"].(map[string]any)
	if !ok {
		errs.Add("form_data", apijson.MsgRequired+" The mock needs form_data.slice_id to know which chart to run.")
	}
	var chart Chart
	if fd != nil {
		id, ok := apijson.AsInt(fd["slice_id"])
		switch {
		case !ok:
			errs.Nest("form_data", apijson.SchemaErrors{"slice_id": []string{apijson.MsgNotInteger}})
		default:
			if chart, ok = chartByID(id); !ok {
				apijson.WriteError(w, http.StatusNotFound, fmt.Sprintf("Chart %d not found", id))
				return
			}
		}
	}
	if dsv, ok := body["datasource"]; ok {
		dsm, isObj := dsv.(map[string]any)
		if !isObj {
			errs.Add("datasource", apijson.MsgNotObject)
		} else if id, ok := apijson.AsInt(dsm["id"]); !ok {
			errs.Nest("datasource", apijson.SchemaErrors{"id": []string{apijson.MsgNotInteger}})
		} else if chart.ID != 0 && id != chart.Dataset {
			errs.Nest("datasource", apijson.SchemaErrors{"id": []string{fmt.Sprintf("Chart %d reads dataset %d, not %d.", chart.ID, chart.Dataset, id)}})
		}
	}
	filters, desc := parseQueries(body, errs)
	if len(errs) > 0 {
		apijson.WriteError(w, http.StatusBadRequest, errs)
		return
	}
	// A dashboardId in form_data must be one the guest may see; without it,
	// any granted dashboard will do (they all hold the demo charts).
	if fd != nil && fd["dashboardId"] != nil {
		key := fmt.Sprint(fd["dashboardId"])
		d, found := a.dash.Find(key)
		if !found || !guest.Access(c, d) {
			apijson.WriteError(w, http.StatusForbidden, "The guest token does not grant access to dashboard "+strconv.Quote(key))
			return
		}
	} else if !a.guests.AnyAccess(c) {
		apijson.WriteError(w, http.StatusForbidden, "The guest token grants no dashboard that holds this chart")
		return
	}
	res, err := a.store.runChart(r.Context(), chart, filters, c.RLSRules, c.User.Username, desc)
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
