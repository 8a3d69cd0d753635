package doctor

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// TestHealthyPassesEveryCheck: a correctly configured host passes every
// check the run makes without a browser.
func TestHealthyPassesEveryCheck(t *testing.T) {
	rep := diagnose(t, options(startBI(t, nil)))
	for _, r := range rep.Results {
		want := StatusOK
		if r.ID == "browser" {
			want = StatusSkipped
		}
		expect(t, rep, r.ID, want)
	}
	if rep.Failed() {
		t.Error("Failed() is true for a healthy host")
	}
	api, _ := rep.Result("api")
	if !strings.Contains(strings.Join(api.Saw, "\n"), "RLS applied") {
		t.Errorf("the API check did not see RLS applied: %q", api.Saw)
	}
}

// TestMisconfigurations: each misconfiguration the mock can play gets its
// verdict on the right check and a fix in the product's terms.
func TestMisconfigurations(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*devserver.Config)
		check  string
		want   Status
		fix    []string
	}{
		{"stock framing headers", func(c *devserver.Config) { c.Framing = devserver.FramingStock },
			"page", StatusFail, []string{"TALISMAN_CONFIG", "frame-ancestors", appOrigin}},
		{"frame-ancestors without the app", func(c *devserver.Config) { c.FrameAncestors = "'self'" },
			"page", StatusFail, []string{"TALISMAN_CONFIG", appOrigin}},
		{"allowed domains without the app", func(c *devserver.Config) { c.Dashboards[0].AllowedDomains = []string{"https://other.example.com"} },
			"config", StatusFail, []string{"allowed domains", appOrigin}},
		{"allowed domains without the app: the page", func(c *devserver.Config) { c.Dashboards[0].AllowedDomains = []string{"https://app.example.com"} },
			"page", StatusFail, []string{"allowed domains", "referrerPolicy"}},
		{"allowed domain without a scheme", func(c *devserver.Config) { c.Dashboards[0].AllowedDomains = []string{"app.example.com"} },
			"config", StatusWarn, []string{appOrigin}},
		{"allowed domain with a trailing slash", func(c *devserver.Config) { c.Dashboards[0].AllowedDomains = []string{appOrigin + "/"} },
			"config", StatusWarn, []string{"bare origin"}},
		{"empty allowed domains", func(c *devserver.Config) { c.Dashboards[0].AllowedDomains = nil },
			"config", StatusWarn, []string{appOrigin}},
		{"strict CSRF", func(c *devserver.Config) { c.StrictCSRF = true },
			"login", StatusWarn, []string{"X-CSRFToken", "WTF_CSRF_EXEMPT_LIST"}},
		{"account without the grant permission", func(c *devserver.Config) { c.Accounts[0].CanGrantGuestToken = false },
			"token", StatusFail, []string{"can grant guest token"}},
		{"wrong password", func(c *devserver.Config) { c.Accounts[0].Password = "other" },
			"login", StatusFail, []string{"-password"}},
		{"dashboard not embedded", func(c *devserver.Config) { c.Dashboards[0].UUID = "" },
			"token", StatusFail, []string{`FEATURE_FLAGS = {"EMBEDDED_SUPERSET": True}`}},
		{"wrong audience", func(c *devserver.Config) { c.VerifyAudience = "superset-prod" },
			"api", StatusFail, []string{"GUEST_TOKEN_JWT_AUDIENCE"}},
		{"skewed clock", func(c *devserver.Config) { c.ClockSkew = -5 * time.Minute },
			"token", StatusWarn, []string{"NTP"}},
		{"short token lifetime", func(c *devserver.Config) { c.TokenLifetime = 30 * time.Second },
			"token", StatusWarn, []string{"GUEST_TOKEN_JWT_EXP_SECONDS"}},
		{"guest role without chart permissions", func(c *devserver.Config) { c.GuestRoleWithoutData = true },
			"api", StatusFail, []string{"GUEST_ROLE_NAME", "datasource access"}},
		{"wrong wasm MIME type", func(c *devserver.Config) { c.WasmContentType = "application/octet-stream" },
			"assets", StatusWarn, []string{"application/wasm"}},
		{"no CORS on static assets", func(c *devserver.Config) { c.StaticNoCORS = true },
			"assets", StatusFail, []string{"ENABLE_CORS", "CORS_OPTIONS", appOrigin}},
		{"no compression, no pre-compressed wasm", func(c *devserver.Config) { c.StaticNoCompression = true },
			"assets", StatusWarn, []string{"gzip_types", "COMPRESS_MIMETYPES"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnose(t, options(startBI(t, tc.mutate)))
			expect(t, rep, tc.check, tc.want, tc.fix...)
			if got := rep.Failed(); got != (tc.want == StatusFail) {
				t.Errorf("Failed() = %v with a %s verdict", got, tc.want)
			}
		})
	}
}

// TestHTTPSAppCannotFrameHTTPDashboard: an https app and a BI host on plain
// http (not loopback) fail the first check.
func TestHTTPSAppCannotFrameHTTPDashboard(t *testing.T) {
	bi := startBI(t, nil)
	o := options("http://bi.example.test")
	o.HostOrigin = "https://app.example.com"
	o.HTTPClient = redirectTo(strings.TrimPrefix(bi, "http://"))
	rep := diagnose(t, o)
	expect(t, rep, "reach", StatusFail, "ENABLE_PROXY_FIX")
}

// TestHTTPSAppWithLoopbackDashboard: an https app may frame an http BI host
// on loopback, but gets no Referer through, which the first check warns of.
func TestHTTPSAppWithLoopbackDashboard(t *testing.T) {
	o := options(startBI(t, nil))
	o.HostOrigin = "https://app.example.com"
	rep := diagnose(t, o)
	expect(t, rep, "reach", StatusWarn, "https")
}

// TestLaterChecksSkipAfterFailure: when the BI host does not answer, every
// check that needs it says it was skipped and why.
func TestLaterChecksSkipAfterFailure(t *testing.T) {
	o := options("http://127.0.0.1:1")
	o.Timeout = time.Second
	rep := diagnose(t, o)
	expect(t, rep, "reach", StatusFail, "-bi")
	for _, id := range []string{"login", "token", "config", "page", "api", "browser"} {
		expect(t, rep, id, StatusSkipped)
	}
}

// TestAPIKeyAuth: CalabiIQ's API key authenticates in place of a login.
func TestAPIKeyAuth(t *testing.T) {
	o := options(startBI(t, nil))
	o.Username, o.Password, o.APIKey = "", "", devserver.DemoAPIKey
	rep := diagnose(t, o)
	expect(t, rep, "login", StatusOK)
	expect(t, rep, "api", StatusOK)
}

// TestPresetAuth: a Preset API key pair mints through the Manager API.
func TestPresetAuth(t *testing.T) {
	bi := startBI(t, nil)
	o := options(bi)
	o.Username, o.Password = "", ""
	o.PresetToken, o.PresetSecret, o.PresetTeam, o.PresetWorkspace, o.PresetAPI = "demo", "demo", "team", "ws", bi
	rep := diagnose(t, o)
	expect(t, rep, "login", StatusOK)
	expect(t, rep, "token", StatusOK)
}

// TestBrowserSkippedWithoutChromium: with no browser on the machine, the
// browser check is skipped with a note saying how to install one, and the
// run does not fail because of it.
func TestBrowserSkippedWithoutChromium(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	o := options(startBI(t, nil))
	o.NoBrowser = false
	rep := diagnose(t, o)
	r, _ := rep.Result("browser")
	if r.Status != StatusSkipped || !strings.Contains(strings.Join(r.Saw, " "), "apt-get install -y chromium") {
		t.Errorf("browser check: %s %q, want skipped with how to install Chromium", r.Status, r.Saw)
	}
	if rep.Failed() {
		t.Error("a missing browser failed the run")
	}
}

// TestPrecompressedWasm: with the build's gzip copy beside the script (the
// loader fetches it first), a server that compresses nothing is fine, and
// the plain wasm's Content-Type is still checked for other loaders.
func TestPrecompressedWasm(t *testing.T) {
	bi := startBI(t, func(c *devserver.Config) {
		sdk := fakeSDK()
		gzName := "dashembed.0123456789abcdef.wasm.gz"
		sdk["dashembed.js"] = &fstest.MapFile{Data: []byte(`var w = "` + gzName + `"; ` + string(sdk["dashembed.js"].Data))}
		sdk[gzName] = &fstest.MapFile{Data: gzipped(t, sdk["dashembed.wasm"].Data)}
		c.Assets = sdk
		c.StaticNoCompression = true
		c.WasmContentType = "application/octet-stream"
	})
	rep := diagnose(t, options(bi))
	expect(t, rep, "assets", StatusWarn, "application/wasm")
	r, _ := rep.Result("assets")
	saw := strings.Join(r.Saw, "\n")
	if !strings.Contains(saw, "gzip-compressed copy") || strings.Contains(saw, "uncompressed (") {
		t.Errorf("the assets check did not take the pre-compressed wasm: %q", r.Saw)
	}
}
