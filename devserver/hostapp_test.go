package devserver

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// testApp starts a host app against a BI host.
func testApp(t *testing.T, bi string, mutate func(*HostAppConfig)) string {
	t.Helper()
	cfg := HostAppConfig{BIURL: bi, DashboardID: DemoDashboardUUID, Username: "admin", Password: "admin"}
	if mutate != nil {
		mutate(&cfg)
	}
	app, err := NewHostApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestHostApp(t *testing.T) {
	h, bi := testHost(t, nil)
	app := testApp(t, bi.URL, nil)

	r := do(t, "GET", app+"/", nil).want(t, 200)
	page := string(r.body)
	for _, want := range []string{`<script src="` + bi.URL + `/static/assets/embedded.js"></script>`, `id="dashboard"`, `id="embed-status"`, DemoDashboardUUID,
		`<option value="globex">`, `<option value="all">`, `"tenants":["acme","globex","initech"]`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	r = do(t, "GET", app+"/static/hostapp.js", nil).want(t, 200)
	js := string(r.body)
	for _, want := range []string{"embedDashboard", "supersetDomain", "fetchGuestToken", "/api/guest-token", "hideTitle: true", "expanded: false",
		"tenant: forTenant", "unmount()"} {
		if !strings.Contains(js, want) {
			t.Errorf("hostapp.js lacks %s", want)
		}
	}

	r = do(t, "POST", app+"/api/guest-token", nil).want(t, 200)
	c, err := h.VerifyGuestToken(r.json["token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if c.User.Username != "demo-viewer" || c.Resources[0].ID != DemoDashboardUUID || c.RLSRules[0].Clause != "tenant = 'acme'" {
		t.Fatalf("claims %+v", c)
	}
	// Failures of the BI host pass through with its status and message.
	h.SetFaults(Faults{GuestTokenFail: 1})
	r = do(t, "POST", app+"/api/guest-token", nil).want(t, 503)
	if !strings.Contains(r.json["message"].(string), "guest_token_fail") {
		t.Fatalf("%s", r.body)
	}
	do(t, "POST", app+"/api/guest-token", nil).want(t, 200)

	// The fault proxy.
	r = do(t, "POST", app+"/api/faults", map[string]any{"spec": "slow=1ms"}).want(t, 200)
	if r.json["spec"] != "slow=1ms" || h.faults.get().Slow == 0 {
		t.Fatalf("%s", r.body)
	}
	do(t, "POST", app+"/api/faults", map[string]any{"spec": "nonsense"}).want(t, 400)
	do(t, "POST", app+"/api/faults", map[string]any{"spec": ""}).want(t, 200)
	if h.faults.get() != (Faults{}) {
		t.Fatal("faults not cleared")
	}

	do(t, "GET", app+"/api/guest-token", nil).want(t, 405)
	do(t, "GET", app+"/nope", nil).want(t, 404)
	do(t, "GET", app+"/static/embedded.js", nil).want(t, 404)

	bad := testApp(t, bi.URL, func(c *HostAppConfig) { c.Password = "wrong" })
	r = do(t, "POST", bad+"/api/guest-token", nil).want(t, 401)
	if !strings.Contains(r.json["message"].(string), "Not authorized") {
		t.Fatalf("%s", r.body)
	}
	custom := testApp(t, bi.URL, func(c *HostAppConfig) {
		c.SDKURL = "http://cdn.example/sdk.js"
		c.Tenants = []string{}
		c.User = GuestUser{Username: "u2"}
	})
	if !strings.Contains(string(do(t, "GET", custom+"/", nil).body), `src="http://cdn.example/sdk.js"`) {
		t.Fatal("SDKURL ignored")
	}
	c, _ = h.VerifyGuestToken(do(t, "POST", custom+"/api/guest-token", nil).want(t, 200).json["token"].(string))
	if len(c.RLSRules) != 0 || c.User.Username != "u2" {
		t.Fatalf("%+v", c)
	}
}

// mintFor asks the host app for a token and returns it with its claims.
func mintFor(t *testing.T, h *BIHost, app string, body any) (string, *GuestClaims) {
	t.Helper()
	r := do(t, "POST", app+"/api/guest-token", body).want(t, 200)
	tok := r.json["token"].(string)
	c, err := h.VerifyGuestToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	return tok, c
}

// second drops a token, keeping its claims.
func second(_ string, c *GuestClaims) *GuestClaims { return c }

// lastSeq is the sequence number of the BI host's latest event.
func lastSeq(h *BIHost) int64 {
	evs := h.Events()
	if len(evs) == 0 {
		return 0
	}
	return evs[len(evs)-1].Seq
}

// clauses lists the RLS clauses of a token's claims.
func clauses(c *GuestClaims) []string {
	out := []string{}
	for _, r := range c.RLSRules {
		out = append(out, r.Clause)
	}
	return out
}

func TestHostAppTenantSwitch(t *testing.T) {
	h, bi := testHost(t, nil)
	app := testApp(t, bi.URL, nil)

	totals := map[string]float64{}
	for _, tc := range []struct {
		body any
		key  string
		want []string
	}{
		{nil, "default", []string{"tenant = 'acme'"}},
		{map[string]any{}, "empty", []string{"tenant = 'acme'"}},
		{map[string]any{"tenant": "acme"}, "acme", []string{"tenant = 'acme'"}},
		{map[string]any{"tenant": "globex"}, "globex", []string{"tenant = 'globex'"}},
		{map[string]any{"tenant": "initech"}, "initech", []string{"tenant = 'initech'"}},
		{map[string]any{"tenant": AllTenants}, AllTenants, []string{}},
	} {
		tok, c := mintFor(t, h, app, tc.body)
		if got := clauses(c); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: clauses %q, want %q", tc.key, got, tc.want)
		}
		// The token's RLS is what the dashboard's numbers follow.
		totals[tc.key] = total(t, chartData(t, bi.URL, tok, 1, nil).want(t, 200))
	}
	for _, name := range seedTenants {
		if want := oracle(t, h, "tenant = '"+name+"'"); totals[name] != want || want == 0 {
			t.Errorf("%s total %v, want %v", name, totals[name], want)
		}
	}
	if totals["acme"] == totals["globex"] || totals[AllTenants] != totals["acme"]+totals["globex"]+totals["initech"] {
		t.Errorf("totals %v", totals)
	}

	// Anything but a known tenant is refused before the BI host is asked:
	// the clause is never built from what the browser sent.
	before := lastSeq(h)
	for _, body := range []any{
		map[string]any{"tenant": "umbrella"},
		map[string]any{"tenant": "acme' OR 1=1 --"},
		map[string]any{"tenant": "ACME"},
		map[string]any{"tenant": ""},
		map[string]any{"tenant": 7},
		map[string]any{"tenant": []any{"acme"}},
		`{"tenant": "acme"`,
		`["acme"]`,
	} {
		r := do(t, "POST", app+"/api/guest-token", body).want(t, 400)
		if r.header.Get("Content-Type") != "application/json; charset=utf-8" || r.json["message"] == nil {
			t.Errorf("%v: answered %s %q", body, r.header.Get("Content-Type"), r.body)
		}
	}
	r := do(t, "POST", app+"/api/guest-token", map[string]any{"tenant": "acme' OR 1=1 --"}).want(t, 400)
	if msg, _ := r.json["message"].(string); !strings.Contains(msg, "Unknown tenant") || !strings.Contains(msg, "acme, globex, initech or all") {
		t.Errorf("message %q", msg)
	}
	if after := lastSeq(h); after != before {
		t.Errorf("refused requests reached the BI host (%d new events)", after-before)
	}

	// Tenant names are quoted into the clause, extra rules come first.
	quoted := testApp(t, bi.URL, func(c *HostAppConfig) {
		c.Tenants = []string{"o'reilly", "acme"}
		c.TenantColumn = "orders.tenant"
		c.RLS = []RLSRule{{Clause: "region = 'North'"}}
	})
	if got := clauses(second(mintFor(t, h, quoted, nil))); strings.Join(got, "|") != "region = 'North'|orders.tenant = 'o''reilly'" {
		t.Errorf("clauses %q", got)
	}
	if got := clauses(second(mintFor(t, h, quoted, map[string]any{"tenant": AllTenants}))); strings.Join(got, "|") != "region = 'North'" {
		t.Errorf("clauses %q", got)
	}
	do(t, "POST", quoted+"/api/guest-token", map[string]any{"tenant": "globex"}).want(t, 400)

	// Configuration that could not make a safe clause is refused up front.
	for _, mutate := range []func(*HostAppConfig){
		func(c *HostAppConfig) { c.Tenants = []string{"acme", AllTenants} },
		func(c *HostAppConfig) { c.Tenants = []string{"acme", "acme"} },
		func(c *HostAppConfig) { c.Tenants = []string{`back\slash`} },
		func(c *HostAppConfig) { c.TenantColumn = "tenant = 'x' OR 1" },
		func(c *HostAppConfig) { c.Username = "" },
	} {
		cfg := HostAppConfig{BIURL: bi.URL, DashboardID: DemoDashboardUUID, Username: "admin", Password: "admin"}
		mutate(&cfg)
		if _, err := NewHostApp(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}

func TestHostAppStrictCSRF(t *testing.T) {
	_, bi := testHost(t, func(c *Config) { c.StrictCSRF = true })
	plain := testApp(t, bi.URL, nil)
	r := do(t, "POST", plain+"/api/guest-token", nil).want(t, 400)
	if !strings.Contains(r.json["message"].(string), "CSRF token is missing") {
		t.Fatalf("%s", r.body)
	}
	strict := testApp(t, bi.URL, func(c *HostAppConfig) { c.CSRF = true })
	do(t, "POST", strict+"/api/guest-token", nil).want(t, 200)
}

func TestNewHostAppValidation(t *testing.T) {
	for _, c := range []HostAppConfig{
		{BIURL: "", DashboardID: "x"},
		{BIURL: "ftp://x", DashboardID: "x"},
		{BIURL: "http://127.0.0.1:1"},
	} {
		if _, err := NewHostApp(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
