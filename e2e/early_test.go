package e2e

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver"
)

// coldPage calls embedDashboard right at script load, before the wasm can be
// up, with extra options from the URL fragment (JSON), and records what the
// fast path did at once: the iframe it mounted, and each token fetch.
var coldPage = template.Must(template.New("cold").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>cold start</title></head>
<body>
<div id="mount" style="width:800px;height:600px"></div>
<script src="{{.SDK}}"></script>
<script>
  window.fetches = 0;
  // params builds the options both paths use: the demo dashboard, with extra
  // options on top (an alias domain replaces supersetDomain).
  window.params = (extra) => {
    const base = {
      id: "{{.ID}}",
      supersetDomain: "{{.BI}}",
      mountPoint: document.getElementById("mount"),
      fetchGuestToken: () => { window.fetches++; return fetch("/api/guest-token", {method: "POST"}).then((r) => r.json()).then((j) => j.token); },
    };
    if ("calabiiqDomain" in extra) delete base.supersetDomain;
    return Object.assign(base, extra);
  };
  window.extra = JSON.parse(decodeURIComponent(location.hash.slice(1) || "{}"));
  window.cold = dashembed.embedDashboard(window.params(window.extra));
  window.early = document.querySelector("#mount iframe");
  window.cold.then((d) => { window.dash = d; window.outcome = "resolved"; }, (e) => { window.outcome = "rejected: " + e.message; });
</script>
</body></html>`))

func init() {
	hostPages["GET /test/cold"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = coldPage.Execute(w, map[string]string{
			"SDK": biURL + "/static/assets/embedded.js", "BI": biURL, "ID": devserver.DemoDashboardUUID,
		})
	})
}

// iframeAttrs reads what both paths must agree on.
const iframeAttrs = `(() => { const f = document.querySelector("#mount iframe"); return f && {src: f.getAttribute("src"),
	sandbox: f.getAttribute("sandbox"), allow: f.getAttribute("allow"), title: f.title, referrerPolicy: f.referrerPolicy}; })()`

// TestColdStartAdoptsTheEarlyIframe: an embed started before the wasm is up
// mounts its iframe at once, and Go adopts it (the same element, the same
// token fetch) when the options are within the fast path's reach; the
// result is exactly the iframe the warm path builds for the same options.
func TestColdStartAdoptsTheEarlyIframe(t *testing.T) {
	cases := map[string]string{
		"bare":         `{}`,
		"ui config":    `{"dashboardUiConfig": {"hideTitle": true, "hideChartControls": true, "filters": {"visible": false, "expanded": true}}}`,
		"url params":   `{"dashboardUiConfig": {"emitDataMasks": true, "urlParams": {"zeta": "a b&c", "10": 1.5, "2": true, "alpha": "é/+", "uiConfig": "7"}}}`,
		"iframe attrs": `{"iframeTitle": "Sales", "iframeSandboxExtras": ["allow-top-navigation", "allow-scripts"], "iframeAllowExtras": ["camera 'self'"], "referrerPolicy": "origin"}`,
		"alias domain": `{"calabiiqDomain": "` + biURL + `/"}`,
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := newTab(t)
			navigate(t, ctx, hostURL+"/test/cold#"+url.PathEscape(extra))
			var mountedAtOnce bool
			eval(t, ctx, `window.early !== null`, &mountedAtOnce)
			if !mountedAtOnce {
				t.Fatal("no iframe right after embedDashboard: the fast path did not run")
			}
			waitTop(t, ctx, `window.outcome`)
			var outcome string
			eval(t, ctx, `window.outcome`, &outcome)
			if outcome != "resolved" {
				t.Fatalf("cold embed: %s", outcome)
			}
			var sameElement bool
			var fetches int
			eval(t, ctx, `window.early === document.querySelector("#mount iframe")`, &sameElement)
			eval(t, ctx, `window.fetches`, &fetches)
			if !sameElement {
				t.Error("Go mounted a new iframe instead of adopting the early one")
			}
			if fetches != 1 {
				t.Errorf("%d token fetches for one cold embed, want 1 (Go adopts the early fetch)", fetches)
			}
			waitFrame(t, ctx, biURL+"/embedded/", `Number(document.body.dataset.tokenCount) >= 1`)
			var size map[string]float64
			eval(t, ctx, `window.dash.getScrollSize()`, &size)
			if size["height"] <= 0 {
				t.Errorf("getScrollSize() after a cold start = %v", size)
			}
			var cold, warm map[string]string
			eval(t, ctx, iframeAttrs, &cold)
			// The same options, now through Go alone (the wasm is up): the
			// iframe is in the DOM as soon as embedDashboard returns.
			eval(t, ctx, `(() => { window.dash.unmount(); window.warm = dashembed.embedDashboard(window.params(window.extra));
				return new Promise((r) => setTimeout(r, 0)); })()`, nil)
			eval(t, ctx, iframeAttrs, &warm)
			for k, v := range cold {
				if warm[k] != v {
					t.Errorf("%s: cold %q, warm %q", k, v, warm[k])
				}
			}
		})
	}
}

// TestColdStartLeavesNothingOnRejection: options Go rejects never mount,
// not even for a moment: the fast path vouches only for options Go accepts
// (the differential test in wasm/bundle holds it to that).
func TestColdStartLeavesNothingOnRejection(t *testing.T) {
	for _, c := range []struct {
		name, extra string
		mountsEarly bool
		option      string
	}{
		{"unknown ui key", `{"dashboardUiConfig": {"hideFilters": true}}`, false, "dashboardUiConfig.hideFilters"},
		{"object url param", `{"dashboardUiConfig": {"urlParams": {"x": {"y": 1}}}}`, false, "dashboardUiConfig.urlParams.x"},
		{"bad handshake timeout", `{"handshakeTimeoutMs": -5}`, false, "handshakeTimeoutMs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := newTab(t)
			navigate(t, ctx, hostURL+"/test/cold#"+url.PathEscape(c.extra))
			var mounted bool
			eval(t, ctx, `window.early !== null`, &mounted)
			if mounted != c.mountsEarly {
				t.Errorf("mounted early = %v, want %v", mounted, c.mountsEarly)
			}
			waitTop(t, ctx, `window.outcome`)
			var outcome string
			var left int
			eval(t, ctx, `window.outcome`, &outcome)
			eval(t, ctx, `document.querySelectorAll("iframe").length`, &left)
			if !strings.HasPrefix(outcome, "rejected: ") || !strings.Contains(outcome, `"`+c.option+`"`) {
				t.Errorf("outcome %q, want a rejection naming %q", outcome, c.option)
			}
			if left != 0 {
				t.Errorf("%d iframes left after the rejection", left)
			}
		})
	}
}
