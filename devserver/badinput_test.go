package devserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBadInputNeverPanics sends malformed, mistyped, oversized, unauthorised
// and wrongly-routed requests to every endpoint. Each must get a 4xx JSON
// error that says something, and none may reach the recover middleware
// (testHost fails the test if one does).
func TestBadInputNeverPanics(t *testing.T) {
	h, srv := testHost(t, func(c *Config) { c.MaxBodyBytes = 4096 })
	access := "Bearer " + login(t, srv.URL)
	guest := mint(t, srv.URL, guestBody())
	preset := do(t, "POST", srv.URL+"/v1/auth/", map[string]any{"name": "demo", "secret": "demo"}).Want(t, 200).
		JSON["payload"].(map[string]any)["access_token"].(string)

	type ep struct {
		method, path string
		auth         []string
	}
	bodied := []ep{
		{"POST", "/api/v1/security/login", nil},
		{"POST", "/api/v1/security/guest_token/", []string{"Authorization", access}},
		{"POST", "/api/v1/dashboard/1/embedded", []string{"Authorization", access}},
		{"PUT", "/api/v1/dashboard/1/embedded", []string{"Authorization", access}},
		{"POST", "/api/v1/dashboard/1/permalink", []string{"X-GuestToken", guest}},
		{"POST", "/api/v1/chart/data", []string{"X-GuestToken", guest}},
		{"POST", "/v1/auth/", nil},
		{"POST", "/v1/teams/t/workspaces/w/guest-token/", []string{"Authorization", "Bearer " + preset}},
		{"POST", "/0.1.0/authorization", nil},
		{"POST", "/__dashembed/faults", nil},
		{"POST", "/__dashembed/report", nil},
	}
	big := `{"x":"` + strings.Repeat("a", 5000) + `"}`
	for _, e := range bodied {
		for name, body := range map[string]string{
			"malformed": `{"a":`, "array": `[1,2]`, "string": `"x"`, "number": `5`, "null": `null`,
			"wrong types":  `{"username":1,"password":[],"user":5,"resources":{},"rls":"x","form_data":[],"allowed_domains":{},"action":7,"properties":[],"name":{},"secret":null,"dataMask":3,"event":[]}`,
			"nested wrong": `{"user":{"username":{}},"resources":[{"type":[],"id":{}}],"rls":[{"dataset":1.5,"clause":null}],"form_data":{"slice_id":1.5},"queries":[{"filters":[{"col":1,"op":2,"val":{}}]}],"properties":{"access":{"dashboards":[{"id":1,"rights":2}]}},"allowed_domains":[null]}`,
			"too big":      big, "empty": ``,
		} {
			// Two bodies are legitimately fine: unknown keys are ignored by
			// the permalink API, and an empty fault body clears the faults.
			if (name == "nested wrong" && strings.HasSuffix(e.path, "/permalink")) || (name == "empty" && e.path == "/__dashembed/faults") {
				continue
			}
			t.Run(e.method+e.path+"/"+name, func(t *testing.T) {
				r := do(t, e.method, srv.URL+e.path, body, e.auth...)
				if r.Status < 400 || r.Status >= 500 {
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				if name == "too big" && r.Status != http.StatusRequestEntityTooLarge {
					t.Fatalf("too big: %d %s", r.Status, r.Body)
				}
				if r.JSON == nil || r.JSON["message"] == nil || toJSON(r.JSON["message"]) == `""` {
					t.Fatalf("no JSON message: %s", r.Body)
				}
			})
		}
	}

	// Missing auth, wrong methods, unknown routes and dashboards. Routes
	// behind Superset's JWT layer answer in its {"msg": ...} shape.
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"POST", "/api/v1/security/guest_token/", 401},
		{"POST", "/api/v1/security/refresh", 401},
		{"GET", "/api/v1/security/csrf_token/", 401},
		{"GET", "/api/v1/dashboard/1/embedded", 401},
		{"DELETE", "/api/v1/dashboard/1/embedded", 401},
		{"GET", "/api/v1/embedded_dashboard/" + DemoDashboardUUID, 401},
		{"GET", "/api/v1/me/roles/", 401},
		{"GET", "/api/v1/dashboard/1", 401},
		{"GET", "/api/v1/dashboard/1/charts", 401},
		{"GET", "/api/v1/dashboard/1/datasets", 401},
		{"GET", "/api/v1/dashboard/permalink/x", 401},
		{"GET", "/api/v1/datasource/table/1/column/region/values/", 401},
		{"POST", "/api/v1/chart/data", 401},
		{"POST", "/v1/teams/t/workspaces/w/guest-token/", 401},
		{"GET", "/api/v1/security/login", 405},
		{"DELETE", "/api/v1/me/roles/", 405},
		{"PUT", "/api/v1/chart/data", 405},
		{"GET", "/0.1.0/authorization", 405},
		{"GET", "/api/v1/nope", 404},
		{"GET", "/embedded/nope", 404},
		{"GET", "/static/assets/dashembed.js", 404},
	} {
		r := do(t, c.method, srv.URL+c.path, nil)
		key := "message"
		if c.status == 401 && (strings.Contains(c.path, "/security/") || strings.Contains(c.path, "embedded")) {
			key = "msg"
		}
		if r.Status != c.status || r.JSON[key] == nil {
			t.Errorf("%s %s: %d %s, want %d with a %q", c.method, c.path, r.Status, r.Body, c.status, key)
		}
		if c.status == 405 && r.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.path)
		}
	}
	if n := h.panics.Load(); n != 0 {
		t.Fatalf("%d panics", n)
	}
}

// TestRecoverAnswersRealBugs proves the middleware turns a bug into a 500
// JSON error and counts it.
func TestRecoverAnswersRealBugs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ReloadPoll = -1
	h, err := NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.router.Handle("GET", "/bug", func(http.ResponseWriter, *http.Request) { panic("a bug") })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/bug", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Internal server error") || h.panics.Load() != 1 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestIndex(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/", nil).Want(t, 200)
	if !strings.Contains(string(r.Body), "/embedded/"+DemoDashboardUUID) {
		t.Fatalf("%s", r.Body)
	}
}

func TestConfigValidation(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"no secret":     func(c *Config) { c.Secret = "" },
		"bad algorithm": func(c *Config) { c.Algorithm = "RS256" },
		"bad framing":   func(c *Config) { c.Framing = "maybe" },
		"negative life": func(c *Config) { c.TokenLifetime = -1 },
		"dup slug":      func(c *Config) { c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, Slug: "sales"}) },
		"dup id":        func(c *Config) { c.Dashboards = append(c.Dashboards, Dashboard{ID: 1}) },
		"zero id":       func(c *Config) { c.Dashboards = append(c.Dashboards, Dashboard{Slug: "x"}) },
	} {
		cfg := DefaultConfig()
		mutate(&cfg)
		if h, err := NewBIHost(cfg); err == nil {
			h.Close()
			t.Errorf("%s accepted", name)
		}
	}
	// A hand-built config gets the defaults.
	h, err := NewBIHost(Config{Secret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	c := h.Config()
	if c.Algorithm != "HS256" || c.Audience != "superset" || c.TokenLifetime.Seconds() != 300 || c.TokenHeader != "X-GuestToken" || c.Framing != FramingCSP {
		t.Fatalf("%+v", c)
	}
}
