package data

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/dashboards"
)

// dashboardView is a dashboard as Superset's GET /api/v1/dashboard/<key>
// answers it: its chart names, and its filters and layout as the JSON
// strings json_metadata and position_json, which is where Superset's
// embedded frontend (and the mock's page) reads them. A guest does not see
// who changed or owns it.
func (a *API) dashboardView(d dashboards.Dashboard, admin bool) map[string]any {
	charts := a.store.dashboardCharts(d)
	names := []string{}
	for _, c := range charts {
		names = append(names, c.Name)
	}
	key := d.Slug
	if key == "" {
		key = strconv.Itoa(d.ID)
	}
	v := map[string]any{
		"id": d.ID, "slug": nilIfEmpty(d.Slug), "url": "/superset/dashboard/" + key + "/",
		"dashboard_title": d.Title, "published": true, "css": "",
		"charts": names, "json_metadata": a.jsonMetadata(d), "position_json": positionJSON(charts),
		"certified_by": nil, "certification_details": nil, "created_by": nil,
		"changed_on": "1970-01-01T00:00:00", "changed_on_delta_humanized": "a while ago", "created_on_delta_humanized": "a while ago",
		"roles": []any{}, "tags": []any{}, "is_managed_externally": false,
		"thumbnail_url": "/api/v1/dashboard/" + strconv.Itoa(d.ID) + "/thumbnail/0/",
	}
	if admin {
		v["changed_by"], v["changed_by_name"], v["owners"] = nil, "", []any{}
	}
	return v
}

// nilIfEmpty is JSON null for an empty string, as Superset writes a missing
// slug.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// jsonMetadata is the dashboard's json_metadata: its native filters in
// Superset's native_filter_configuration shape (a filter_select per
// column, targeting one dataset column).
func (a *API) jsonMetadata(d dashboards.Dashboard) string {
	conf := []map[string]any{}
	for _, f := range a.store.dashboardFilters(d) {
		conf = append(conf, map[string]any{
			"id": f.ID, "name": f.Name, "filterType": "filter_select", "type": "NATIVE_FILTER",
			"targets":         []any{map[string]any{"datasetId": f.DatasetID, "column": map[string]any{"name": f.Column}}},
			"controlValues":   map[string]any{"multiSelect": true},
			"defaultDataMask": map[string]any{}, "cascadeParentIds": []any{},
			"scope": map[string]any{"rootPath": []string{"ROOT_ID"}, "excluded": []any{}},
		})
	}
	b, _ := json.Marshal(map[string]any{"native_filter_configuration": conf})
	return string(b)
}

// positionJSON is the dashboard's layout in Superset's position_json shape:
// ROOT_ID holds a TABS node, each TAB a ROW of CHART nodes whose meta names
// the chart.
func positionJSON(charts []Chart) string {
	nodes := map[string]any{"DASHBOARD_VERSION_KEY": "v2"}
	var tabIDs []string
	rows := map[string][]string{}
	for _, t := range tabsOf(charts) {
		tabIDs = append(tabIDs, t.ID)
		rows[t.ID] = nil
		nodes[t.ID] = map[string]any{"type": "TAB", "id": t.ID, "children": []string{"ROW-" + t.ID}, "meta": map[string]any{"text": t.Title}}
	}
	for _, c := range charts {
		id := "CHART-" + strconv.Itoa(c.ID)
		rows[tabID(c)] = append(rows[tabID(c)], id)
		nodes[id] = map[string]any{"type": "CHART", "id": id, "children": []string{},
			"meta": map[string]any{"chartId": c.ID, "sliceName": c.Name, "width": 4, "height": 50}}
	}
	for _, t := range tabIDs {
		nodes["ROW-"+t] = map[string]any{"type": "ROW", "id": "ROW-" + t, "children": append([]string{}, rows[t]...)}
	}
	nodes["ROOT_ID"] = map[string]any{"type": "ROOT", "id": "ROOT_ID", "children": []string{"TABS-ROOT"}}
	nodes["TABS-ROOT"] = map[string]any{"type": "TABS", "id": "TABS-ROOT", "children": tabIDs}
	b, _ := json.Marshal(nodes)
	return string(b)
}

// chartView is a chart as Superset's GET /api/v1/dashboard/<key>/charts
// lists it: exactly its keys, the chart's own settings in form_data.
func chartView(c Chart) map[string]any {
	return map[string]any{
		"id": c.ID, "slice_name": c.Name, "slice_url": "/explore/?slice_id=" + strconv.Itoa(c.ID),
		"cache_timeout": nil, "certification_details": nil, "certified_by": nil,
		"changed_on": "1970-01-01T00:00:00", "description": nil, "description_markeddown": "",
		"form_data": map[string]any{
			"slice_id": c.ID, "viz_type": c.Viz, "datasource": strconv.Itoa(c.Dataset) + "__table", "row_limit": c.RowLimit,
		},
	}
}

// columnTypes are Superset's GenericDataType of each column of ds (0
// numeric, 1 string), judged from the values of its first row.
func (s *Store) columnTypes(ds Dataset) []int {
	out := make([]int, len(ds.Columns))
	cols := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		cols[i] = `"` + c + `"`
		out[i] = 1
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := s.db.QueryRow("SELECT " + strings.Join(cols, ", ") + " FROM " + ds.Table + " LIMIT 1").Scan(ptrs...); err != nil {
		return out
	}
	for i, v := range vals {
		switch v.(type) {
		case int64, float64:
			out[i] = 0
		}
	}
	return out
}
