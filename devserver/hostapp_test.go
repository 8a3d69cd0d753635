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
	for _, want := range []string{`<script src="` + bi.URL + `/static/assets/embedded.js"></script>`, `id="dashboard"`, `id="embed-status"`, DemoDashboardUUID} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	r = do(t, "GET", app+"/static/hostapp.js", nil).want(t, 200)
	js := string(r.body)
	for _, want := range []string{"embedDashboard", "supersetDomain", "fetchGuestToken", "/api/guest-token", "hideTitle: true", "expanded: false"} {
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
		c.RLS = []RLSRule{}
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
