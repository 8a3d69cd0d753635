package hostapp

import (
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/internal/data"
	"github.com/dashembed/dashembed/devserver/internal/testkit"
	"github.com/dashembed/dashembed/guesttoken"
)

// These tests run the app against a real mock BI host on its own origin,
// as dashembed-dev does.

// do sends a request; body may be a string (sent as is), nil, or a value
// encoded as JSON. Headers are given as name, value pairs.
var do = testkit.Do

// startBI starts a mock BI host with DefaultConfig changed by mutate. A
// request that reaches its recover middleware (a bug, which it logs as an
// error) fails the test.
func startBI(t *testing.T, mutate func(*devserver.Config)) (*devserver.BIHost, *httptest.Server) {
	t.Helper()
	var logs testkit.LogBuffer
	cfg := devserver.DefaultConfig()
	cfg.ReloadPoll = -1
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := devserver.NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
		if strings.Contains(logs.String(), "panic serving request") {
			t.Errorf("a request reached the BI host's recover middleware:\n%s", logs.String())
		}
	})
	return h, srv
}

// testApp starts a host app against a BI host.
func testApp(t *testing.T, bi string, mutate func(*Config)) string {
	t.Helper()
	cfg := Config{BIURL: bi, DashboardID: devserver.DemoDashboardUUID, Username: "admin", Password: "admin"}
	if mutate != nil {
		mutate(&cfg)
	}
	app, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return srv.URL
}

// total runs the big-number chart (chart 1, over dataset 1) on the BI host
// with tok and reads its revenue: what the dashboard shows.
func total(t *testing.T, bi, tok string) float64 {
	t.Helper()
	body := map[string]any{
		"datasource": map[string]any{"id": 1, "type": "table"},
		"form_data":  map[string]any{"slice_id": 1, "dashboardId": devserver.DemoDashboardID},
		"queries":    []any{map[string]any{"filters": nil}},
	}
	r := do(t, "POST", bi+"/api/v1/chart/data", body, "X-GuestToken", tok).Want(t, 200)
	res := r.JSON["result"].([]any)[0].(map[string]any)
	v, _ := res["data"].([]any)[0].(map[string]any)["revenue"].(float64)
	return v
}

// oracle sums revenue with a hand-written WHERE on a freshly seeded demo
// database: the seed is deterministic, so it holds what the BI host's does.
func oracle(t *testing.T, where string) float64 {
	t.Helper()
	s, err := data.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v float64
	if err := s.DB().QueryRow("SELECT COALESCE(SUM(revenue), 0) FROM orders WHERE " + where).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestHostApp(t *testing.T) {
	h, bi := startBI(t, nil)
	app := testApp(t, bi.URL, nil)

	r := do(t, "GET", app+"/", nil).Want(t, 200)
	page := string(r.Body)
	for _, want := range []string{`<script src="` + bi.URL + `/static/assets/embedded.js"></script>`, `id="dashboard"`, `id="embed-status"`, devserver.DemoDashboardUUID,
		`<option value="globex">`, `<option value="all">`, `"tenants":["acme","globex","initech"]`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	r = do(t, "GET", app+"/static/hostapp.js", nil).Want(t, 200)
	js := string(r.Body)
	for _, want := range []string{"embedDashboard", "supersetDomain", "fetchGuestToken", "/api/guest-token", "hideTitle: true", "expanded: false",
		"tenant: forTenant", "unmount()"} {
		if !strings.Contains(js, want) {
			t.Errorf("hostapp.js lacks %s", want)
		}
	}

	r = do(t, "POST", app+"/api/guest-token", nil).Want(t, 200)
	c, err := h.VerifyGuestToken(r.JSON["token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if c.User.Username != "demo-viewer" || c.Resources[0].ID != devserver.DemoDashboardUUID || c.RLSRules[0].Clause != "tenant = 'acme'" {
		t.Fatalf("claims %+v", c)
	}
	// Failures of the BI host pass through with its status and message.
	h.SetFaults(devserver.Faults{GuestTokenFail: 1})
	r = do(t, "POST", app+"/api/guest-token", nil).Want(t, 503)
	if !strings.Contains(r.JSON["message"].(string), "guest_token_fail") {
		t.Fatalf("%s", r.Body)
	}
	do(t, "POST", app+"/api/guest-token", nil).Want(t, 200)

	// The fault proxy.
	r = do(t, "POST", app+"/api/faults", map[string]any{"spec": "slow=1ms"}).Want(t, 200)
	if r.JSON["spec"] != "slow=1ms" || h.Faults().Slow == 0 {
		t.Fatalf("%s", r.Body)
	}
	do(t, "POST", app+"/api/faults", map[string]any{"spec": "nonsense"}).Want(t, 400)
	do(t, "POST", app+"/api/faults", map[string]any{"spec": ""}).Want(t, 200)
	if h.Faults() != (devserver.Faults{}) {
		t.Fatal("faults not cleared")
	}

	do(t, "GET", app+"/api/guest-token", nil).Want(t, 405)
	do(t, "GET", app+"/nope", nil).Want(t, 404)
	do(t, "GET", app+"/static/embedded.js", nil).Want(t, 404)

	bad := testApp(t, bi.URL, func(c *Config) { c.Password = "wrong" })
	r = do(t, "POST", bad+"/api/guest-token", nil).Want(t, 401)
	if !strings.Contains(r.JSON["message"].(string), "Not authorized") {
		t.Fatalf("%s", r.Body)
	}
	custom := testApp(t, bi.URL, func(c *Config) {
		c.SDKURL = "http://cdn.example/sdk.js"
		c.Tenants = []string{}
		c.User = guesttoken.User{Username: "u2"}
	})
	if !strings.Contains(string(do(t, "GET", custom+"/", nil).Body), `src="http://cdn.example/sdk.js"`) {
		t.Fatal("SDKURL ignored")
	}
	c, _ = h.VerifyGuestToken(do(t, "POST", custom+"/api/guest-token", nil).Want(t, 200).JSON["token"].(string))
	if len(c.RLSRules) != 0 || c.User.Username != "u2" {
		t.Fatalf("%+v", c)
	}
}

// mintFor asks the host app for a token and returns it with its claims.
func mintFor(t *testing.T, h *devserver.BIHost, app string, body any) (string, *devserver.GuestClaims) {
	t.Helper()
	r := do(t, "POST", app+"/api/guest-token", body).Want(t, 200)
	tok := r.JSON["token"].(string)
	c, err := h.VerifyGuestToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	return tok, c
}

// second drops a token, keeping its claims.
func second(_ string, c *devserver.GuestClaims) *devserver.GuestClaims { return c }

// lastSeq is the sequence number of the BI host's latest event.
func lastSeq(h *devserver.BIHost) int64 {
	evs := h.Events()
	if len(evs) == 0 {
		return 0
	}
	return evs[len(evs)-1].Seq
}

// clauses lists the RLS clauses of a token's claims.
func clauses(c *devserver.GuestClaims) []string {
	out := []string{}
	for _, r := range c.RLSRules {
		out = append(out, r.Clause)
	}
	return out
}

func TestHostAppTenantSwitch(t *testing.T) {
	h, bi := startBI(t, nil)
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
		totals[tc.key] = total(t, bi.URL, tok)
	}
	// The default tenants are the ones the demo data holds.
	if !slices.Equal(defaultTenants, data.Tenants()) {
		t.Errorf("default tenants %q, demo data's %q", defaultTenants, data.Tenants())
	}
	for _, name := range data.Tenants() {
		if want := oracle(t, "tenant = '"+name+"'"); totals[name] != want || want == 0 {
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
		r := do(t, "POST", app+"/api/guest-token", body).Want(t, 400)
		if r.Header.Get("Content-Type") != "application/json; charset=utf-8" || r.JSON["message"] == nil {
			t.Errorf("%v: answered %s %q", body, r.Header.Get("Content-Type"), r.Body)
		}
	}
	r := do(t, "POST", app+"/api/guest-token", map[string]any{"tenant": "acme' OR 1=1 --"}).Want(t, 400)
	if msg, _ := r.JSON["message"].(string); !strings.Contains(msg, "Unknown tenant") || !strings.Contains(msg, "acme, globex, initech or all") {
		t.Errorf("message %q", msg)
	}
	if after := lastSeq(h); after != before {
		t.Errorf("refused requests reached the BI host (%d new events)", after-before)
	}

	// Tenant names are quoted into the clause, extra rules come first.
	quoted := testApp(t, bi.URL, func(c *Config) {
		c.Tenants = []string{"o'reilly", "acme"}
		c.TenantColumn = "orders.tenant"
		c.RLS = []guesttoken.RLSRule{{Clause: "region = 'North'"}}
	})
	if got := clauses(second(mintFor(t, h, quoted, nil))); strings.Join(got, "|") != "region = 'North'|orders.tenant = 'o''reilly'" {
		t.Errorf("clauses %q", got)
	}
	if got := clauses(second(mintFor(t, h, quoted, map[string]any{"tenant": AllTenants}))); strings.Join(got, "|") != "region = 'North'" {
		t.Errorf("clauses %q", got)
	}
	do(t, "POST", quoted+"/api/guest-token", map[string]any{"tenant": "globex"}).Want(t, 400)

	// Configuration that could not make a safe clause is refused up front.
	for _, mutate := range []func(*Config){
		func(c *Config) { c.Tenants = []string{"acme", AllTenants} },
		func(c *Config) { c.Tenants = []string{"acme", "acme"} },
		func(c *Config) { c.Tenants = []string{`back\slash`} },
		func(c *Config) { c.TenantColumn = "tenant = 'x' OR 1" },
		func(c *Config) { c.Username = "" },
	} {
		cfg := Config{BIURL: bi.URL, DashboardID: devserver.DemoDashboardUUID, Username: "admin", Password: "admin"}
		mutate(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}

func TestHostAppStrictCSRF(t *testing.T) {
	_, bi := startBI(t, func(c *devserver.Config) { c.StrictCSRF = true })
	plain := testApp(t, bi.URL, nil)
	r := do(t, "POST", plain+"/api/guest-token", nil).Want(t, 400)
	if !strings.Contains(r.JSON["message"].(string), "CSRF token is missing") {
		t.Fatalf("%s", r.Body)
	}
	strict := testApp(t, bi.URL, func(c *Config) { c.CSRF = true })
	do(t, "POST", strict+"/api/guest-token", nil).Want(t, 200)
}

func TestNewHostAppValidation(t *testing.T) {
	for _, c := range []Config{
		{BIURL: "", DashboardID: "x"},
		{BIURL: "ftp://x", DashboardID: "x"},
		{BIURL: "http://127.0.0.1:1"},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
