package devserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// handleChartData is POST /api/v1/chart/data: run a chart's query with the
// request's native filters and the guest token's RLS rules. The body follows
// Superset's QueryContext shape: {datasource:{id,type}, form_data:{slice_id,
// dashboardId}, queries:[{filters:[{col,op,val}]}]}.
func (h *BIHost) handleChartData(w http.ResponseWriter, r *http.Request, c *GuestClaims) {
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return
	}
	errs := schemaErrors{}
	fd, ok := body["form_data"].(map[string]any)
	if !ok {
		errs.add("form_data", msgRequired+" The mock needs form_data.slice_id to know which chart to run.")
	}
	var chart chartDef
	if fd != nil {
		id, ok := asInt(fd["slice_id"])
		switch {
		case !ok:
			errs.nest("form_data", schemaErrors{"slice_id": []string{msgNotInteger}})
		default:
			if chart, ok = chartByID(id); !ok {
				writeError(w, http.StatusNotFound, fmt.Sprintf("Chart %d not found", id))
				return
			}
		}
	}
	if dsv, ok := body["datasource"]; ok {
		dsm, isObj := dsv.(map[string]any)
		if !isObj {
			errs.add("datasource", msgNotObject)
		} else if id, ok := asInt(dsm["id"]); !ok {
			errs.nest("datasource", schemaErrors{"id": []string{msgNotInteger}})
		} else if chart.ID != 0 && id != chart.Dataset {
			errs.nest("datasource", schemaErrors{"id": []string{fmt.Sprintf("Chart %d reads dataset %d, not %d.", chart.ID, chart.Dataset, id)}})
		}
	}
	filters, desc := parseQueries(body, errs)
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, errs)
		return
	}
	// A dashboardId in form_data must be one the guest may see; without it,
	// any granted dashboard will do (they all hold the demo charts).
	if fd != nil && fd["dashboardId"] != nil {
		key := fmt.Sprint(fd["dashboardId"])
		d, found := h.dash.find(key)
		if !found || !guestAccess(c, d) {
			writeError(w, http.StatusForbidden, "The guest token does not grant access to dashboard "+strconv.Quote(key))
			return
		}
	} else if !h.anyEmbeddedAccess(c) {
		writeError(w, http.StatusForbidden, "The guest token grants no dashboard that holds this chart")
		return
	}
	res, err := h.data.runChart(r.Context(), chart, filters, c.RLSRules, c.User.Username, desc)
	if err != nil {
		var re *rlsError
		if errors.As(err, &re) {
			noteAPI(r, "rls_error", err.Error())
		}
		// Bad filters and bad RLS clauses are input errors: the chart shows
		// them; they never become a 500.
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"message": err.Error(),
			"errors":  []map[string]any{{"message": err.Error(), "error_type": "INVALID_SQL_ERROR", "level": "error"}},
		})
		return
	}
	noteAPI(r, "chart", chart.ID)
	noteAPI(r, "where", res.Where)
	writeJSON(w, http.StatusOK, map[string]any{"result": []*chartResult{res}})
}

// parseQueries reads queries[0].filters (and the sort direction) from a
// chart-data body, recording schema errors.
func parseQueries(body map[string]any, errs schemaErrors) ([]queryFilter, bool) {
	qv, ok := body["queries"]
	if !ok {
		return nil, true
	}
	qs, ok := qv.([]any)
	if !ok {
		errs.add("queries", msgNotList)
		return nil, true
	}
	if len(qs) == 0 {
		return nil, true
	}
	q, ok := qs[0].(map[string]any)
	if !ok {
		errs.nest("queries", schemaErrors{"0": schemaErrors{"_schema": []string{msgNotObject}}})
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
		errs.nest("queries", schemaErrors{"0": schemaErrors{"filters": []string{msgNotList}}})
		return nil, desc
	}
	var out []queryFilter
	fe := schemaErrors{}
	for i, item := range list {
		ie := schemaErrors{}
		m, ok := item.(map[string]any)
		if !ok {
			ie.add("_schema", msgNotObject)
			fe.nest(strconv.Itoa(i), ie)
			continue
		}
		f := queryFilter{Col: reqString(m, "col", ie), Op: reqString(m, "op", ie)}
		switch v := m["val"].(type) {
		case []any:
			for _, x := range v {
				f.Val = append(f.Val, sqlValue(x, ie))
			}
		case nil:
			ie.add("val", msgRequired)
		default:
			f.Val = []any{sqlValue(v, ie)}
		}
		fe.nest(strconv.Itoa(i), ie)
		out = append(out, f)
	}
	if len(fe) > 0 {
		errs.nest("queries", schemaErrors{"0": schemaErrors{"filters": fe}})
	}
	return out, desc
}

// sqlValue turns a JSON scalar into a database argument.
func sqlValue(v any, errs schemaErrors) any {
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
	errs.add("val", "Filter values must be strings, numbers or booleans.")
	return nil
}
