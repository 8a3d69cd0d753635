package devserver

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver/internal/data"
)

// chartData runs a chart through the API with a token.
func chartData(t *testing.T, base, tok string, chart int, filters []map[string]any) response {
	t.Helper()
	body := map[string]any{
		"datasource": map[string]any{"id": mustChart(chart).Dataset, "type": "table"},
		"form_data":  map[string]any{"slice_id": chart, "dashboardId": DemoDashboardID},
		"queries":    []any{map[string]any{"filters": filters}},
	}
	return do(t, "POST", base+"/api/v1/chart/data", body, "X-GuestToken", tok)
}

// mustChart finds a demo chart.
func mustChart(id int) data.Chart {
	for _, c := range data.Charts() {
		if c.ID == id {
			return c
		}
	}
	panic("no chart " + strconv.Itoa(id))
}

// oracle sums revenue with a hand-written WHERE, straight on the database.
func oracle(t *testing.T, h *BIHost, where string) float64 {
	t.Helper()
	var v float64
	if err := h.data.DB().QueryRow("SELECT COALESCE(SUM(revenue), 0) FROM orders WHERE " + where).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// total reads the big-number chart's value.
func total(t *testing.T, r response) float64 {
	t.Helper()
	res := r.JSON["result"].([]any)[0].(map[string]any)
	v, _ := res["data"].([]any)[0].(map[string]any)["revenue"].(float64)
	return v
}

func TestRLS(t *testing.T) {
	h, srv := testHost(t, nil)
	cases := []struct {
		name  string
		rules []map[string]any
		where string // oracle WHERE on orders
		shown string // effective WHERE the API reports
	}{
		{"no rules", nil, "1=1", ""},
		{"all datasets", []map[string]any{{"clause": "tenant = 'acme'"}}, "tenant = 'acme'", "(tenant = 'acme')"},
		{"this dataset", []map[string]any{{"dataset": 1, "clause": "region = 'East'"}}, "region = 'East'", "(region = 'East')"},
		{"other dataset", []map[string]any{{"dataset": 2, "clause": "region = 'East'"}}, "1=1", ""},
		{"and-ed and parenthesised", []map[string]any{{"clause": "tenant = 'acme' OR tenant = 'globex'"}, {"clause": "region = 'West'"}},
			"(tenant = 'acme' OR tenant = 'globex') AND (region = 'West')", "(tenant = 'acme' OR tenant = 'globex') AND (region = 'West')"},
		{"templated", []map[string]any{{"clause": "tenant = {{ current_username() }}"}}, "tenant = 'viewer'", "(tenant = 'viewer')"},
		{"trailing comment", []map[string]any{{"clause": "tenant = 'initech' -- only them"}}, "tenant = 'initech'", "(tenant = 'initech' -- only them)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := mint(t, srv.URL, guestBody(c.rules...))
			r := chartData(t, srv.URL, tok, 1, nil).Want(t, 200)
			if got, want := total(t, r), oracle(t, h, c.where); got != want {
				t.Fatalf("total %v, want %v", got, want)
			}
			if got := r.JSON["result"].([]any)[0].(map[string]any)["where"]; got != c.shown {
				t.Fatalf("where %q, want %q", got, c.shown)
			}
		})
	}

	// Filters combine with RLS; the filter is parameterised, the clause is
	// parenthesised.
	tok := mint(t, srv.URL, guestBody(map[string]any{"clause": "tenant = 'acme'"}))
	r := chartData(t, srv.URL, tok, 1, []map[string]any{{"col": "region", "op": "IN", "val": []any{"North"}}}).Want(t, 200)
	if total(t, r) != 13180 {
		t.Fatalf("acme North %v", total(t, r))
	}
	res := r.JSON["result"].([]any)[0].(map[string]any)
	if !strings.Contains(res["query"].(string), "WHERE region IN ('North') AND (tenant = 'acme')") {
		t.Fatalf("query %v", res["query"])
	}
	if !strings.Contains(res["svg"].(string), "<svg") {
		t.Fatal("no svg")
	}

	// The dataset-2 chart only sees rules for dataset 2 or all datasets.
	tok = mint(t, srv.URL, guestBody(map[string]any{"dataset": 1, "clause": "product = 'Gizmo'"}, map[string]any{"dataset": 2, "clause": "region = 'North'"}))
	r = chartData(t, srv.URL, tok, 6, nil).Want(t, 200)
	data := r.JSON["result"].([]any)[0].(map[string]any)["data"].([]any)
	if len(data) != 1 || data[0].(map[string]any)["region"] != "North" {
		t.Fatalf("targets %v", data)
	}

	// Filter options come through RLS too.
	tok = mint(t, srv.URL, guestBody(map[string]any{"clause": "region IN ('North', 'South')"}))
	r = filterOptions(t, srv.URL, tok, "NATIVE_FILTER-region").Want(t, 200)
	rows := r.JSON["result"].([]any)[0].(map[string]any)["data"].([]any)
	if len(rows) != 2 || rows[0].(map[string]any)["region"] != "North" || rows[1].(map[string]any)["region"] != "South" {
		t.Fatalf("values %v", rows)
	}
}

// filterOptions asks for a native filter's options of the demo dashboard,
// as Superset's embedded page does: chart data in the filter's context.
func filterOptions(t *testing.T, base, tok, filter string) response {
	t.Helper()
	body := map[string]any{
		"datasource": map[string]any{"id": 1, "type": "table"},
		"form_data":  map[string]any{"dashboardId": DemoDashboardID, "type": "NATIVE_FILTER", "native_filter_id": filter},
		"queries":    []any{map[string]any{"columns": []any{"region"}}},
	}
	return do(t, "POST", base+"/api/v1/chart/data", body, "X-GuestToken", tok)
}

func TestRLSBrokenClause(t *testing.T) {
	_, srv := testHost(t, nil)
	for _, clause := range []string{"tenant = ", "no_such_column = 1", "tenant = 'a'); DROP TABLE orders; --", "   "} {
		tok := mint(t, srv.URL, guestBody(map[string]any{"clause": clause}))
		r := chartData(t, srv.URL, tok, 1, nil).Want(t, 400)
		msg := r.JSON["message"].(string)
		if !strings.Contains(msg, "RLS clause") {
			t.Fatalf("%q: %s", clause, msg)
		}
		filterOptions(t, srv.URL, tok, "NATIVE_FILTER-region").Want(t, 400)
	}
	// The data survived whatever the clauses said.
	tok := mint(t, srv.URL, guestBody())
	chartData(t, srv.URL, tok, 1, nil).Want(t, 200)
}

func TestChartDataErrors(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, UUID: "11111111-2222-4333-8444-555555555555", Title: "Two"})
	})
	tok := mint(t, srv.URL, guestBody())
	url := srv.URL + "/api/v1/chart/data"
	ds := func(id any) map[string]any { return map[string]any{"id": id, "type": "table"} }
	chart := func(slice any) map[string]any {
		return map[string]any{"slice_id": slice, "dashboardId": DemoDashboardID}
	}
	filters := func(f ...any) []any { return []any{map[string]any{"filters": f}} }
	cases := []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, "Request is incorrect: {'datasource': ['Missing data for required field.']}"},
		{map[string]any{"datasource": "1__table"}, 400, "Invalid input type"},
		{map[string]any{"datasource": ds("x")}, 400, "Not a valid integer"},
		{map[string]any{"datasource": map[string]any{"id": 1, "type": "cube"}}, 400, "Must be one of"},
		{map[string]any{"datasource": ds(9), "form_data": chart(1)}, 404, "Not found"},
		{map[string]any{"datasource": ds(1), "form_data": chart(1), "queries": "x"}, 400, "queries"},
		{map[string]any{"datasource": ds(1), "form_data": chart(1), "queries": filters(map[string]any{"col": "nope", "op": "IN", "val": []any{"a"}})}, 400, "not a column"},
		{map[string]any{"datasource": ds(1), "form_data": chart(1), "queries": filters(map[string]any{"col": "region", "op": "LIKE", "val": "a"})}, 400, "not supported"},
		{map[string]any{"datasource": ds(1), "form_data": chart(1), "queries": filters(map[string]any{"col": "region", "op": "IN", "val": []any{map[string]any{}}})}, 400, "Filter values"},
		{map[string]any{"datasource": ds(1), "form_data": chart(1), "queries": filters("x")}, 400, "Invalid input"},
		{`{"form_data":`, 400, "not JSON"},
	}
	for _, c := range cases {
		r := do(t, "POST", url, c.body, "X-GuestToken", tok).Want(t, c.status)
		if !strings.Contains(string(r.Body), c.want) {
			t.Errorf("%v: %s lacks %q", c.body, r.Body, c.want)
		}
	}
	r := do(t, "POST", url, map[string]any{"datasource": ds(1), "form_data": chart(3)}, "X-GuestToken", tok).Want(t, 200)
	if r.JSON["result"].([]any)[0].(map[string]any)["rowcount"] != 12.0 {
		t.Fatalf("monthly rows %s", r.Body)
	}
	// The table chart reports its row limit.
	r = do(t, "POST", url, map[string]any{"datasource": ds(1), "form_data": chart(5)}, "X-GuestToken", tok).Want(t, 200)
	res := r.JSON["result"].([]any)[0].(map[string]any)
	if res["rowcount"] != 5.0 || res["row_limit"] != 5.0 {
		t.Fatalf("%v", res)
	}
	do(t, "GET", srv.URL+"/api/v1/datasource/table/9/column/region/values/", nil, "X-GuestToken", tok).Want(t, 404)
	// A column's values are an admin's: Superset's guest role has no
	// datasource permission.
	do(t, "GET", srv.URL+"/api/v1/datasource/table/1/column/region/values/", nil, "X-GuestToken", tok).Want(t, 403)
	admin := "Bearer " + login(t, srv.URL)
	do(t, "GET", srv.URL+"/api/v1/datasource/table/1/column/nope/values/", nil, "Authorization", admin).Want(t, 400)
	r = do(t, "GET", srv.URL+"/api/v1/datasource/table/1/column/region/values/", nil, "Authorization", admin).Want(t, 200)
	if len(r.JSON["result"].([]any)) != 4 {
		t.Fatalf("regions %s", r.Body)
	}
}
