package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// chartRef is a chart of the dashboard, as /charts lists it.
type chartRef struct {
	ID       int            `json:"id"`
	Name     string         `json:"slice_name"`
	FormData map[string]any `json:"form_data"`
	// dashboardID is the id of the dashboard the chart is queried on.
	dashboardID int
}

// checkAPI is step 6: the guest token opens what the embedded page calls,
// and RLS visibly narrows the data.
func (r *run) checkAPI(ctx context.Context, res *Result) {
	if r.token == "" {
		res.skip("no guest token (step 3)")
		return
	}
	key := url.PathEscape(r.dashKey)
	hdr := http.Header{r.opts.TokenHeader: {r.token}}
	a, err := r.do(ctx, http.MethodGet, r.opts.BI+"/api/v1/me/roles/", hdr, nil)
	if !r.apiOK(a, err, "GET /api/v1/me/roles/", res) {
		return
	}
	a, err = r.do(ctx, http.MethodGet, r.opts.BI+"/api/v1/dashboard/"+key, hdr, nil)
	if !r.apiOK(a, err, "GET /api/v1/dashboard/"+key, res) {
		return
	}
	var dash struct {
		Result struct {
			ID int `json:"id"`
		} `json:"result"`
	}
	json.Unmarshal(a.body, &dash)
	a, err = r.do(ctx, http.MethodGet, r.opts.BI+"/api/v1/dashboard/"+key+"/charts", hdr, nil)
	if !r.apiOK(a, err, "GET /api/v1/dashboard/"+key+"/charts", res) {
		return
	}
	var charts struct {
		Result []chartRef `json:"result"`
	}
	if json.Unmarshal(a.body, &charts) != nil || len(charts.Result) == 0 {
		res.warn("the dashboard lists no charts: nothing to query", "Add a chart to the dashboard to let the doctor check data access and RLS.")
		return
	}
	chart := charts.Result[0]
	// Superset gives a guest data only in the context of a granted
	// dashboard: form_data must name it by id, as the embedded page does.
	chart.dashboardID = dash.Result.ID
	rows, ok := r.chartRows(ctx, res, chart, r.token)
	if !ok {
		return
	}
	r.checkRLS(ctx, res, chart, rows)
}

// apiOK records one API answer, explaining a refusal.
func (r *run) apiOK(a answer, err error, what string, res *Result) bool {
	if err != nil {
		res.fail(what+": "+err.Error(), "")
		return false
	}
	if a.status == http.StatusOK {
		res.ok(what + " → 200 with " + r.opts.TokenHeader)
		return true
	}
	res.fail(fmt.Sprintf("%s → %d: %s", what, a.status, short(a.body)), r.refusalFix(a))
	return false
}

// refusalFix names the configuration behind an API refusal of the token.
func (r *run) refusalFix(a answer) string {
	msg := strings.ToLower(string(a.body))
	switch {
	case a.status == http.StatusForbidden:
		return "The guest role lacks a permission: the role named by GUEST_ROLE_NAME (\"Public\" by default) needs can read on Dashboard and Chart, and datasource access on the dashboard's datasets (or all_datasource_access)."
	case a.status != http.StatusUnauthorized:
		return ""
	case strings.Contains(msg, "audience"):
		return fmt.Sprintf("The API refuses the token's audience (aud %v): every Superset worker must have the same GUEST_TOKEN_JWT_AUDIENCE as the one that minted it, and a backend that mints tokens itself must use that value.", r.claims.Aud)
	case strings.Contains(msg, "expired"):
		return "The token expired before use: check the clocks (step 3) and GUEST_TOKEN_JWT_EXP_SECONDS."
	case strings.Contains(msg, "signature"):
		return "The API cannot verify the token's signature: every Superset worker must share GUEST_TOKEN_JWT_SECRET (and GUEST_TOKEN_JWT_ALGO)."
	}
	return "The API refused the guest token: check -token-header against GUEST_TOKEN_HEADER_NAME, and that every worker shares GUEST_TOKEN_JWT_SECRET, GUEST_TOKEN_JWT_AUDIENCE and a synchronised clock."
}

// chartData is a chart's query result: its rows as JSON, and how many.
type chartData struct {
	rows int
	data string
}

// chartRows runs the chart's query with a token.
func (r *run) chartRows(ctx context.Context, res *Result, c chartRef, token string) (chartData, bool) {
	// form_data.datasource is "<id>__<type>", as Superset stores it.
	ds, _ := c.FormData["datasource"].(string)
	dsID, dsType, _ := strings.Cut(ds, "__")
	id, _ := strconv.Atoi(dsID)
	body, _ := json.Marshal(map[string]any{
		"datasource":    map[string]any{"id": id, "type": dsType},
		"form_data":     map[string]any{"slice_id": c.ID, "dashboardId": c.dashboardID},
		"queries":       []map[string]any{{"row_limit": 100}},
		"result_format": "json", "result_type": "full",
	})
	what := fmt.Sprintf("POST /api/v1/chart/data (chart %d %q)", c.ID, c.Name)
	a, err := r.do(ctx, http.MethodPost, r.opts.BI+"/api/v1/chart/data", http.Header{r.opts.TokenHeader: {token}}, body)
	if !r.apiOK(a, err, what, res) {
		return chartData{}, false
	}
	var out struct {
		Result []struct {
			Data []json.RawMessage `json:"data"`
		} `json:"result"`
	}
	if json.Unmarshal(a.body, &out) != nil || len(out.Result) == 0 {
		res.warn(what+" answered something other than {result: [{data}]}", "")
		return chartData{}, false
	}
	d := out.Result[0].Data
	b, _ := json.Marshal(d)
	return chartData{rows: len(d), data: string(b)}, true
}

// checkRLS queries the chart again with a token whose RLS clause keeps no
// rows: the answer must change (no rows, or an aggregate over none).
func (r *run) checkRLS(ctx context.Context, res *Result, c chartRef, open chartData) {
	if open.rows == 0 {
		res.warn(fmt.Sprintf("chart %d returns no rows even under RLS %q: RLS cannot be told apart", c.ID, rlsPass),
			"Point -dashboard at a dashboard whose first chart has data.")
		return
	}
	blocked, err := r.mint(ctx, r.minter, rlsBlock)
	if err != nil {
		res.warn("minting a second token with RLS "+rlsBlock+": "+err.Error(), "")
		return
	}
	shut, ok := r.chartRows(ctx, res, c, blocked)
	switch {
	case !ok:
	case shut.data != open.data:
		res.ok(fmt.Sprintf("RLS applied: chart %d's data changes from %d rows under %q to %d rows under %q (%s)",
			c.ID, open.rows, rlsPass, shut.rows, rlsBlock, short([]byte(shut.data))))
	default:
		res.fail(fmt.Sprintf("RLS not applied: chart %d returns the same %d rows under %q", c.ID, shut.rows, rlsBlock),
			"The token's rls_rules do not reach the query: check that the chart's dataset is queried by Superset itself (not served from a cache shared across guests; see DATA_CACHE_CONFIG) and that rules without a dataset apply to every dataset.")
	}
}
