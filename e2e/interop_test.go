package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/dashembed/dashembed/devserver"
)

// Interoperation with the real thing, both ways: our SDK embeds pages built
// on the published @superset-ui/switchboard (0.20.x, a singleton, and 1.5,
// a class), and the published embed SDKs (@superset-ui/embedded-sdk 0.4.0,
// @preset-sdk/embedded 0.3.2) embed the dev server's dashboard. The
// packages come from e2e/npm.

// switchboardEntries are embedded-page entry points written the way
// Superset's own embedded entry uses each switchboard line: it waits for
// the port transfer, starts a switchboard named "superset" on the port, and
// defines guestToken and getScrollSize. State goes to <body> as on the dev
// server's page (data-token-count, data-last-token).
var switchboardEntries = map[string]string{
	// Superset 2.x: the package's default export is a shared instance,
	// started with init.
	"020": `import Switchboard from 'switchboard-020';
window.addEventListener('message', function embeddedPageInitializer(event) {
  const data = event.data;
  if (!data || data.type !== '__embedded_comms__' || data.handshake !== 'port transfer' || !event.ports || !event.ports[0]) return;
  window.removeEventListener('message', embeddedPageInitializer);
  Switchboard.init({ port: event.ports[0], name: 'superset', debug: true });
  define(Switchboard);
  Switchboard.start();
});
` + switchboardPageCommon,
	// Superset 1.5: one switchboard constructed per port.
	"150": `import { Switchboard } from 'switchboard-150';
window.addEventListener('message', function embeddedPageInitializer(event) {
  const data = event.data;
  if (!data || data.type !== '__embedded_comms__' || data.handshake !== 'port transfer' || !event.ports || !event.ports[0]) return;
  window.removeEventListener('message', embeddedPageInitializer);
  const switchboard = new Switchboard({ port: event.ports[0], name: 'superset', debug: true });
  define(switchboard);
  switchboard.start();
});
` + switchboardPageCommon,
}

const switchboardPageCommon = `
let tokens = 0;
function define(switchboard) {
  switchboard.defineMethod('guestToken', ({ guestToken }) => {
    tokens++;
    document.body.dataset.tokenCount = String(tokens);
    document.body.dataset.lastToken = guestToken;
  });
  switchboard.defineMethod('getScrollSize', () => ({ width: document.body.scrollWidth, height: document.body.scrollHeight }));
  document.body.dataset.handshake = 'done';
}
`

// switchboardBundles holds each entry bundled with its switchboard, built by
// the first test that needs it.
var switchboardBundles struct {
	sync.Mutex
	js map[string][]byte
}

func init() {
	for version := range switchboardEntries {
		biPages["GET /embedded/e2e-switchboard-"+version] = staticPage(`<!doctype html>
<html><head><meta charset="utf-8"><title>switchboard ` + version + `</title></head>
<body data-token-count="0" data-handshake="waiting"><h1>A page on @superset-ui/switchboard</h1>
<script src="/e2e/switchboard-` + version + `.js"></script></body></html>`)
		biPages["GET /e2e/switchboard-"+version+".js"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switchboardBundles.Lock()
			js := switchboardBundles.js[version]
			switchboardBundles.Unlock()
			if js == nil {
				http.Error(w, "not built", http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			_, _ = w.Write(js)
		})
	}

	hostPages["GET /test/official-sdks"] = hostPage(func() []string {
		return []string{"/e2e/vendor/superset-embedded-sdk.js", "/e2e/vendor/preset-sdk.js"}
	})
	vendor := map[string]string{
		"superset-embedded-sdk.js": "node_modules/@superset-ui/embedded-sdk/bundle/index.js",
		"preset-sdk.js":            "node_modules/@preset-sdk/embedded/bundle/index.js",
	}
	hostPages["GET /e2e/vendor/{name}"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := vendor[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join("npm", rel))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(b)
	})
}

// buildSwitchboardPage bundles the page entry for a switchboard line with
// esbuild, resolving the package from e2e/npm/node_modules.
func buildSwitchboardPage(t *testing.T, version string) {
	t.Helper()
	dir := requireNPM(t)
	switchboardBundles.Lock()
	defer switchboardBundles.Unlock()
	if switchboardBundles.js[version] != nil {
		return
	}
	res := api.Build(api.BuildOptions{
		Stdin:    &api.StdinOptions{Contents: switchboardEntries[version], ResolveDir: dir, Sourcefile: "page-" + version + ".js", Loader: api.LoaderJS},
		Bundle:   true,
		Format:   api.FormatIIFE,
		Platform: api.PlatformBrowser,
		Target:   api.ES2020,
		LogLevel: api.LogLevelSilent,
		Write:    false,
	})
	if len(res.Errors) > 0 {
		var msgs []string
		for _, m := range res.Errors {
			msgs = append(msgs, m.Text)
		}
		t.Fatalf("bundling the switchboard %s page: %s", version, strings.Join(msgs, "; "))
	}
	if switchboardBundles.js == nil {
		switchboardBundles.js = map[string][]byte{}
	}
	switchboardBundles.js[version] = res.OutputFiles[0].Contents
}

func TestInteropRealSwitchboardPage(t *testing.T) {
	for _, version := range []string{"020", "150"} {
		t.Run(version, func(t *testing.T) {
			buildSwitchboardPage(t, version)
			ctx := newTab(t)
			open(t, ctx)
			installHelpers(t, ctx)
			id := "e2e-switchboard-" + version
			frame := biURL + "/embedded/" + id
			embedAs(t, ctx, "dash", `{id: "`+id+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
				fetchGuestToken: e2e.fake, handshakeTimeoutMs: 1000}`)
			eval(t, ctx, `(() => { e2e.navs = []; window.dash.on("navigated", (d) => e2e.navs.push(d)); return true; })()`, nil)
			waitFrame(t, ctx, frame, `document.body.dataset.tokenCount === "1"`)
			var token, want string
			frameValue(t, ctx, frame, `document.body.dataset.lastToken`, &token)
			eval(t, ctx, `e2e.token`, &want)
			if token != want {
				t.Errorf("the page holds token %q, want %q", token, want)
			}

			var size, measured map[string]float64
			eval(t, ctx, `window.dash.getScrollSize()`, &size)
			frameValue(t, ctx, frame, `({width: document.body.scrollWidth, height: document.body.scrollHeight})`, &measured)
			if size["height"] <= 0 || size["width"] != measured["width"] || size["height"] != measured["height"] {
				t.Errorf("getScrollSize() = %v, the page measures %v", size, measured)
			}
			if msg := rejection(t, ctx, `window.dash.getActiveTabs()`); msg != `[superset] Method "getActiveTabs" is not defined` {
				t.Errorf("getActiveTabs() rejected with %q, want the switchboard's own error text", msg)
			}

			// A reload is a navigated document: our probe must tell the
			// real switchboard is there, which earns it a fresh token.
			navigateFrame(t, ctx, frame, frame+"?reloaded=1")
			waitTop(t, ctx, `e2e.navs.length === 1`)
			var navs []navigation
			eval(t, ctx, `e2e.navs`, &navs)
			if !navs[0].Embedded {
				t.Errorf("the reloaded switchboard page was taken for a foreign page: %+v", navs[0])
			}
			waitFrame(t, ctx, frame+"?reloaded=1", `document.body.dataset.tokenCount === "1"`)
			if n := fetchCount(t, ctx); n != 2 {
				t.Errorf("fetchGuestToken called %d times, want 2: the first document's and the reloaded one's", n)
			}
		})
	}
}

func TestInteropOfficialSDKsEmbedDevServer(t *testing.T) {
	requireNPM(t)
	ctx := newTab(t)
	navigate(t, ctx, hostURL+"/test/official-sdks")
	waitTop(t, ctx, `typeof supersetEmbeddedSdk === "object" && typeof presetSdk === "object"`)
	params := func(mount, config string) string {
		return `{id: "` + devserver.DemoDashboardUUID + `", supersetDomain: "` + biURL + `", mountPoint: document.getElementById("` + mount + `"),
			fetchGuestToken: window.fetchToken, dashboardUiConfig: ` + config + `}`
	}
	eval(t, ctx, `Promise.all([supersetEmbeddedSdk.embedDashboard(`+params("mount", `{hideTitle: true}`)+`),
		presetSdk.embedDashboard(`+params("mount2", `{hideTab: true}`)+`)]).then(([a, b]) => { window.sup = a; window.pre = b; return true; })`, nil)
	frames := map[string]string{"sup": demoFrame() + "?uiConfig=1", "pre": demoFrame() + "?uiConfig=2"}
	for name, frame := range frames {
		waitFrame(t, ctx, frame, `document.body.dataset.tokenCount === "1" && document.body.dataset.state === "ready"`)
		var token string
		frameValue(t, ctx, frame, `document.body.dataset.lastToken`, &token)
		if claims := decodeClaims(t, token); claims["type"] != "guest" {
			t.Errorf("%s: the page holds a token of type %v", name, claims["type"])
		}
		var size map[string]float64
		eval(t, ctx, `window.`+name+`.getScrollSize()`, &size)
		if size["height"] <= 0 {
			t.Errorf("%s.getScrollSize() = %v", name, size)
		}
	}
	eval(t, ctx, `(() => { window.sup.setThemeMode("dark"); return true; })()`, nil)
	waitFrame(t, ctx, frames["sup"], `document.body.dataset.themeMode === "dark"`)
	var tabs []string
	eval(t, ctx, `window.sup.getActiveTabs()`, &tabs)
	if strings.Join(tabs, ",") != "TAB-overview" {
		t.Errorf("the official SDK's getActiveTabs() = %v", tabs)
	}
}
