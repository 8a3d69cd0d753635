package devserver

// Superset's tests/integration_tests/dashboards/api_tests.py, replayed over
// HTTP: the dashboard, charts, datasets and embedded-config endpoints, with
// an admin's Bearer token, a Gamma account's, and a guest token.

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// nativeFilters reads the filters of a dashboard answer from its
// json_metadata, in a flat form: id, name, column, dataset_id.
func nativeFilters(t *testing.T, res map[string]any) []map[string]any {
	t.Helper()
	var meta struct {
		Conf []struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Targets []struct {
				DatasetID int `json:"datasetId"`
				Column    struct {
					Name string `json:"name"`
				} `json:"column"`
			} `json:"targets"`
		} `json:"native_filter_configuration"`
	}
	if err := json.Unmarshal([]byte(res["json_metadata"].(string)), &meta); err != nil {
		t.Fatalf("json_metadata: %v", err)
	}
	out := []map[string]any{}
	for _, f := range meta.Conf {
		out = append(out, map[string]any{"id": f.ID, "name": f.Name, "column": f.Targets[0].Column.Name, "dataset_id": f.Targets[0].DatasetID})
	}
	return out
}

// layoutTabs reads the tabs of a dashboard answer from its position_json.
func layoutTabs(t *testing.T, res map[string]any) []map[string]any {
	t.Helper()
	var layout map[string]any
	if err := json.Unmarshal([]byte(res["position_json"].(string)), &layout); err != nil {
		t.Fatalf("position_json: %v", err)
	}
	node := func(id any) map[string]any { return layout[id.(string)].(map[string]any) }
	out := []map[string]any{}
	for _, id := range node(node("ROOT_ID")["children"].([]any)[0])["children"].([]any) {
		out = append(out, map[string]any{"id": id, "title": node(id)["meta"].(map[string]any)["text"]})
	}
	return out
}

// keysOf lists a JSON object's keys, sorted.
func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// bearerGet asks the dashboard API with an account's Bearer token.
func bearerGet(t *testing.T, base, tok, path string) response {
	t.Helper()
	return do(t, "GET", base+"/api/v1/dashboard/"+path, nil, "Authorization", "Bearer "+tok)
}

func TestSupersetDashboardApi_test_get_dashboard(t *testing.T) {
	_, srv := testHost(t, nil)
	r := bearerGet(t, srv.URL, login(t, srv.URL), "1").Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	want := "certification_details,certified_by,changed_by,changed_by_name,changed_on,changed_on_delta_humanized,charts," +
		"created_by,created_on_delta_humanized,css,dashboard_title,id,is_managed_externally,json_metadata,owners," +
		"position_json,published,roles,slug,tags,thumbnail_url,url"
	if got := keysOf(res); got != want {
		t.Fatalf("keys %s\nwant %s", got, want)
	}
	if r.JSON["id"] != 1.0 || res["dashboard_title"] != "Sales overview" || res["slug"] != "sales" || res["url"] != "/superset/dashboard/sales/" {
		t.Fatalf("%s", r.Body)
	}
	if len(res["charts"].([]any)) != 6 || res["charts"].([]any)[0] != "Total revenue" {
		t.Fatalf("charts %v", res["charts"])
	}
	if len(nativeFilters(t, res)) != 2 || len(layoutTabs(t, res)) != 2 {
		t.Fatalf("filters or tabs: %s", r.Body)
	}
}

func TestSupersetDashboardApi_test_get_dashboard_as_guest(t *testing.T) {
	_, srv := testHost(t, nil)
	r := getDashboard(t, srv.URL, mint(t, srv.URL, guestBody()), "1").Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	for _, k := range []string{"changed_by", "changed_by_name", "owners"} {
		if _, ok := res[k]; ok {
			t.Errorf("a guest sees %s", k)
		}
	}
	if res["dashboard_title"] != "Sales overview" {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetDashboardApi_test_get_dashboard_not_found(t *testing.T) {
	_, srv := testHost(t, nil)
	r := bearerGet(t, srv.URL, login(t, srv.URL), "999").Want(t, 404)
	if r.JSON["message"] != "Not found" {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetDashboardApi_test_get_dashboard_no_data_access(t *testing.T) {
	_, srv := testHost(t, nil)
	bearerGet(t, srv.URL, loginAs(t, srv.URL, DemoGammaUsername, DemoGammaPassword), "1").Want(t, 404)
}

func TestSupersetDashboardApi_test_get_dashboard_charts(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.Dashboards[0].Charts = []int{2} })
	r := bearerGet(t, srv.URL, login(t, srv.URL), "1/charts").Want(t, 200)
	result := r.JSON["result"].([]any)
	if len(result) != 1 {
		t.Fatalf("%s", r.Body)
	}
	c := result[0].(map[string]any)
	want := "cache_timeout,certification_details,certified_by,changed_on,description,description_markeddown,form_data,id,slice_name,slice_url"
	if got := keysOf(c); got != want {
		t.Fatalf("keys %s\nwant %s", got, want)
	}
	if c["id"] != 2.0 || c["slice_name"] != "Revenue by region" {
		t.Fatalf("%v", c)
	}
}

func TestSupersetDashboardApi_test_get_dashboard_charts_by_slug(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.Dashboards[0].Charts = []int{2} })
	r := bearerGet(t, srv.URL, login(t, srv.URL), "sales/charts").Want(t, 200)
	if result := r.JSON["result"].([]any); len(result) != 1 || result[0].(map[string]any)["slice_name"] != "Revenue by region" {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetDashboardApi_test_get_dashboard_charts_not_found(t *testing.T) {
	_, srv := testHost(t, nil)
	bearerGet(t, srv.URL, login(t, srv.URL), "999/charts").Want(t, 404)
}

func TestSupersetDashboardApi_test_get_dashboard_datasets(t *testing.T) {
	_, srv := testHost(t, nil)
	r := bearerGet(t, srv.URL, login(t, srv.URL), "sales/datasets").Want(t, 200)
	result := r.JSON["result"].([]any)
	var ids []float64
	for _, d := range result {
		ids = append(ids, d.(map[string]any)["id"].(float64))
	}
	if toJSON(ids) != "[1,2]" {
		t.Fatalf("dataset ids %v", ids)
	}
	// orders: id, then tenant, region, product, month (strings), then
	// quantity and revenue.
	first := result[0].(map[string]any)
	if toJSON(first["column_types"]) != "[0,1,1,1,1,0,0]" || first["database"] == nil {
		t.Fatalf("%v", first)
	}
}

func TestSupersetDashboardApi_test_get_dashboard_datasets_as_guest(t *testing.T) {
	_, srv := testHost(t, nil)
	r := getDashboard(t, srv.URL, mint(t, srv.URL, guestBody()), "sales/datasets").Want(t, 200)
	result := r.JSON["result"].([]any)
	if len(result) != 2 {
		t.Fatalf("%s", r.Body)
	}
	for _, d := range result {
		for _, k := range []string{"database", "owners"} {
			if _, ok := d.(map[string]any)[k]; ok {
				t.Errorf("a guest sees %s", k)
			}
		}
	}
}

func TestSupersetDashboardApi_test_get_dashboard_datasets_not_found(t *testing.T) {
	_, srv := testHost(t, nil)
	bearerGet(t, srv.URL, login(t, srv.URL), "not_found/datasets").Want(t, 404)
}

func TestSupersetDashboardApi_test_get_dashboard_datasets_not_allowed(t *testing.T) {
	_, srv := testHost(t, nil)
	bearerGet(t, srv.URL, loginAs(t, srv.URL, DemoGammaUsername, DemoGammaPassword), "sales/datasets").Want(t, 404)
}

func TestSupersetDashboardApi_test_embedded_dashboards(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, Slug: "world_health", Title: "World's Bank Data"})
	})
	auth := "Bearer " + login(t, srv.URL)
	uri := srv.URL + "/api/v1/dashboard/world_health/embedded"
	do(t, "GET", uri, nil, "Authorization", auth).Want(t, 404)

	domains := []any{"test.example", "embedded.example"}
	r := do(t, "POST", uri, map[string]any{"allowed_domains": domains}, "Authorization", auth).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	uuid, _ := res["uuid"].(string)
	if uuid == "" || toJSON(res["allowed_domains"]) != toJSON(domains) {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "GET", uri, nil, "Authorization", auth).Want(t, 200)
	if res := r.JSON["result"].(map[string]any); res["uuid"] != uuid || toJSON(res["allowed_domains"]) != toJSON(domains) {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "POST", uri, map[string]any{"allowed_domains": []any{}}, "Authorization", auth).Want(t, 200)
	if res := r.JSON["result"].(map[string]any); res["uuid"] != uuid || toJSON(res["allowed_domains"]) != "[]" {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "GET", uri, nil, "Authorization", auth).Want(t, 200)
	if res := r.JSON["result"].(map[string]any); res["uuid"] != uuid || toJSON(res["allowed_domains"]) != "[]" {
		t.Fatalf("%s", r.Body)
	}
	do(t, "DELETE", uri, nil, "Authorization", auth).Want(t, 200)
	do(t, "GET", uri, nil, "Authorization", auth).Want(t, 404)
}
