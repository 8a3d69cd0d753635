package devserver

import (
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/data"
	"github.com/golang-jwt/jwt/v5"
)

// signMap signs arbitrary claims, for forged and malformed tokens.
func signMap(t *testing.T, method jwt.SigningMethod, secret string, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGuestTokenVerification(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	_, srv := testHost(t, func(c *Config) { c.Now = clock })
	me := srv.URL + "/api/v1/me/roles/"
	good := mint(t, srv.URL, guestBody())

	r := do(t, "GET", me, nil, "X-GuestToken", good).Want(t, 200)
	if r.JSON["result"].(map[string]any)["username"] != "viewer" {
		t.Fatalf("%s", r.Body)
	}

	base := func() jwt.MapClaims {
		return jwt.MapClaims{
			"user": map[string]any{"username": "x"}, "resources": []any{map[string]any{"type": "dashboard", "id": DemoDashboardUUID}},
			"rls_rules": []any{}, "iat": float64(now.Unix()), "exp": float64(now.Add(time.Minute).Unix()),
			"aud": "superset", "type": "guest",
		}
	}
	with := func(k string, v any) jwt.MapClaims {
		c := base()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	cases := map[string]string{
		"valid by hand":   signMap(t, jwt.SigningMethodHS256, DemoSecret, base()),
		"forged":          signMap(t, jwt.SigningMethodHS256, "wrong-secret", base()),
		"expired":         signMap(t, jwt.SigningMethodHS256, DemoSecret, with("exp", float64(now.Add(-time.Second).Unix()))),
		"no exp":          signMap(t, jwt.SigningMethodHS256, DemoSecret, with("exp", nil)),
		"wrong audience":  signMap(t, jwt.SigningMethodHS256, DemoSecret, with("aud", "other")),
		"wrong type":      signMap(t, jwt.SigningMethodHS256, DemoSecret, with("type", "access")),
		"null user":       signMap(t, jwt.SigningMethodHS256, DemoSecret, with("user", nil)),
		"null resources":  signMap(t, jwt.SigningMethodHS256, DemoSecret, with("resources", nil)),
		"null rls_rules":  signMap(t, jwt.SigningMethodHS256, DemoSecret, with("rls_rules", nil)),
		"other algorithm": signMap(t, jwt.SigningMethodHS384, DemoSecret, base()),
		"alg none":        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + strings.Split(good, ".")[1] + ".",
		"garbage":         "not-a-jwt",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			want := 401
			if name == "valid by hand" || name == "no exp" { // PyJWT checks exp only when present
				want = 200
			}
			r := do(t, "GET", me, nil, "X-GuestToken", tok).Want(t, want)
			if want == 401 && (r.JSON["message"] != "Not authorized" || r.JSON["detail"] == "") {
				t.Fatalf("%s", r.Body)
			}
		})
	}

	// Missing header, a token in the query string, or in another header.
	r = do(t, "GET", me+"?guest_token="+good, nil).Want(t, 401)
	if !strings.Contains(r.JSON["detail"].(string), "query parameter") {
		t.Fatalf("%s", r.Body)
	}
	do(t, "GET", me, nil, "Authorization", "Bearer "+good).Want(t, 401)

	// Expiry follows the clock.
	now = now.Add(301 * time.Second)
	do(t, "GET", me, nil, "X-GuestToken", good).Want(t, 401)
}

func TestGuestTokenHeaderName(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.TokenHeader = "X-Custom-Guest" })
	tok := mint(t, srv.URL, guestBody())
	do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "X-GuestToken", tok).Want(t, 401)
	do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "X-Custom-Guest", tok).Want(t, 200)
}

func TestDashboardAPI(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, Slug: "other", UUID: "11111111-2222-4333-8444-555555555555", Title: "Other"})
	})
	tok := mint(t, srv.URL, guestBody())
	// A dashboard is addressed by id or slug; its embedded UUID is not a
	// dashboard key (Superset's with_dashboard answers 404).
	do(t, "GET", srv.URL+"/api/v1/dashboard/"+DemoDashboardUUID, nil, "X-GuestToken", tok).Want(t, 404)
	for _, key := range []string{"1", "sales"} {
		r := do(t, "GET", srv.URL+"/api/v1/dashboard/"+key, nil, "X-GuestToken", tok).Want(t, 200)
		res := r.JSON["result"].(map[string]any)
		if res["dashboard_title"] != "Sales overview" || len(res["charts"].([]any)) != len(data.Charts()) ||
			len(nativeFilters(t, res)) != 2 || len(layoutTabs(t, res)) != 2 {
			t.Fatalf("%s", r.Body)
		}
	}
	r := do(t, "GET", srv.URL+"/api/v1/dashboard/1/charts", nil, "X-GuestToken", tok).Want(t, 200)
	if len(r.JSON["result"].([]any)) != len(data.Charts()) {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "GET", srv.URL+"/api/v1/dashboard/sales/datasets", nil, "X-GuestToken", tok).Want(t, 200)
	if len(r.JSON["result"].([]any)) != 2 {
		t.Fatalf("%s", r.Body)
	}
	// The token names dashboard 1 only.
	for _, path := range []string{"other", "2/charts"} {
		r = do(t, "GET", srv.URL+"/api/v1/dashboard/"+path, nil, "X-GuestToken", tok).Want(t, 403)
		if r.JSON["message"] != "Forbidden" {
			t.Fatalf("%s: %s", path, r.Body)
		}
	}
	r = do(t, "GET", srv.URL+"/api/v1/dashboard/nope", nil, "X-GuestToken", tok).Want(t, 404)
	if r.JSON["message"] != "Not found" {
		t.Fatalf("%s", r.Body)
	}
	do(t, "GET", srv.URL+"/api/v1/dashboard/1", nil).Want(t, 401)
}
