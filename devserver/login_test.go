package devserver

import (
	"testing"
)

func TestLogin(t *testing.T) {
	_, srv := testHost(t, nil)
	url := srv.URL + "/api/v1/security/login"

	r := do(t, "POST", url, map[string]any{"username": "admin", "password": "admin", "provider": "db"}).Want(t, 200)
	if r.JSON["access_token"] == nil || r.JSON["refresh_token"] != nil {
		t.Fatalf("login without refresh: %s", r.Body)
	}
	r = do(t, "POST", url, map[string]any{"username": "admin", "password": "admin", "provider": "db", "refresh": true}).Want(t, 200)
	refresh, _ := r.JSON["refresh_token"].(string)
	if refresh == "" {
		t.Fatalf("login with refresh: %s", r.Body)
	}

	// Refresh trades the refresh token for an access token; an access token
	// is not a refresh token.
	r = do(t, "POST", srv.URL+"/api/v1/security/refresh", nil, "Authorization", "Bearer "+refresh).Want(t, 200)
	access := r.JSON["access_token"].(string)
	r = do(t, "POST", srv.URL+"/api/v1/security/refresh", nil, "Authorization", "Bearer "+access).Want(t, 422)
	if r.JSON["msg"] != "Only refresh tokens are allowed" {
		t.Fatalf("%s", r.Body)
	}
	do(t, "POST", srv.URL+"/api/v1/security/refresh", nil).Want(t, 401)

	cases := []struct {
		name   string
		body   any
		ctype  string
		status int
		msg    string
	}{
		{"not json", "{nope", "", 400, "Request payload is not JSON"},
		{"form encoded", "username=admin", "application/x-www-form-urlencoded", 400, "Request payload is not JSON"},
		{"wrong password", map[string]any{"username": "admin", "password": "x", "provider": "db"}, "", 401, "Not authorized"},
		{"unknown user", map[string]any{"username": "bob", "password": "admin", "provider": "db"}, "", 401, "Not authorized"},
		{"no provider", map[string]any{"username": "admin", "password": "admin"}, "", 401, "Not authorized"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hdr := []string{}
			if c.ctype != "" {
				hdr = []string{"Content-Type", c.ctype}
			}
			r := do(t, "POST", url, c.body, hdr...).Want(t, c.status)
			if r.JSON["message"] != c.msg {
				t.Fatalf("message %v, want %q", r.JSON["message"], c.msg)
			}
		})
	}

	// Schema errors name each field, marshmallow style.
	r = do(t, "POST", url, map[string]any{"password": 5, "provider": "saml", "refresh": "yes"}).Want(t, 400)
	msg := r.JSON["message"].(map[string]any)
	for field, want := range map[string]string{
		"username": "Missing data for required field.", "password": "Not a valid string.",
		"provider": "Must be one of: db, ldap.", "refresh": "Not a valid boolean.",
	} {
		got, _ := msg[field].([]any)
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s: %v, want [%q]", field, msg[field], want)
		}
	}
}
