package devserver

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver/internal/embedded"
)

// pageCfg extracts the JSON config the server put in an embedded page.
func pageCfg(t *testing.T, r response) embedded.PageConfig {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="dashembed-config">(.*?)</script>`).FindSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no config in page: %s", r.Body)
	}
	var c embedded.PageConfig
	if err := json.Unmarshal(m[1], &c); err != nil {
		t.Fatalf("config %s: %v", m[1], err)
	}
	return c
}

func TestEmbeddedPage(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID+"?uiConfig=17&show_filters=0&themeMode=dark&bogus=1", nil).Want(t, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatal(r.Header)
	}
	if got := r.Header.Get("Content-Security-Policy"); got != "frame-ancestors *" {
		t.Fatalf("CSP %q", got)
	}
	if r.Header.Get("X-Frame-Options") != "" {
		t.Fatal("X-Frame-Options in CSP mode")
	}
	c := pageCfg(t, r)
	if c.Dashboard.UUID != DemoDashboardUUID || c.Dashboard.ID != 1 || c.TokenHeader != "X-GuestToken" ||
		c.SwitchboardName != "superset" || c.Params["uiConfig"] != "17" || c.Params["show_filters"] != "0" ||
		c.Params["themeMode"] != "dark" || c.Params["bogus"] != "" || c.NoHandshake || c.QueryToken != "" {
		t.Fatalf("config %+v", c)
	}
	for _, id := range []string{`id="token-status"`, `id="auth-error"`, `id="not-framed"`, `src="/static/page/embedded.js"`,
		"Something went wrong with embedded authentication"} {
		if !strings.Contains(string(r.Body), id) {
			t.Errorf("page lacks %s", id)
		}
	}

	// Unknown UUIDs: 404, HTML for a browser, JSON otherwise; ids are not UUIDs.
	r = do(t, "GET", srv.URL+"/embedded/00000000-0000-4000-8000-000000000000", nil).Want(t, 404)
	if !strings.Contains(r.JSON["message"].(string), "No embedded dashboard") {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "GET", srv.URL+"/embedded/1", nil, "Accept", "text/html").Want(t, 404)
	if !strings.Contains(string(r.Body), "<h1") {
		t.Fatalf("%s", r.Body)
	}

	// Legacy route by id and slug; CalabiIQ's route with the token in the URL.
	do(t, "GET", srv.URL+"/dashboard/1/embedded/", nil).Want(t, 200)
	do(t, "GET", srv.URL+"/dashboard/sales/embedded", nil).Want(t, 200)
	do(t, "GET", srv.URL+"/dashboard/nope/embedded/", nil).Want(t, 404)
	r = do(t, "GET", srv.URL+"/embedded/dashboard/"+DemoDashboardUUID+"?guest_token=abc.def.ghi&standalone=2", nil).Want(t, 200)
	if c := pageCfg(t, r); c.QueryToken != "abc.def.ghi" || c.Params["standalone"] != "2" || c.Route != "calabiiq" {
		t.Fatalf("%+v", c)
	}
	// Superset's route ignores a query-string token.
	if c := pageCfg(t, do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID+"?guest_token=x", nil)); c.QueryToken != "" {
		t.Fatal("query token accepted on /embedded/<uuid>")
	}

	// The page's script and style.
	r = do(t, "GET", srv.URL+"/static/page/embedded.js", nil).Want(t, 200)
	if !strings.Contains(string(r.Body), "__embedded_comms__") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/javascript") {
		t.Fatal("embedded.js")
	}
	do(t, "GET", srv.URL+"/static/page/embedded.css", nil).Want(t, 200)
	do(t, "GET", srv.URL+"/static/page/hostapp.js", nil).Want(t, 404)
	do(t, "POST", srv.URL+"/embedded/"+DemoDashboardUUID, nil).Want(t, 405)
}

func TestEmbeddedAllowedDomains(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Dashboards[0].AllowedDomains = []string{"http://app.example:8080", "portal.example.com", "https://secure.example"}
	})
	url := srv.URL + "/embedded/" + DemoDashboardUUID
	for ref, want := range map[string]int{
		"http://app.example:8080/page?x=1": 200,
		"http://app.example:8081/":         403, // port differs
		"https://app.example:8080/":        403, // scheme differs
		"https://portal.example.com/x":     200, // scheme-less entry: any scheme
		"http://portal.example.com:3000/":  200, // and any port
		"https://secure.example:443/a":     200, // default port
		"http://secure.example/":           403,
		"http://evil.example/":             403,
		"":                                 403, // no Referer
	} {
		hdr := []string{"Referer", ref}
		if ref == "" {
			hdr = nil
		}
		r := do(t, "GET", url, nil, hdr...)
		if r.Status != want {
			t.Errorf("referer %q: %d, want %d", ref, r.Status, want)
		}
		if want == 403 && !strings.Contains(r.JSON["message"].(string), "allowed") {
			t.Errorf("403 without explanation: %s", r.Body)
		}
		if want == 200 {
			csp := r.Header.Get("Content-Security-Policy")
			if csp != "frame-ancestors 'self' http://app.example:8080 portal.example.com https://secure.example" {
				t.Errorf("CSP %q", csp)
			}
		}
	}
	r := do(t, "GET", url, nil, "Referer", "http://evil.example/", "Accept", "text/html").Want(t, 403)
	if !strings.Contains(string(r.Body), "http://evil.example/") || !strings.Contains(string(r.Body), "referrerPolicy") {
		t.Fatalf("%s", r.Body)
	}
}

func TestEmbeddedFraming(t *testing.T) {
	_, stock := testHost(t, func(c *Config) { c.Framing = FramingStock })
	r := do(t, "GET", stock.URL+"/embedded/"+DemoDashboardUUID, nil).Want(t, 200)
	if r.Header.Get("X-Frame-Options") != "SAMEORIGIN" || r.Header.Get("Content-Security-Policy") != "" {
		t.Fatal(r.Header)
	}
	h, srv := testHost(t, nil)
	r = do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID+"?faults=drop_framing", nil).Want(t, 200)
	if r.Header.Get("Content-Security-Policy") != "" {
		t.Fatal("drop_framing ignored")
	}
	h.SetFaults(Faults{DropFraming: true, NoHandshake: true})
	r = do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil).Want(t, 200)
	if r.Header.Get("Content-Security-Policy") != "" || !pageCfg(t, r).NoHandshake {
		t.Fatal("global faults ignored")
	}
	h.SetFaults(Faults{})
	r = do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID+"?faults=no_handshake", nil).Want(t, 200)
	if !pageCfg(t, r).NoHandshake {
		t.Fatal("no_handshake ignored")
	}
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID+"?faults=explode", nil).Want(t, 400)
}
