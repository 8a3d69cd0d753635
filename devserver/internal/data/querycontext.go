package data

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// readQueryContext reads a chart-data body as Superset does: a JSON body,
// or else the JSON in a form field form_data (the CSV export posts a form);
// anything else is "Request is not JSON".
func readQueryContext(r *http.Request) (map[string]any, *apijson.BodyError) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
		var v map[string]any
		dec := json.NewDecoder(strings.NewReader(r.PostFormValue("form_data")))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil || v == nil {
			return nil, &apijson.BodyError{Status: http.StatusBadRequest, Msg: "Request is not JSON"}
		}
		return v, nil
	}
	return apijson.ReadObject(r)
}

// datasourceTypes are the values Superset's ChartDataDatasourceSchema
// accepts for datasource.type.
var datasourceTypes = []string{"table", "dataset", "query", "saved_query", "view"}

// parseDatasource reads the required datasource {id, type} of a chart-data
// body, recording marshmallow's errors.
func parseDatasource(body map[string]any, errs apijson.SchemaErrors) int {
	v, ok := body["datasource"]
	if !ok {
		errs.Add("datasource", apijson.MsgRequired)
		return 0
	}
	m, bad := apijson.Nested(v)
	if bad != nil {
		errs["datasource"] = bad
		return 0
	}
	de := apijson.SchemaErrors{}
	id := 0
	if idv, ok := m["id"]; !ok {
		de.Add("id", apijson.MsgRequired)
	} else if n, msg := apijson.Integer(idv); msg != "" {
		de.Add("id", msg)
	} else {
		id = n
	}
	if typ := apijson.ReqString(m, "type", de); typ != "" && !contains(datasourceTypes, typ) {
		de.Add("type", "Must be one of: "+strings.Join(datasourceTypes, ", ")+".")
	}
	errs.Nest("datasource", de)
	return id
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// adminTarget is what an admin's chart-data request runs. Superset runs
// any query an admin sends; the mock only runs saved charts, so it needs a
// slice_id of a chart reading ds and answers 400 otherwise.
func (a *API) adminTarget(w http.ResponseWriter, fd map[string]any, ds Dataset) (target, bool) {
	if id, ok := intField(fd["slice_id"]); ok {
		if ch, ok := a.store.chartByID(id); ok && ch.Dataset == ds.ID {
			return target{chart: ch}, true
		}
	}
	a.guests.Difference("chart-data request without a saved chart of dataset "+strconv.Itoa(ds.ID)+" refused with 400",
		"Superset runs an admin's ad-hoc queries; the mock runs saved charts only (form_data.slice_id)")
	apijson.WriteError(w, http.StatusBadRequest, "The mock runs saved charts only: form_data.slice_id must name a chart of dataset "+strconv.Itoa(ds.ID))
	return target{}, false
}

// serveFilterOptions answers a native filter's query: the distinct values
// of its column under the guest's RLS, in the chart-data result shape.
func (a *API) serveFilterOptions(w http.ResponseWriter, r *http.Request, c *guest.Claims, ds Dataset, f nativeFilter) {
	vals, where, err := a.store.columnValues(r.Context(), ds, f.Column, c.RLSRules, c.User.Name())
	if err != nil {
		apijson.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	rows := make([]map[string]any, len(vals))
	for i, v := range vals {
		rows[i] = map[string]any{f.Column: v}
	}
	guest.Note(r, "native_filter", f.ID)
	guest.Note(r, "where", where)
	apijson.Write(w, http.StatusOK, map[string]any{"result": []map[string]any{{
		"colnames": []string{f.Column}, "data": rows, "rowcount": len(rows), "where": where, "status": "success",
	}}})
}
