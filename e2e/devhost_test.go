package e2e

import (
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

// The dev server as a stand-in for real deployments: the official SDKs
// keep a short-lived token fresh against it, CalabiIQ's documented snippet
// and plain iframe work against it as written, and a host that frames like
// stock Superset fails in the way a developer can diagnose.

// calabiSnippetPage is CalabiIQ's documented embed snippet, character for
// character, with {BI} and {ID} standing for the BI origin and the
// dashboard's UUID. fetchGuestTokenFromBackend is the host's own backend
// call, which the guide leaves to the reader; window.embedFailures keeps
// what the snippet, which never looks at the Promise it gets, would
// otherwise lose.
const calabiSnippetPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>CalabiIQ snippet</title></head>
<body>
<div id="dashboard" style="width:800px;height:600px"></div>
<script>
  window.embedFailures = [];
  window.addEventListener("unhandledrejection", (e) => window.embedFailures.push(String(e.reason && e.reason.message || e.reason)));
  async function fetchGuestTokenFromBackend() {
    const response = await fetch("/api/guest-token", {method: "POST"});
    const body = await response.json();
    return body.token;
  }
</script>
<script src="{BI}/static/assets/embedded.js"></script>
<script>
  calabi.embedDashboard({
    id: "{ID}",
    calabiiqDomain: "{BI}",
    mountPoint: document.getElementById("dashboard"),
    fetchGuestToken: () => fetchGuestTokenFromBackend(),
    dashboardUiConfig: {
      hideTitle: true,
      hideChartControls: true,
      filters: {
        expanded: false,
        visible: true
      }
    }
  });
</script>
</body></html>`

// calabiIframePage is CalabiIQ's other documented embed: no SDK, a plain
// iframe whose URL carries a guest token the host's server minted.
var calabiIframePage = template.Must(template.New("calabi-iframe").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>CalabiIQ iframe</title></head>
<body>
<iframe id="dashboard" width="800" height="600" src="{{.BI}}/embedded/dashboard/{{.ID}}?guest_token={{.Token}}&standalone=1&show_filters=0"></iframe>
</body></html>`))

func init() {
	hostPages["GET /test/calabi-snippet"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, strings.NewReplacer("{BI}", biURL, "{ID}", devserver.DemoDashboardUUID).Replace(calabiSnippetPage))
	})
	hostPages["GET /test/calabi-iframe"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = calabiIframePage.Execute(w, map[string]string{
			"BI": biURL, "ID": devserver.DemoDashboardUUID, "Token": r.URL.Query().Get("guest_token"),
		})
	})
}

// startBIHost starts a BI host of the test's own on a fresh loopback
// origin, serving this run's SDK build, and returns its origin.
func startBIHost(t *testing.T, configure func(*devserver.Config)) string {
	_, origin := startBIHostWith(t, configure, func(h http.Handler) http.Handler { return h })
	return origin
}

// startBIHostWith is startBIHost with the host's handler wrapped, for tests
// that watch what the browser was served or serve pages beside the host; it
// also returns the host, for tests that read its events.
func startBIHostWith(t *testing.T, configure func(*devserver.Config), wrap func(http.Handler) http.Handler) (*devserver.BIHost, string) {
	t.Helper()
	cfg := devserver.DefaultConfig()
	cfg.Assets = os.DirFS(distDir)
	// The build does not change during a run: no watcher polling it.
	cfg.ReloadPoll = -1
	if configure != nil {
		configure(&cfg)
	}
	host, err := devserver.NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { host.Close() })
	srv := httptest.NewServer(wrap(host))
	t.Cleanup(srv.Close)
	return host, srv.URL
}

// startHostApp starts a demo host app on another fresh origin, minting
// tokens through the BI host at bi, with the suite's test pages beside it.
func startHostApp(t *testing.T, bi string) string {
	t.Helper()
	app, err := hostapp.New(hostapp.Config{
		BIURL:       bi,
		DashboardID: devserver.DemoDashboardUUID,
		Username:    devserver.DemoUsername,
		Password:    devserver.DemoPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hostMux(app))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestOfficialSDKsReceiveRefreshes: the published SDKs, unmodified, keep
// the dashboard supplied with tokens. The BI host's tokens live 12 s, so
// upstream's schedule (max(10 s, exp-now) - 5 s) refreshes after about 7 s,
// which a test can wait for; the refreshed token must reach the page and be
// a newer one.
func TestOfficialSDKsReceiveRefreshes(t *testing.T) {
	requireNPM(t)
	const lifetime = 12
	bi := startBIHost(t, func(c *devserver.Config) { c.TokenLifetime = lifetime * time.Second })
	host := startHostApp(t, bi)
	frame := bi + "/embedded/" + devserver.DemoDashboardUUID
	for _, sdk := range []struct{ name, global string }{
		{"superset-embedded-sdk-0.4.0", "supersetEmbeddedSdk"},
		{"preset-sdk-embedded-0.3.2", "presetSdk"},
	} {
		t.Run(sdk.name, func(t *testing.T) {
			// Each waits most of its time for a timer: side by side, the
			// two cost one wait.
			t.Parallel()
			ctx := newTab(t)
			navigate(t, ctx, host+"/test/official-sdks")
			waitTop(t, ctx, `typeof `+sdk.global+` === "object"`)
			eval(t, ctx, sdk.global+`.embedDashboard({id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+bi+`",
				mountPoint: document.getElementById("mount"), fetchGuestToken: window.fetchToken}).then(() => true)`, nil)

			waitFrame(t, ctx, frame, `document.body.dataset.tokenCount === "1" && document.body.dataset.state === "ready"`)
			first := frameToken(t, ctx, frame)
			seen := time.Now()
			waitFrame(t, ctx, frame, `Number(document.body.dataset.tokenCount) >= 2`)
			t.Logf("refreshed %.1f s after the first token was seen", time.Since(seen).Seconds())
			second := frameToken(t, ctx, frame)
			if second == first {
				t.Fatal("the refresh delivered the first token again")
			}
			a, b := decodeClaims(t, first), decodeClaims(t, second)
			for _, c := range []map[string]any{a, b} {
				// A 12 s token proves it came from this test's BI host
				// through its host app, not from the shared world.
				if exp, iat := c["exp"].(float64), c["iat"].(float64); c["type"] != "guest" || exp-iat != lifetime {
					t.Errorf("token claims %v: want a guest token living %d s", c, lifetime)
				}
			}
			if ea, eb := a["exp"].(float64), b["exp"].(float64); eb <= ea {
				t.Errorf("the refreshed token expires at %v, not after the first (%v)", b["exp"], a["exp"])
			}
			// The page kept working on the new token.
			var state string
			frameValue(t, ctx, frame, `document.body.dataset.state`, &state)
			if state != "ready" {
				t.Errorf("after the refresh the page is %q", state)
			}
		})
	}
}

// TestCalabiSnippetVerbatim: both embeds CalabiIQ documents work as written
// against the dev server. The snippet gets a token to the page and its
// dashboardUiConfig into the iframe URL the way CalabiIQ's page reads it;
// the plain iframe renders the dashboard from the token in its URL, with
// no SDK and no handshake.
func TestCalabiSnippetVerbatim(t *testing.T) {
	t.Run("snippet", func(t *testing.T) {
		ctx := newTab(t)
		navigate(t, ctx, hostURL+"/test/calabi-snippet")
		waitTop(t, ctx, `document.querySelector("#dashboard iframe") || window.embedFailures.length`)
		var failures []string
		eval(t, ctx, `window.embedFailures`, &failures)
		if len(failures) > 0 {
			t.Fatalf("embedDashboard rejected: %v", failures)
		}
		var src string
		eval(t, ctx, `document.querySelector("#dashboard iframe").src`, &src)
		u, err := url.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		frame := biURL + "/embedded/" + devserver.DemoDashboardUUID
		if got := u.Scheme + "://" + u.Host + u.Path; got != frame {
			t.Errorf("the iframe shows %s, want %s", got, frame)
		}
		q := u.Query()
		for k, want := range map[string]string{"uiConfig": "9", "show_filters": "true", "expand_filters": "false"} {
			if got := q.Get(k); got != want {
				t.Errorf("iframe src %s: %s=%q, want %q", src, k, got, want)
			}
		}

		waitFrame(t, ctx, frame, `document.body.dataset.tokenCount === "1" && document.body.dataset.state === "ready"`)
		if claims := decodeClaims(t, frameToken(t, ctx, frame)); claims["type"] != "guest" {
			t.Errorf("the page holds a token of type %v", claims["type"])
		}
		// What the page made of the parameters: title and chart menus
		// hidden, the filter bar shown but collapsed.
		var ui map[string]string
		frameValue(t, ctx, frame, `({hideTitle: document.body.dataset.hideTitle, hideChartControls: document.body.dataset.hideChartControls,
			filterBarHidden: String(document.getElementById("filter-bar").hidden), filtersExpanded: document.getElementById("filter-bar").dataset.expanded})`, &ui)
		want := map[string]string{"hideTitle": "true", "hideChartControls": "true", "filterBarHidden": "false", "filtersExpanded": "false"}
		for k, v := range want {
			if ui[k] != v {
				t.Errorf("embedded page %s = %q, want %q", k, ui[k], v)
			}
		}
	})

	t.Run("plain iframe", func(t *testing.T) {
		// The host's server mints the token, as it must for an iframe
		// written into the page.
		resp, err := http.Post(hostURL+"/api/guest-token", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("minting a guest token: %s: %s", resp.Status, body)
		}
		var minted struct{ Token string }
		if err := json.Unmarshal(body, &minted); err != nil || minted.Token == "" {
			t.Fatalf("minting a guest token: %s (%v)", body, err)
		}

		ctx := newTab(t)
		navigate(t, ctx, hostURL+"/test/calabi-iframe?guest_token="+url.QueryEscape(minted.Token))
		frame := biURL + "/embedded/dashboard/" + devserver.DemoDashboardUUID
		waitFrame(t, ctx, frame, `document.body.dataset.state === "ready"`)
		var page struct {
			TokenCount, LastToken, Handshake, HideNav, ShowFilters, Title, HoldsToken string
			FilterBarHidden                                                           bool
			Charts, Ready                                                             int
		}
		frameValue(t, ctx, frame, `(() => { const b = document.body.dataset; return {
			tokenCount: b.tokenCount, lastToken: b.lastToken, handshake: b.handshake, hideNav: b.hideNav, showFilters: b.showFilters,
			title: document.getElementById("dashboard-title").textContent,
			holdsToken: document.getElementById("token-status").dataset.holdsToken,
			filterBarHidden: document.getElementById("filter-bar").hidden,
			charts: document.querySelectorAll(".chart").length,
			ready: document.querySelectorAll('.chart[data-status="ready"]').length,
		}; })()`, &page)
		if page.TokenCount != "1" || page.LastToken != minted.Token || page.HoldsToken != "true" {
			t.Errorf("the page holds %s token(s), last %q; want the one in its URL, %q", page.TokenCount, page.LastToken, minted.Token)
		}
		if page.Handshake != "waiting" {
			t.Errorf("handshake %q: nothing on the host page speaks to the iframe", page.Handshake)
		}
		if page.Title != "Sales overview" || page.Charts == 0 || page.Ready != page.Charts {
			t.Errorf("the dashboard %q rendered %d of %d charts", page.Title, page.Ready, page.Charts)
		}
		// standalone=1 hides the navigation; show_filters=0 the filter bar.
		if page.HideNav != "true" || page.ShowFilters != "false" || !page.FilterBarHidden {
			t.Errorf("hideNav=%s showFilters=%s filter bar hidden=%v; want the URL's standalone=1&show_filters=0",
				page.HideNav, page.ShowFilters, page.FilterBarHidden)
		}
	})
}

// framingRecord keeps the framing headers of each embedded page a BI host
// served, which is what the browser judged.
type framingRecord struct {
	sync.Mutex
	xfo, csp []string
}

func (f *framingRecord) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if strings.HasPrefix(r.URL.Path, "/embedded/") {
			f.Lock()
			f.xfo = append(f.xfo, w.Header().Get("X-Frame-Options"))
			f.csp = append(f.csp, w.Header().Get("Content-Security-Policy"))
			f.Unlock()
		}
	})
}

// TestStockFramingIsBlocked: a BI host that frames like stock Superset
// (X-Frame-Options: SAMEORIGIN) makes the browser block the embed. The SDK
// must say so (HANDSHAKE_TIMEOUT, naming framing) once handshakeTimeoutMs
// is up and clean up after itself, rather than leave a blank box; the same
// page against a host that allows framing with CSP frame-ancestors works.
func TestStockFramingIsBlocked(t *testing.T) {
	var stockSeen, defaultSeen framingRecord
	_, stock := startBIHostWith(t, func(c *devserver.Config) { c.Framing = devserver.FramingStock }, stockSeen.wrap)
	_, deflt := startBIHostWith(t, nil, defaultSeen.wrap)

	// One host page, loading the SDK from whichever BI host it embeds
	// from, as a host app does; its tokens come from the default host
	// (both sign with the demo secret).
	app, err := hostapp.New(hostapp.Config{
		BIURL: deflt, DashboardID: devserver.DemoDashboardUUID, Username: devserver.DemoUsername, Password: devserver.DemoPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", app)
	for path, bi := range map[string]string{"GET /stock": stock, "GET /default": deflt} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_ = blankPage.Execute(w, map[string]string{"SDK": bi + "/static/assets/embedded.js"})
		})
	}
	hostSrv := httptest.NewServer(mux)
	t.Cleanup(hostSrv.Close)

	// embed runs embedDashboard against bi and reports how it ended, how
	// long after the iframe appeared, and how many iframes are left. The
	// race keeps a hang from turning into the tab's timeout.
	const handshakeMs = 1500
	embed := func(path, bi string) (out struct {
		Outcome, Name, Code, Message string
		IsError                      bool
		SinceIframe                  float64
		Iframes                      int
	}) {
		ctx := newTab(t)
		navigate(t, ctx, hostSrv.URL+path)
		waitTop(t, ctx, `typeof dashembed === "object"`)
		eval(t, ctx, `(async () => {
			const mount = document.getElementById("mount");
			let inserted = 0;
			new MutationObserver(() => { if (!inserted && mount.querySelector("iframe")) inserted = performance.now(); })
				.observe(mount, {childList: true, subtree: true});
			// A first embed resolves once its page holds its token, before
			// the SDK's wasm is up; a page that then never answers reaches
			// the error listeners instead of the Promise. Either way the
			// failure must come, with its code, and take the iframe away.
			const failed = (how, e) => ({outcome: how, isError: e instanceof Error || how === "error event",
				name: String(e && e.name), code: String(e && e.code), message: String(e && e.message)});
			const r = await Promise.race([
				dashembed.embedDashboard({id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+bi+`", mountPoint: mount,
					fetchGuestToken: window.fetchToken, handshakeTimeoutMs: `+strconv.Itoa(handshakeMs)+`})
					.then((d) => new Promise((done) => {
						d.on("error", (e) => done(failed("error event", e)));
						setTimeout(() => done({outcome: "resolved"}), `+strconv.Itoa(handshakeMs)+` + 3000);
					}), (e) => failed("rejected", e)),
				new Promise((r) => setTimeout(() => r({outcome: "hung"}), 12000)),
			]);
			const since = inserted ? performance.now() - inserted : -1;
			await new Promise((r) => setTimeout(r, 50));
			return Object.assign(r, {sinceIframe: since, iframes: mount.querySelectorAll("iframe").length});
		})()`, &out)
		if out.Outcome == "resolved" {
			waitFrame(t, ctx, bi+"/embedded/"+devserver.DemoDashboardUUID,
				`document.body.dataset.tokenCount === "1" && document.body.dataset.state === "ready"`)
		}
		return out
	}

	got := embed("/stock", stock)
	if (got.Outcome != "rejected" && got.Outcome != "error event") || !got.IsError || got.Code != "HANDSHAKE_TIMEOUT" {
		t.Errorf("against the stock host: %+v; want a rejection or an error event with code HANDSHAKE_TIMEOUT", got)
	}
	if !strings.Contains(got.Message, "X-Frame-Options") || !strings.Contains(got.Message, "frame-ancestors") {
		t.Errorf("the message %q does not name framing (X-Frame-Options, CSP frame-ancestors)", got.Message)
	}
	// The timer starts when the blocked frame has loaded (Chromium's error
	// page) and Go watches it, after the iframe appeared; the failure must
	// come once it is up, not much later.
	if got.SinceIframe < handshakeMs-50 || got.SinceIframe > handshakeMs+4000 {
		t.Errorf("failed %.0f ms after the iframe appeared; want soon after the %d ms handshake timeout", got.SinceIframe, handshakeMs)
	}
	if got.Iframes != 0 {
		t.Errorf("the rejected embed left %d iframes", got.Iframes)
	}
	stockSeen.Lock()
	if len(stockSeen.xfo) == 0 || stockSeen.xfo[0] != "SAMEORIGIN" || stockSeen.csp[0] != "" {
		t.Errorf("the stock host served its embedded page with X-Frame-Options %q, CSP %q; want SAMEORIGIN and none", stockSeen.xfo, stockSeen.csp)
	}
	stockSeen.Unlock()

	if got := embed("/default", deflt); got.Outcome != "resolved" || got.Iframes != 1 {
		t.Errorf("against the default host: %+v; want it embedded", got)
	}
	defaultSeen.Lock()
	if len(defaultSeen.xfo) == 0 || defaultSeen.xfo[0] != "" || defaultSeen.csp[0] != "frame-ancestors *" {
		t.Errorf("the default host served its embedded page with X-Frame-Options %q, CSP %q; want none and frame-ancestors *", defaultSeen.xfo, defaultSeen.csp)
	}
	defaultSeen.Unlock()
}
