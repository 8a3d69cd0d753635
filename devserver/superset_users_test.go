package devserver

// Superset's tests/integration_tests/users/api_tests.py, replayed over
// HTTP: the /api/v1/me/ endpoints, which answer a guest token and refuse
// anyone without a session or guest token with Superset's 401.

import "testing"

func TestSupersetCurrentUserApi_test_get_me_unauthorized(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/api/v1/me/", nil).Want(t, 401)
	if r.JSON["message"] != "Not authorized" {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetCurrentUserApi_test_get_me_anonymous(t *testing.T) {
	_, srv := testHost(t, nil)
	// A Bearer token makes no user here: these endpoints are outside the
	// JWT layer, so the caller is anonymous.
	do(t, "GET", srv.URL+"/api/v1/me/", nil, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 401)
}

func TestSupersetCurrentUserApi_test_get_my_roles_anonymous(t *testing.T) {
	_, srv := testHost(t, nil)
	do(t, "GET", srv.URL+"/api/v1/me/roles/", nil).Want(t, 401)
	do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 401)
}

func TestSupersetCurrentUserApi_test_get_me_logged_in(t *testing.T) {
	_, srv := testHost(t, nil)
	// The mock has no session login; a guest is the user it knows.
	r := do(t, "GET", srv.URL+"/api/v1/me/", nil, "X-GuestToken", mint(t, srv.URL, guestBody())).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	if res["username"] != "viewer" || res["is_active"] != true || res["is_anonymous"] != false {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetCurrentUserApi_test_get_me_with_roles(t *testing.T) {
	_, srv := testHost(t, nil)
	r := meRoles(t, srv.URL, mint(t, srv.URL, guestBody())).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	roles := res["roles"].(map[string]any)
	if _, ok := roles["Public"]; !ok || len(roles) != 1 {
		t.Fatalf("roles %v", roles)
	}
	if _, ok := res["groups"].([]any); !ok {
		t.Fatalf("groups %v", res["groups"])
	}
}
