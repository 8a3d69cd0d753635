package devserver

// Superset's tests/integration_tests/security/guest_token_security_tests.py,
// replayed over HTTP: which dashboards a guest token opens, and which chart
// data a guest may query (only in the context of a dashboard it was granted).
// The cases call raise_for_access with a query context; here the same form
// data goes to POST /api/v1/chart/data, where Superset's refusal is a 403.

import (
	"testing"
	"time"
)

// Ids of the host the dashboard-access cases run on: the demo dashboard
// ("births") shows the orders charts 1 to 5; "world_health" is embedded too
// and shows chart 6, which reads the targets dataset; "draft" is neither
// embedded nor granted.
const (
	birthsChart      = 1 // on the demo dashboard, reads dataset 1
	otherChart       = 6 // on world_health only, reads dataset 2
	otherDatasource  = 2
	birthsDatasource = 1
	worldHealthID    = 2
	draftID          = 3
	regionFilter     = "NATIVE_FILTER-region" // targets dataset 1
)

// accessHost starts the host of the dashboard-access cases and returns it
// with an authorized guest token (the demo dashboard's embedded UUID) and an
// unauthorized one (a UUID of no dashboard).
func accessHost(t *testing.T) (base, authorized, unauthorized string) {
	t.Helper()
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards[0].Charts = []int{1, 2, 3, 4, 5}
		c.Dashboards = append(c.Dashboards,
			Dashboard{ID: worldHealthID, Slug: "world_health", UUID: "22222222-3333-4444-8555-666666666666", Charts: []int{otherChart}},
			Dashboard{ID: draftID, Title: "My Dashboard"})
	})
	now := time.Now()
	auth := guestClaims(now, map[string]any{})
	auth["rls_rules"] = []any{}
	unauth := guestClaims(now, map[string]any{})
	unauth["rls_rules"] = []any{}
	unauth["resources"] = []any{map[string]any{"type": "dashboard", "id": "06383667-3e02-4e5e-843f-44e9c5896b6c"}}
	return srv.URL, handSigned(t, auth), handSigned(t, unauth)
}

// withResources signs a guest token for the given resources.
func withResources(t *testing.T, resources ...any) string {
	t.Helper()
	c := guestClaims(time.Now(), map[string]any{})
	c["resources"] = resources
	return handSigned(t, c)
}

// getDashboard asks for a dashboard with a guest token.
func getDashboard(t *testing.T, base, tok, key string) response {
	t.Helper()
	return do(t, "GET", base+"/api/v1/dashboard/"+key, nil, "X-GuestToken", tok)
}

func TestSupersetGuestUserDashboardAccess_test_has_guest_access__authorized_guest_user(t *testing.T) {
	base, auth, _ := accessHost(t)
	getDashboard(t, base, auth, "1").Want(t, 200)
}

func TestSupersetGuestUserDashboardAccess_test_has_guest_access__authorized_guest_user__non_zero_resource_index(t *testing.T) {
	base, _, _ := accessHost(t)
	tok := withResources(t, map[string]any{"type": "dashboard", "id": "not-a-real-id"},
		map[string]any{"type": "dashboard", "id": DemoDashboardUUID})
	getDashboard(t, base, tok, "1").Want(t, 200)
}

func TestSupersetGuestUserDashboardAccess_test_has_guest_access__unauthorized_guest_user__different_resource_id(t *testing.T) {
	base, _, _ := accessHost(t)
	tok := withResources(t, map[string]any{"type": "dashboard", "id": "not-a-real-id"})
	getDashboard(t, base, tok, "1").Want(t, 403)
}

func TestSupersetGuestUserDashboardAccess_test_has_guest_access__unauthorized_guest_user__different_resource_type(t *testing.T) {
	base, _, _ := accessHost(t)
	tok := withResources(t, map[string]any{"type": "dirt", "id": DemoDashboardUUID})
	getDashboard(t, base, tok, "1").Want(t, 403)
}

func TestSupersetGuestUserDashboardAccess_test_raise_for_dashboard_access_as_guest(t *testing.T) {
	base, auth, _ := accessHost(t)
	for _, path := range []string{"1", "1/charts", "1/datasets", "sales"} {
		getDashboard(t, base, auth, path).Want(t, 200)
	}
}

func TestSupersetGuestUserDashboardAccess_test_raise_for_access_dashboard_as_unauthorized_guest(t *testing.T) {
	base, _, unauth := accessHost(t)
	for _, path := range []string{"1", "1/charts", "1/datasets", "sales"} {
		r := getDashboard(t, base, unauth, path).Want(t, 403)
		if r.JSON["message"] != "Forbidden" {
			t.Fatalf("%s: %s", path, r.Body)
		}
	}
}

func TestSupersetGuestUserDashboardAccess_test_raise_for_access_dashboard_as_guest_no_rbac(t *testing.T) {
	base, _, unauth := accessHost(t)
	// A draft dashboard, not embedded, is no guest's business.
	getDashboard(t, base, unauth, "3").Want(t, 403)
}

// guestQuery posts chart data for a datasource with form data, as the
// embedded page does.
func guestQuery(t *testing.T, base, tok string, datasource int, formData map[string]any) response {
	t.Helper()
	return do(t, "POST", base+"/api/v1/chart/data", map[string]any{
		"datasource": map[string]any{"id": datasource, "type": "table"},
		"form_data":  formData,
		"queries":    []any{map[string]any{}},
	}, "X-GuestToken", tok)
}

// wantDenied checks Superset's refusal of a guest's query.
func wantDenied(t *testing.T, r response) {
	t.Helper()
	r.Want(t, 403)
	errs, _ := r.JSON["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["error_type"] != "DATASOURCE_SECURITY_ACCESS_ERROR" {
		t.Fatalf("not Superset's refusal: %s", r.Body)
	}
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__happy_path(t *testing.T) {
	base, auth, _ := accessHost(t)
	r := guestQuery(t, base, auth, birthsDatasource, map[string]any{"dashboardId": DemoDashboardID, "slice_id": birthsChart}).Want(t, 200)
	if r.JSON["result"].([]any)[0].(map[string]any)["rowcount"] != 1.0 {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__native_filter_happy_path(t *testing.T) {
	base, auth, _ := accessHost(t)
	r := guestQuery(t, base, auth, birthsDatasource, map[string]any{"dashboardId": DemoDashboardID,
		"native_filter_id": regionFilter, "type": "NATIVE_FILTER", "slice_id": birthsChart}).Want(t, 200)
	if rows := r.JSON["result"].([]any)[0].(map[string]any)["data"].([]any); len(rows) != 4 {
		t.Fatalf("regions %s", r.Body)
	}
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__no_dashboard_in_form_data(t *testing.T) {
	base, auth, _ := accessHost(t)
	wantDenied(t, guestQuery(t, base, auth, birthsDatasource, map[string]any{"slice_id": birthsChart}))
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__no_chart_in_form_data(t *testing.T) {
	base, auth, _ := accessHost(t)
	wantDenied(t, guestQuery(t, base, auth, birthsDatasource, map[string]any{"dashboardId": DemoDashboardID}))
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__chart_not_on_dashboard(t *testing.T) {
	base, auth, _ := accessHost(t)
	wantDenied(t, guestQuery(t, base, auth, otherDatasource, map[string]any{"dashboardId": DemoDashboardID, "slice_id": otherChart}))
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__chart_doesnt_belong_to_datasource(t *testing.T) {
	base, auth, _ := accessHost(t)
	wantDenied(t, guestQuery(t, base, auth, otherDatasource, map[string]any{"dashboardId": DemoDashboardID, "slice_id": birthsChart}))
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__native_filter_no_id_in_form_data(t *testing.T) {
	base, auth, _ := accessHost(t)
	wantDenied(t, guestQuery(t, base, auth, birthsDatasource, map[string]any{"dashboardId": DemoDashboardID,
		"type": "NATIVE_FILTER", "slice_id": birthsChart}))
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__native_filter_datasource_not_associated(t *testing.T) {
	base, auth, _ := accessHost(t)
	wantDenied(t, guestQuery(t, base, auth, otherDatasource, map[string]any{"dashboardId": DemoDashboardID,
		"native_filter_id": regionFilter, "type": "NATIVE_FILTER", "slice_id": birthsChart}))
}

func TestSupersetGuestUserDatasourceAccess_test_raise_for_access__unauthorized_guest_user(t *testing.T) {
	base, _, unauth := accessHost(t)
	wantDenied(t, guestQuery(t, base, unauth, birthsDatasource, map[string]any{"dashboardId": DemoDashboardID, "slice_id": birthsChart}))
}
