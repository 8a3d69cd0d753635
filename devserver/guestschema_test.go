package devserver

import (
	"testing"
)

// TestGuestTokenSchemaCoercions checks the guest-token body against
// Superset's GuestTokenCreateSchema as marshmallow loads it: lax integers,
// Superset's messages and nesting, and the defaults a guest gets.
func TestGuestTokenSchemaCoercions(t *testing.T) {
	_, srv := testHost(t, nil)
	access := "Bearer " + login(t, srv.URL)
	post := func(body map[string]any) response {
		return do(t, "POST", guestTokenURL(srv.URL), body, "Authorization", access)
	}

	// marshmallow's Integer takes "7" and truncates 7.9; the token carries
	// the integer.
	for _, v := range []any{"7", " 7 ", 7.9, "+7"} {
		r := post(guestBody(map[string]any{"dataset": v, "clause": "1=1"})).Want(t, 200)
		c := decodeClaims(t, r.JSON["token"].(string), DemoSecret)
		if got := c["rls_rules"].([]any)[0].(map[string]any)["dataset"]; got != 7.0 {
			t.Errorf("dataset %v became %v, want 7", v, got)
		}
	}

	// Superset's messages, nested as marshmallow nests them.
	cases := []struct {
		name  string
		edit  func(map[string]any)
		field string
		want  string
	}{
		{"dataset not a number", func(b map[string]any) { b["rls"] = []any{map[string]any{"dataset": "7.5", "clause": "x"}} }, "rls", `{"0":{"dataset":["Not a valid integer."]}}`},
		{"dataset true", func(b map[string]any) { b["rls"] = []any{map[string]any{"dataset": true, "clause": "x"}} }, "rls", `{"0":{"dataset":["Not a valid integer."]}}`},
		{"dataset null", func(b map[string]any) { b["rls"] = []any{map[string]any{"dataset": nil, "clause": "x"}} }, "rls", `{"0":{"dataset":["Field may not be null."]}}`},
		{"user null", func(b map[string]any) { b["user"] = nil }, "user", `["Field may not be null."]`},
		{"user a string", func(b map[string]any) { b["user"] = "bob" }, "user", `{"_schema":["Invalid input type."]}`},
		{"attributes a list", func(b map[string]any) { b["user"] = map[string]any{"attributes": []any{1}} }, "user", `{"attributes":["Not a valid mapping type."]}`},
		{"resources null", func(b map[string]any) { b["resources"] = nil }, "resources", `["Field may not be null."]`},
		{"resource type null", func(b map[string]any) { b["resources"] = []any{map[string]any{"type": nil, "id": "1"}} }, "resources", `{"0":{"type":["Field may not be null."]}}`},
		{"resource type a number", func(b map[string]any) { b["resources"] = []any{map[string]any{"type": 1, "id": "1"}} }, "resources", `{"0":{"type":["Must be one of: dashboard."]}}`},
	}
	for _, c := range cases {
		b := guestBody()
		c.edit(b)
		r := post(b).Want(t, 400)
		if got := toJSON(r.JSON["message"].(map[string]any)[c.field]); got != c.want {
			t.Errorf("%s: %s is %s, want %s", c.name, c.field, got, c.want)
		}
	}

	// user {} mints a token with user {}; the guest then gets Superset's
	// defaults, and so does current_username() in RLS clauses.
	b := guestBody(map[string]any{"clause": "tenant = {{ current_username() }}"})
	b["user"] = map[string]any{}
	tok := post(b).Want(t, 200).JSON["token"].(string)
	if u := decodeClaims(t, tok, DemoSecret)["user"]; toJSON(u) != "{}" {
		t.Fatalf("user claim %s", toJSON(u))
	}
	r := meRoles(t, srv.URL, tok).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	if res["username"] != "guest_user" || res["firstName"] != "Guest" || res["lastName"] != "User" {
		t.Fatalf("%s", r.Body)
	}
	if w := chartData(t, srv.URL, tok, 1, nil).Want(t, 200).JSON["result"].([]any)[0].(map[string]any)["where"]; w != "(tenant = 'guest_user')" {
		t.Fatalf("where %v", w)
	}
}

// TestMeRolesShape checks /api/v1/me/roles/ against the bootstrap data
// Superset gives a guest: exactly its keys, and a role without data
// permissions.
func TestMeRolesShape(t *testing.T) {
	_, srv := testHost(t, nil)
	r := meRoles(t, srv.URL, mint(t, srv.URL, guestBody())).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	if got := keysOf(res); got != "firstName,groups,isActive,isAnonymous,lastName,permissions,roles,username" {
		t.Fatalf("keys %s", got)
	}
	if res["username"] != "viewer" || res["firstName"] != "Vi" || res["isAnonymous"] != false || toJSON(res["permissions"]) != "{}" {
		t.Fatalf("%s", r.Body)
	}
}
