package devserver

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/dashembed/dashembed/devserver/internal/testkit"
)

// testHost starts a BI host with DefaultConfig changed by mutate.
func testHost(t *testing.T, mutate func(*Config)) (*BIHost, *httptest.Server) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.ReloadPoll = -1
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
		if n := h.panics.Load(); n != 0 {
			t.Errorf("%d request(s) reached the recover middleware", n)
		}
	})
	return h, srv
}

// response is a decoded answer.
type response = testkit.Response

// do sends a request; body may be a string (sent as is), nil, or a value
// encoded as JSON. Headers are given as name, value pairs.
var do = testkit.Do

// login returns an access token for admin/admin.
func login(t *testing.T, base string) string {
	t.Helper()
	r := do(t, "POST", base+"/api/v1/security/login",
		map[string]any{"username": "admin", "password": "admin", "provider": "db"}).Want(t, 200)
	return r.JSON["access_token"].(string)
}

// guestBody is a valid guest-token request for the demo dashboard.
func guestBody(rls ...map[string]any) map[string]any {
	if rls == nil {
		rls = []map[string]any{}
	}
	return map[string]any{
		"user":      map[string]any{"username": "viewer", "first_name": "Vi", "last_name": "Ewer"},
		"resources": []map[string]any{{"type": "dashboard", "id": DemoDashboardUUID}},
		"rls":       rls,
	}
}

// mint gets a guest token through the API.
func mint(t *testing.T, base string, body map[string]any) string {
	t.Helper()
	r := do(t, "POST", base+"/api/v1/security/guest_token/", body, "Authorization", "Bearer "+login(t, base)).Want(t, 200)
	return r.JSON["token"].(string)
}

// toJSON encodes v for loose comparisons in tests.
func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
