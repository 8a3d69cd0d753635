package devserver

import (
	"strings"
	"testing"
	"time"
)

func TestPreset(t *testing.T) {
	h, srv := testHost(t, nil)
	r := do(t, "POST", srv.URL+"/v1/auth/", map[string]any{"name": "demo", "secret": "demo"}).Want(t, 200)
	access := r.JSON["payload"].(map[string]any)["access_token"].(string)
	do(t, "POST", srv.URL+"/v1/auth/", map[string]any{"name": "demo", "secret": "nope"}).Want(t, 401)
	r = do(t, "POST", srv.URL+"/v1/auth/", map[string]any{"name": 1}).Want(t, 400)
	if toJSON(r.JSON["message"]) != `{"name":["Not a valid string."],"secret":["Missing data for required field."]}` {
		t.Fatalf("%s", r.Body)
	}

	url := srv.URL + "/v1/teams/t1/workspaces/ws1/guest-token/"
	r = do(t, "POST", url, guestBody(), "Authorization", "Bearer "+access).Want(t, 200)
	tok := r.JSON["payload"].(map[string]any)["token"].(string)
	c, err := h.VerifyGuestToken(tok)
	if err != nil || c.ExpiresAt-c.IssuedAt != 300 && (c.ExpiresAt-c.IssuedAt < 299.99 || c.ExpiresAt-c.IssuedAt > 300.01) {
		t.Fatalf("%v %+v", err, c)
	}
	// A Superset access token is not a Preset one, and the reverse.
	do(t, "POST", url, guestBody(), "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 401)
	do(t, "POST", srv.URL+"/api/v1/security/guest_token/", guestBody(), "Authorization", "Bearer "+access).Want(t, 422)
	do(t, "POST", url, guestBody()).Want(t, 401)
	b := guestBody()
	b["resources"] = []map[string]any{{"type": "dashboard", "id": "nope"}}
	r = do(t, "POST", url, b, "Authorization", "Bearer "+access).Want(t, 400)
	if r.JSON["message"] != "EmbeddedDashboard not found." {
		t.Fatalf("%s", r.Body)
	}
}

func TestLuzmo(t *testing.T) {
	now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	_, srv := testHost(t, func(c *Config) { c.Now = func() time.Time { return now } })
	url := srv.URL + "/0.1.0/authorization"
	body := func(props map[string]any) map[string]any {
		p := map[string]any{
			"type": "embed", "username": "u-1", "name": "Una", "email": "una@example.com",
			"access": map[string]any{
				"collections": []any{map[string]any{"id": "col-1", "inheritRights": "use"}},
				"dashboards":  []any{map[string]any{"id": DemoDashboardUUID, "rights": "read"}},
			},
		}
		for k, v := range props {
			if v == nil {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		return map[string]any{"action": "create", "key": "demo-key", "token": "demo-token", "version": "0.1.0", "properties": p}
	}

	r := do(t, "POST", url, body(nil)).Want(t, 200)
	if r.JSON["id"] == "" || len(r.JSON["token"].(string)) != 64 || r.JSON["suborganization"] != "u-1" || r.JSON["role"] != "viewer" ||
		r.JSON["expiry"] != "2030-06-02T12:00:00Z" || r.JSON["inactivity_interval"] != 0.0 {
		t.Fatalf("%s", r.Body)
	}
	ext := r.JSON["dashembed"].(map[string]any)
	if toJSON(ext["guest_token_resources"]) != `[{"id":"`+DemoDashboardUUID+`","type":"dashboard"}]` {
		t.Fatalf("%v", ext)
	}
	r = do(t, "POST", url, body(map[string]any{"role": "designer", "suborganization": "org", "expiry": "2031-01-01T00:00:00Z", "inactivity_interval": 120})).Want(t, 200)
	if r.JSON["role"] != "designer" || r.JSON["suborganization"] != "org" || r.JSON["expiry"] != "2031-01-01T00:00:00Z" {
		t.Fatalf("%s", r.Body)
	}

	bad := []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"expiry": "tomorrow"}, "RFC 3339"},
		{map[string]any{"expiry": "2030-01-01T00:00:00Z"}, "in the past"},
		{map[string]any{"expiry": "2031-06-02T12:00:00Z"}, "more than one year"},
		{map[string]any{"inactivity_interval": 60}, "at least 120"},
		{map[string]any{"inactivity_interval": "x"}, "whole number"},
		{map[string]any{"role": "admin"}, "viewer, designer or owner"},
		{map[string]any{"username": nil}, "username is required"},
		{map[string]any{"email": "nope"}, "not an e-mail"},
		{map[string]any{"type": "login"}, `type must be "embed"`},
		{map[string]any{"access": map[string]any{}}, "at least one"},
		{map[string]any{"access": nil}, "access is required"},
		{map[string]any{"access": map[string]any{"datasets": []any{map[string]any{"id": "d", "rights": "write"}}}}, "read, use, modify, own"},
		{map[string]any{"access": map[string]any{"dashboards": "x"}}, "must be a list"},
	}
	for _, c := range bad {
		r := do(t, "POST", url, body(c.props)).Want(t, 400)
		if !strings.Contains(r.JSON["message"].(string), c.want) || r.JSON["type"].(map[string]any)["code"] != 400.0 {
			t.Errorf("%v: %s", c.props, r.Body)
		}
	}
	b := body(nil)
	b["token"] = "wrong"
	do(t, "POST", url, b).Want(t, 401)
	delete(b, "key")
	do(t, "POST", url, b).Want(t, 401)
	b = body(nil)
	b["action"] = "get"
	do(t, "POST", url, b).Want(t, 400)
	b = body(nil)
	b["properties"] = "x"
	do(t, "POST", url, b).Want(t, 400)
	do(t, "POST", url, "nope").Want(t, 400)
}
