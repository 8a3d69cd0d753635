package devserver

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestMisconfigSwitches: each switch that reproduces a misconfigured
// deployment changes exactly what a real one would show.
func TestMisconfigSwitches(t *testing.T) {
	page := "/embedded/" + DemoDashboardUUID
	sdk := fstest.MapFS{
		"dashembed.js":   {Data: []byte(strings.Repeat("console.log(1);\n", 200))},
		"dashembed.wasm": {Data: append([]byte("\x00asm\x01\x00\x00\x00"), make([]byte, 4096)...)},
	}

	t.Run("FrameAncestors", func(t *testing.T) {
		_, srv := testHost(t, func(c *Config) {
			c.FrameAncestors = "'self'"
			c.Dashboards[0].AllowedDomains = []string{"http://app.example"}
		})
		r := do(t, "GET", srv.URL+page, nil, "Referer", "http://app.example/").Want(t, 200)
		if got := r.Header.Get("Content-Security-Policy"); got != "frame-ancestors 'self'" {
			t.Errorf("CSP %q, want frame-ancestors 'self'", got)
		}
	})

	t.Run("ClockSkew", func(t *testing.T) {
		_, srv := testHost(t, func(c *Config) { c.ClockSkew = -5 * time.Minute })
		r := do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "X-GuestToken", mint(t, srv.URL, guestBody())).Want(t, 200)
		date, err := http.ParseTime(r.Header.Get("Date"))
		if skew := time.Until(date); err != nil || skew > -4*time.Minute || skew < -6*time.Minute {
			t.Errorf("Date %q is %v from now, want about -5m (%v)", r.Header.Get("Date"), skew, err)
		}
	})

	t.Run("VerifyAudience", func(t *testing.T) {
		_, srv := testHost(t, func(c *Config) { c.VerifyAudience = "superset-prod" })
		r := do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "X-GuestToken", mint(t, srv.URL, guestBody())).Want(t, 401)
		if !strings.Contains(string(r.Body), "audience") {
			t.Errorf("the 401 does not say the audience is wrong: %s", r.Body)
		}
	})

	t.Run("GuestRoleWithoutData", func(t *testing.T) {
		_, srv := testHost(t, func(c *Config) { c.GuestRoleWithoutData = true })
		tok := mint(t, srv.URL, guestBody())
		do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "X-GuestToken", tok).Want(t, 200)
		r := do(t, "POST", srv.URL+"/api/v1/chart/data", map[string]any{}, "X-GuestToken", tok).Want(t, 403)
		if !strings.Contains(string(r.Body), "all_datasource_access") {
			t.Errorf("the 403 does not name the permission: %s", r.Body)
		}
	})

	t.Run("static assets", func(t *testing.T) {
		_, srv := testHost(t, func(c *Config) {
			c.Assets = sdk
			c.WasmContentType, c.StaticNoCORS, c.StaticNoCompression = "application/octet-stream", true, true
		})
		r := do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "gzip").Want(t, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/octet-stream" {
			t.Errorf("wasm Content-Type %q", ct)
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Content-Encoding") != "" {
			t.Errorf("CORS or compression left on: %v", r.Header)
		}
		r = do(t, "GET", srv.URL+"/static/assets/embedded.js", nil, "Accept-Encoding", "gzip").Want(t, 200)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/javascript") || r.Header.Get("Content-Encoding") != "" {
			t.Errorf("script headers %v", r.Header)
		}
	})
}
