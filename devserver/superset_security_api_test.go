package devserver

// Superset's tests/integration_tests/security/api_tests.py, replayed over
// HTTP against the mock: the CSRF and login endpoints and the guest-token
// endpoint. Each test is named after the case it replays.

import (
	"reflect"
	"testing"
)

// loginAs returns an access token for an account of the host.
func loginAs(t *testing.T, base, username, password string) string {
	t.Helper()
	r := do(t, "POST", base+"/api/v1/security/login",
		map[string]any{"username": username, "password": password, "provider": "db"}).Want(t, 200)
	return r.JSON["access_token"].(string)
}

// guestTokenURL is the guest-token endpoint of a host.
func guestTokenURL(base string) string { return base + "/api/v1/security/guest_token/" }

func TestSupersetSecurityCsrfApi_test_get_csrf_token(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/api/v1/security/csrf_token/", nil, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 200)
	if tok, _ := r.JSON["result"].(string); tok == "" {
		t.Fatalf("no CSRF token: %s", r.Body)
	}
}

func TestSupersetSecurityCsrfApi_test_get_csrf_token_gamma(t *testing.T) {
	_, srv := testHost(t, nil)
	gamma := loginAs(t, srv.URL, DemoGammaUsername, DemoGammaPassword)
	r := do(t, "GET", srv.URL+"/api/v1/security/csrf_token/", nil, "Authorization", "Bearer "+gamma).Want(t, 200)
	if tok, _ := r.JSON["result"].(string); tok == "" {
		t.Fatalf("no CSRF token: %s", r.Body)
	}
}

func TestSupersetSecurityCsrfApi_test_get_csrf_unauthorized(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/api/v1/security/csrf_token/", nil).Want(t, 401)
	if r.JSON["msg"] != "Missing Authorization Header" {
		t.Fatalf("not the JWT layer's answer: %s", r.Body)
	}
}

func TestSupersetSecurityCsrfApi_test_login(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "POST", srv.URL+"/api/v1/security/login",
		map[string]any{"username": DemoUsername, "password": DemoPassword, "provider": "db"}).Want(t, 200)
	if _, ok := r.JSON["access_token"].(string); !ok {
		t.Fatalf("no access_token: %s", r.Body)
	}
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_unauthenticated(t *testing.T) {
	_, srv := testHost(t, nil)
	do(t, "POST", guestTokenURL(srv.URL), nil).Want(t, 401)
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_unauthorized(t *testing.T) {
	_, srv := testHost(t, nil)
	gamma := loginAs(t, srv.URL, DemoGammaUsername, DemoGammaPassword)
	// No body at all: the permission is checked before the body is read.
	r := do(t, "POST", guestTokenURL(srv.URL), nil, "Authorization", "Bearer "+gamma).Want(t, 403)
	if r.JSON["message"] != "Forbidden" {
		t.Fatalf("%s", r.Body)
	}
}

// postGuestToken mints a token for user, the demo dashboard's embedded UUID
// and one RLS rule, as the replayed tests do, and returns the decoded
// claims.
func postGuestToken(t *testing.T, base string, user map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{
		"user":      user,
		"resources": []any{map[string]any{"type": "dashboard", "id": DemoDashboardUUID}},
		"rls":       []any{map[string]any{"dataset": 1, "clause": "1=1"}},
	}
	r := do(t, "POST", guestTokenURL(base), body, "Authorization", "Bearer "+login(t, base)).Want(t, 200)
	c := decodeClaims(t, r.JSON["token"].(string), DemoSecret)
	if c["aud"] != "superset" {
		t.Fatalf("aud %v", c["aud"])
	}
	want := map[string]any{"type": "dashboard", "id": DemoDashboardUUID}
	if got := c["resources"].([]any)[0]; !reflect.DeepEqual(got, want) {
		t.Fatalf("resource %v, want %v", got, want)
	}
	return c
}

// sameJSON compares a decoded claim with the value that was sent.
func sameJSON(t *testing.T, got, sent any) {
	t.Helper()
	if toJSON(got) != toJSON(sent) {
		t.Fatalf("token has %s, sent %s", toJSON(got), toJSON(sent))
	}
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_authorized(t *testing.T) {
	_, srv := testHost(t, nil)
	user := map[string]any{"username": "bob", "first_name": "Bob", "last_name": "Also Bob"}
	sameJSON(t, postGuestToken(t, srv.URL, user)["user"], user)
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_with_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	user := map[string]any{"username": "bob_with_attrs", "first_name": "Bob", "last_name": "Also Bob",
		"attributes": map[string]any{
			"department": "Engineering", "region": "US", "role": "developer", "team": "data-platform",
			"clearance_level": "standard", "projects": []any{"analytics", "ml-platform"}, "team_lead": true,
		}}
	c := postGuestToken(t, srv.URL, user)
	sameJSON(t, c["user"], user)
	if c["user"].(map[string]any)["attributes"].(map[string]any)["team_lead"] != true {
		t.Fatal("team_lead is not true")
	}
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_with_empty_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	user := map[string]any{"username": "bob_empty_attrs", "first_name": "Bob", "last_name": "Also Bob", "attributes": map[string]any{}}
	c := postGuestToken(t, srv.URL, user)
	sameJSON(t, c["user"], user)
	if a, ok := c["user"].(map[string]any)["attributes"]; !ok || len(a.(map[string]any)) != 0 {
		t.Fatalf("attributes %v", a)
	}
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_with_null_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	user := map[string]any{"username": "bob_null_attrs", "first_name": "Bob", "last_name": "Also Bob", "attributes": nil}
	c := postGuestToken(t, srv.URL, user)
	sameJSON(t, c["user"], user)
	if a, ok := c["user"].(map[string]any)["attributes"]; !ok || a != nil {
		t.Fatalf("attributes %v (present %v), want null", a, ok)
	}
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_without_attributes_backward_compatibility(t *testing.T) {
	_, srv := testHost(t, nil)
	user := map[string]any{"username": "bob_no_attrs", "first_name": "Bob", "last_name": "Also Bob"}
	c := postGuestToken(t, srv.URL, user)
	sameJSON(t, c["user"], user)
	if _, ok := c["user"].(map[string]any)["attributes"]; ok {
		t.Fatal("attributes appeared")
	}
}

func TestSupersetSecurityGuestTokenApi_test_post_guest_token_bad_resources(t *testing.T) {
	_, srv := testHost(t, nil)
	body := map[string]any{
		"user":      map[string]any{"username": "bob", "first_name": "Bob", "last_name": "Also Bob"},
		"resources": []any{map[string]any{"type": "dashboard", "id": "bad-id"}},
		"rls":       []any{map[string]any{"dataset": 1, "clause": "1=1"}},
	}
	r := do(t, "POST", guestTokenURL(srv.URL), body, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 400)
	if r.JSON["message"] != "EmbeddedDashboard not found." {
		t.Fatalf("%s", r.Body)
	}
}
