package devserver

// Superset's tests/integration_tests/security_tests.py, class TestGuestTokens,
// replayed over HTTP: tokens minted through the guest-token endpoint or
// signed by hand, then read back by the API as the embedded page sends them.

import (
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// meRoles asks the API who the guest token in the header is; a token the
// mock refuses gets 401, as Superset's anonymous fallback does.
func meRoles(t *testing.T, base, tok string) response {
	t.Helper()
	return do(t, "GET", base+"/api/v1/me/roles/", nil, "X-GuestToken", tok)
}

// handSigned signs guest claims with the demo secret, as a host backend that
// mints its own tokens does.
func handSigned(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	return signMap(t, jwt.SigningMethodHS256, DemoSecret, claims)
}

// guestClaims are valid guest claims for the demo dashboard, issued now.
func guestClaims(now time.Time, user any) jwt.MapClaims {
	return jwt.MapClaims{
		"user":      user,
		"resources": []any{map[string]any{"type": "dashboard", "id": DemoDashboardUUID}},
		"rls_rules": []any{map[string]any{"dataset": 1, "clause": "access = 1"}},
		"iat":       float64(now.Unix()), "exp": float64(now.Add(time.Minute).Unix()),
		"aud": "superset", "type": "guest",
	}
}

func TestSupersetGuestTokens_test_create_guest_access_token(t *testing.T) {
	now := time.Date(2031, 5, 6, 7, 8, 9, 500_000_000, time.UTC)
	_, srv := testHost(t, func(c *Config) { c.Now = func() time.Time { return now } })
	body := guestBody(map[string]any{"dataset": 1, "clause": "access = 1"})
	body["user"] = map[string]any{"username": "test_guest"}
	c := decodeClaims(t, mint(t, srv.URL, body), DemoSecret)
	sameJSON(t, c["user"], body["user"])
	sameJSON(t, c["resources"], body["resources"])
	iat := float64(now.UnixMicro()) / 1e6
	if c["iat"] != iat || c["aud"] != "superset" || c["type"] != "guest" || math.Abs(c["exp"].(float64)-iat-300) > 1e-6 {
		t.Fatalf("claims %v", c)
	}
}

func TestSupersetGuestTokens_test_get_guest_user(t *testing.T) {
	_, srv := testHost(t, nil)
	body := guestBody()
	body["user"] = map[string]any{"username": "test_guest"}
	r := meRoles(t, srv.URL, mint(t, srv.URL, body)).Want(t, 200)
	if r.JSON["result"].(map[string]any)["username"] != "test_guest" {
		t.Fatalf("%s", r.Body)
	}
}

// attributesBody is a guest-token request whose user carries attributes.
func attributesBody(username string, attributes any) map[string]any {
	body := guestBody(map[string]any{"dataset": 1, "clause": "id = 1"})
	body["user"] = map[string]any{"username": username, "first_name": "Test", "last_name": "Guest", "attributes": attributes}
	return body
}

func TestSupersetGuestTokens_test_create_guest_access_token_with_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	attrs := map[string]any{"department": "Engineering", "region": "US", "clearance_level": "standard",
		"projects": []any{"analytics", "ml-platform"}, "team_lead": true}
	c := decodeClaims(t, mint(t, srv.URL, attributesBody("test_guest_attrs", attrs)), DemoSecret)
	sameJSON(t, c["user"].(map[string]any)["attributes"], attrs)
}

func TestSupersetGuestTokens_test_get_guest_user_with_attributes(t *testing.T) {
	h, srv := testHost(t, nil)
	attrs := map[string]any{"department": "Engineering", "region": "US", "role": "developer", "team": "data-platform"}
	tok := mint(t, srv.URL, attributesBody("test_guest_with_attrs", attrs))
	r := meRoles(t, srv.URL, tok).Want(t, 200)
	if r.JSON["result"].(map[string]any)["username"] != "test_guest_with_attrs" {
		t.Fatalf("%s", r.Body)
	}
	// The guest keeps its token's attributes.
	c, err := h.VerifyGuestToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, c.User.Attributes, attrs)
}

func TestSupersetGuestTokens_test_create_guest_access_token_without_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	body := attributesBody("test_guest_no_attrs", nil)
	delete(body["user"].(map[string]any), "attributes")
	u := decodeClaims(t, mint(t, srv.URL, body), DemoSecret)["user"].(map[string]any)
	if _, ok := u["attributes"]; ok || u["username"] != "test_guest_no_attrs" {
		t.Fatalf("user %v", u)
	}
}

func TestSupersetGuestTokens_test_create_guest_access_token_with_empty_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	u := decodeClaims(t, mint(t, srv.URL, attributesBody("test_guest_empty_attrs", map[string]any{})), DemoSecret)["user"].(map[string]any)
	if a, ok := u["attributes"].(map[string]any); !ok || len(a) != 0 {
		t.Fatalf("user %v", u)
	}
}

func TestSupersetGuestTokens_test_create_guest_access_token_with_null_attributes(t *testing.T) {
	_, srv := testHost(t, nil)
	u := decodeClaims(t, mint(t, srv.URL, attributesBody("test_guest_null_attrs", nil)), DemoSecret)["user"].(map[string]any)
	if a, ok := u["attributes"]; !ok || a != nil {
		t.Fatalf("user %v", u)
	}
}

func TestSupersetGuestTokens_test_get_guest_user_with_request_form(t *testing.T) {
	_, srv := testHost(t, nil)
	body := guestBody()
	body["user"] = map[string]any{"username": "test_guest"}
	tok := mint(t, srv.URL, body)
	// A CSV export posts a form: the token rides in a guest_token field.
	form := url.Values{
		"guest_token": {tok},
		"form_data": {toJSON(map[string]any{
			"datasource": map[string]any{"id": 1, "type": "table"},
			"form_data":  map[string]any{"slice_id": 1, "dashboardId": DemoDashboardID},
		})},
	}
	r := do(t, "POST", srv.URL+"/api/v1/chart/data", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").Want(t, 200)
	if len(r.JSON["result"].([]any)) != 1 {
		t.Fatalf("%s", r.Body)
	}
	// Only a form body carries it: the query string does not.
	do(t, "GET", srv.URL+"/api/v1/me/roles/?guest_token="+tok, nil).Want(t, 401)
}

func TestSupersetGuestTokens_test_get_guest_user_expired_token(t *testing.T) {
	now := time.Now()
	_, srv := testHost(t, func(c *Config) { c.Now = func() time.Time { return now } })
	expired := guestClaims(now.Add(-time.Hour), map[string]any{"username": "test_guest"})
	meRoles(t, srv.URL, handSigned(t, expired)).Want(t, 401)
	meRoles(t, srv.URL, handSigned(t, guestClaims(now, map[string]any{"username": "test_guest"}))).Want(t, 200)
}

func TestSupersetGuestTokens_test_get_guest_user_no_user(t *testing.T) {
	_, srv := testHost(t, nil)
	meRoles(t, srv.URL, handSigned(t, guestClaims(time.Now(), nil))).Want(t, 401)
}

func TestSupersetGuestTokens_test_get_guest_user_no_resource(t *testing.T) {
	_, srv := testHost(t, nil)
	c := guestClaims(time.Now(), map[string]any{"username": "test_guest"})
	c["resources"] = []any{}
	c["rls_rules"] = map[string]any{}
	// An empty list of resources is still a token: the guest exists, and
	// sees no dashboard.
	meRoles(t, srv.URL, handSigned(t, c)).Want(t, 200)
	do(t, "GET", srv.URL+"/api/v1/dashboard/1", nil, "X-GuestToken", handSigned(t, c)).Want(t, 403)
	delete(c, "resources")
	meRoles(t, srv.URL, handSigned(t, c)).Want(t, 401)
}

func TestSupersetGuestTokens_test_get_guest_user_not_guest_type(t *testing.T) {
	_, srv := testHost(t, nil)
	c := guestClaims(time.Now(), map[string]any{"username": "test_guest"})
	c["type"] = "not_guest"
	delete(c, "exp") // as in the source test: PyJWT does not require exp
	meRoles(t, srv.URL, handSigned(t, c)).Want(t, 401)
	c["type"] = "guest"
	meRoles(t, srv.URL, handSigned(t, c)).Want(t, 200)
}

func TestSupersetGuestTokens_test_get_guest_user_bad_audience(t *testing.T) {
	_, srv := testHost(t, nil)
	c := guestClaims(time.Now(), map[string]any{"username": "test_guest"})
	c["aud"] = "bad_audience"
	r := meRoles(t, srv.URL, handSigned(t, c)).Want(t, 401)
	if !strings.Contains(r.JSON["detail"].(string), "audience") {
		t.Fatalf("%s", r.Body)
	}
}

func TestSupersetGuestTokens_test_create_guest_access_token_callable_audience(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.Audience = "cool_code" })
	c := decodeClaims(t, mint(t, srv.URL, guestBody()), DemoSecret)
	if c["aud"] != "cool_code" || c["type"] != "guest" {
		t.Fatalf("claims %v", c)
	}
}
