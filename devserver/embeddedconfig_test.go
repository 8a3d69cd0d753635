package devserver

import (
	"net/http"
	"testing"
)

func TestEmbeddedConfigCRUD(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, Slug: "fresh", Title: "Fresh"})
	})
	auth := []string{"Authorization", "Bearer " + login(t, srv.URL)}
	url := srv.URL + "/api/v1/dashboard/fresh/embedded"

	do(t, "GET", url, nil, auth...).Want(t, 404)
	do(t, "GET", url, nil).Want(t, 401)
	do(t, "POST", url, map[string]any{"allowed_domains": []string{"http://a.example"}}).Want(t, 401)

	r := do(t, "POST", url, map[string]any{"allowed_domains": []string{"http://a.example"}}, auth...).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	uuid, _ := res["uuid"].(string)
	if len(uuid) != 36 || res["dashboard_id"] != "2" || toJSON(res["allowed_domains"]) != `["http://a.example"]` || res["changed_on"] == "" {
		t.Fatalf("%s", r.Body)
	}
	// Upsert keeps the UUID, also when addressed by id.
	r = do(t, "PUT", srv.URL+"/api/v1/dashboard/2/embedded", map[string]any{"allowed_domains": []string{}}, auth...).Want(t, 200)
	if r.JSON["result"].(map[string]any)["uuid"] != uuid {
		t.Fatalf("uuid changed: %s", r.Body)
	}
	r = do(t, "GET", url, nil, auth...).Want(t, 200)
	if r.JSON["result"].(map[string]any)["uuid"] != uuid {
		t.Fatal("GET disagrees")
	}
	// Now embeddable, and tokens can be minted for it.
	do(t, "GET", srv.URL+"/embedded/"+uuid, nil).Want(t, 200)
	b := guestBody()
	b["resources"] = []map[string]any{{"type": "dashboard", "id": uuid}}
	mint(t, srv.URL, b)

	r = do(t, "DELETE", url, nil, auth...).Want(t, 200)
	if r.JSON["message"] != "OK" {
		t.Fatalf("%s", r.Body)
	}
	do(t, "GET", url, nil, auth...).Want(t, 404)
	do(t, "GET", srv.URL+"/embedded/"+uuid, nil).Want(t, 404)

	// Bad input.
	do(t, "POST", url, map[string]any{}, auth...).Want(t, 400)
	do(t, "POST", url, map[string]any{"allowed_domains": "x"}, auth...).Want(t, 400)
	r = do(t, "POST", url, map[string]any{"allowed_domains": []any{1, ""}}, auth...).Want(t, 400)
	if toJSON(r.JSON["message"]) != `{"allowed_domains":{"0":["Not a valid string."],"1":["Not a valid domain."]}}` {
		t.Fatalf("%s", r.Body)
	}
	do(t, "POST", srv.URL+"/api/v1/dashboard/nope/embedded", map[string]any{"allowed_domains": []string{}}, auth...).Want(t, 404)
	do(t, "DELETE", srv.URL+"/api/v1/dashboard/nope/embedded", nil, auth...).Want(t, 404)
	do(t, "PATCH", url, nil, auth...).Want(t, 405)
}

func TestCSRFToken(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.StrictCSRF = true })
	access := "Bearer " + login(t, srv.URL)
	do(t, "GET", srv.URL+"/api/v1/security/csrf_token/", nil).Want(t, 401)
	r := do(t, "GET", srv.URL+"/api/v1/security/csrf_token/", nil, "Authorization", access).Want(t, 200)
	tok := r.JSON["result"].(string)
	cookies := (&http.Response{Header: r.Header}).Cookies()
	if len(cookies) != 1 || cookies[0].Name != "session" {
		t.Fatalf("cookies %v", cookies)
	}
	sid := cookies[0].Value
	gt := srv.URL + "/api/v1/security/guest_token/"
	do(t, "POST", gt, guestBody(), "Authorization", access).Want(t, 400)
	do(t, "POST", gt, guestBody(), "Authorization", access, "X-CSRFToken", tok).Want(t, 400)
	do(t, "POST", gt, guestBody(), "Authorization", access, "X-CSRFToken", "wrong", "Cookie", "session="+sid).Want(t, 400)
	do(t, "POST", gt, guestBody(), "Authorization", access, "X-CSRFToken", tok, "Cookie", "session="+sid).Want(t, 200)
	// Permission is checked before CSRF, as in Superset.
	do(t, "POST", gt, guestBody(), "X-CSRFToken", tok, "Cookie", "session="+sid).Want(t, 401)
}

func TestPermalinks(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, UUID: "11111111-2222-4333-8444-555555555555", Title: "Two"})
	})
	tok := mint(t, srv.URL, guestBody())
	state := map[string]any{"dataMask": map[string]any{"NATIVE_FILTER-region": map[string]any{}}, "activeTabs": []string{"TAB-details"}, "anchor": "chart-2"}
	r := do(t, "POST", srv.URL+"/api/v1/dashboard/1/permalink", state, "X-GuestToken", tok).Want(t, 201)
	key := r.JSON["key"].(string)
	if r.JSON["url"] != srv.URL+"/superset/dashboard/p/"+key+"/" {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "GET", srv.URL+"/api/v1/dashboard/permalink/"+key, nil, "X-GuestToken", tok).Want(t, 200)
	if r.JSON["dashboardId"] != "1" || toJSON(r.JSON["state"].(map[string]any)["activeTabs"]) != `["TAB-details"]` {
		t.Fatalf("%s", r.Body)
	}
	do(t, "GET", srv.URL+"/superset/dashboard/p/"+key+"/", nil).Want(t, 200)
	do(t, "GET", srv.URL+"/superset/dashboard/p/nope/", nil).Want(t, 404)
	do(t, "GET", srv.URL+"/api/v1/dashboard/permalink/nope", nil, "X-GuestToken", tok).Want(t, 404)
	do(t, "POST", srv.URL+"/api/v1/dashboard/2/permalink", state, "X-GuestToken", tok).Want(t, 403)
	do(t, "POST", srv.URL+"/api/v1/dashboard/1/permalink", map[string]any{"dataMask": 1, "activeTabs": "x", "anchor": 3}, "X-GuestToken", tok).Want(t, 400)

	other := guestBody()
	other["resources"] = []map[string]any{{"type": "dashboard", "id": "2"}}
	do(t, "GET", srv.URL+"/api/v1/dashboard/permalink/"+key, nil, "X-GuestToken", mint(t, srv.URL, other)).Want(t, 403)
}
