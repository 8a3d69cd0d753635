package devserver

// Superset's tests/integration_tests/embedded/api_tests.py and test_view.py,
// replayed over HTTP: the embedded-dashboard API and the embedded page.

import (
	"encoding/json"
	"html"
	"regexp"
	"testing"
)

func TestSupersetEmbeddedDashboardApi_test_get_embedded_dashboard(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/api/v1/embedded_dashboard/"+DemoDashboardUUID, nil, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	if res["uuid"] != DemoDashboardUUID || res["dashboard_id"] != "1" || len(res["allowed_domains"].([]any)) != 0 {
		t.Fatalf("%s", r.Body)
	}
	for _, k := range []string{"changed_on", "changed_by"} {
		if _, ok := res[k]; !ok {
			t.Errorf("no %s: %s", k, r.Body)
		}
	}
}

func TestSupersetEmbeddedDashboardApi_test_get_embedded_dashboard_non_found(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/api/v1/embedded_dashboard/bad-uuid", nil, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 404)
	if r.JSON["message"] != "Not found" {
		t.Fatalf("%s", r.Body)
	}
}

// bootstrapData reads the data-bootstrap payload of an embedded page.
func bootstrapData(t *testing.T, body []byte) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`data-bootstrap="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no bootstrap payload in %s", body)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSupersetEmbeddedView_test_get_embedded_dashboard(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil).Want(t, 200)
	if got := bootstrapData(t, r.Body)["embedded"].(map[string]any)["allowed_domains"]; toJSON(got) != "[]" {
		t.Fatalf("allowed_domains %v", got)
	}
}

func TestSupersetEmbeddedView_test_get_embedded_dashboard_bootstrap_includes_allowed_domains(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.Dashboards[0].AllowedDomains = []string{"https://allowed.example.com"} })
	r := do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Referer", "https://allowed.example.com").Want(t, 200)
	if got := bootstrapData(t, r.Body)["embedded"].(map[string]any)["allowed_domains"]; toJSON(got) != `["https://allowed.example.com"]` {
		t.Fatalf("allowed_domains %v", got)
	}
}

func TestSupersetEmbeddedView_test_get_embedded_dashboard_referrer_not_allowed(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.Dashboards[0].AllowedDomains = []string{"test.example.com"} })
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil).Want(t, 403)
}

func TestSupersetEmbeddedView_test_get_embedded_dashboard_non_found(t *testing.T) {
	_, srv := testHost(t, nil)
	do(t, "GET", srv.URL+"/embedded/bad-uuid", nil).Want(t, 404)
}

func TestSupersetEmbeddedView_test_get_embedded_dashboard_rejects_bad_sec_fetch_dest(t *testing.T) {
	_, srv := testHost(t, nil)
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Sec-Fetch-Dest", "image").Want(t, 403)
}

func TestSupersetEmbeddedView_test_get_embedded_dashboard_allows_iframe_sec_fetch_dest(t *testing.T) {
	_, srv := testHost(t, nil)
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Sec-Fetch-Dest", "iframe").Want(t, 200)
}
