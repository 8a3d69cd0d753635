package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver"
)

// Navigation inside the iframe, where @superset-ui/embedded-sdk loses the
// dashboard: every new document must be told apart (embedded or foreign),
// an embedded one must get a fresh token and the last theme, and calls must
// never hang on a document that is gone.

// foreignPath is a page of the BI origin that does not speak the protocol.
const foreignPath = "/e2e/foreign"

func init() {
	biPages["GET "+foreignPath] = staticPage(`<!doctype html><html><head><meta charset="utf-8"><title>foreign</title></head>
<body data-page="foreign" data-messages="0"><p>Not a dashboard: this page ignores the host's messages.</p>
<script>window.addEventListener("message", () => { document.body.dataset.messages = String(Number(document.body.dataset.messages) + 1); });</script>
</body></html>`)
}

// navigation is the host page's record of one navigated event.
type navigation struct {
	URL      string `json:"url"`
	Embedded bool   `json:"embedded"`
}

// navigateFrame points the frame whose URL starts with from at to, as a
// link or a drill-down inside the dashboard would.
func navigateFrame(t *testing.T, ctx context.Context, from, to string) {
	t.Helper()
	frameValue(t, ctx, from, `(() => { location.href = `+jsString(to)+`; })()`, nil)
}

func navigations(t *testing.T, ctx context.Context) []navigation {
	t.Helper()
	var navs []navigation
	eval(t, ctx, `e2e.navs`, &navs)
	return navs
}

func fetchCount(t *testing.T, ctx context.Context) int {
	t.Helper()
	var n int
	eval(t, ctx, `e2e.fetches`, &n)
	return n
}

func frameToken(t *testing.T, ctx context.Context, prefix string) string {
	t.Helper()
	var token string
	frameValue(t, ctx, prefix, `document.body.dataset.lastToken`, &token)
	return token
}

// settled awaits a Promise kept by e2e.settle in window[name].
func settled(t *testing.T, ctx context.Context, name string) map[string]any {
	t.Helper()
	var r map[string]any
	eval(t, ctx, `window.`+name, &r)
	return r
}

func isPortClosed(r map[string]any) bool {
	return r["ok"] == false && r["isError"] == true && r["name"] == "PortClosedError"
}

func TestNavigationInsideTheIframe(t *testing.T) {
	third := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><html><head><meta charset="utf-8"><title>elsewhere</title></head>
<body data-page="third" data-messages="0"><p>A page on a third origin.</p>
<script>window.addEventListener("message", () => { document.body.dataset.messages = String(Number(document.body.dataset.messages) + 1); });</script>
</body></html>`)
	}))
	defer third.Close()

	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	eval(t, ctx, `(() => { e2e.navs = []; return true; })()`, nil)
	embedAs(t, ctx, "dash", `{id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+biURL+`",
		mountPoint: document.getElementById("mount"), fetchGuestToken: e2e.real, handshakeTimeoutMs: 1000}`)
	eval(t, ctx, `(() => { window.dash.on("navigated", (d) => e2e.navs.push(d)); window.dash.setThemeMode("dark");
		return Promise.resolve(window.dash.setThemeConfig({token: {colorPrimary: "#123456"}})).then(() => true); })()`, nil)
	first := demoFrame()
	waitFrame(t, ctx, first, `document.body.dataset.tokenCount === "1" && document.body.dataset.themeMode === "dark"`)
	if n := fetchCount(t, ctx); n != 1 {
		t.Fatalf("fetchGuestToken called %d times for the first document, want 1", n)
	}
	lastToken := frameToken(t, ctx, first)

	// 1. To another embedded page (one that never answers getScrollSize):
	// a fresh token, then the theme, on the new document.
	hanging := wireFrame() + "?hang=getScrollSize"
	navigateFrame(t, ctx, first, hanging)
	waitFrame(t, ctx, hanging, `document.body.dataset.tokenCount === "1" && document.body.dataset.themeMode === "dark"`)
	waitTop(t, ctx, `e2e.navs.length === 1`)
	if navs := navigations(t, ctx); !navs[0].Embedded {
		t.Errorf("navigated to an embedded page: event %+v, want embedded: true", navs[0])
	}
	if n := fetchCount(t, ctx); n != 2 {
		t.Errorf("fetchGuestToken called %d times after one navigation, want 2 (a fresh token for the new document)", n)
	}
	if tok := frameToken(t, ctx, hanging); tok == lastToken {
		t.Errorf("the navigated document got the first document's token again, want a freshly fetched one")
	} else {
		lastToken = tok
	}
	order := map[string]int{}
	for i, m := range portMessages(wireLog(t, ctx, hanging)) {
		key, _ := m["method"].(string)
		if _, seen := order[key]; !seen {
			order[key] = i
		}
	}
	for _, m := range []string{"setThemeMode", "setThemeConfig"} {
		if i, ok := order[m]; !ok || i < order["guestToken"] {
			t.Errorf("the new document did not get %s after its token (first message indexes: %v)", m, order)
		}
	}
	log := wireLog(t, ctx, hanging)
	if m := lastIn(t, log, "setThemeMode"); toJSON(m["args"]) != `{"mode":"dark"}` {
		t.Errorf("replayed setThemeMode = %s, want the last mode, dark", toJSON(m))
	}
	if m := lastIn(t, log, "setThemeConfig"); toJSON(m["args"]) != `{"themeConfig":{"token":{"colorPrimary":"#123456"}}}` {
		t.Errorf("replayed setThemeConfig = %s, want the last config", toJSON(m))
	}

	// 2. A call in flight when the document goes rejects with
	// PortClosedError; the next document answers.
	eval(t, ctx, `(() => { window.inflight = e2e.settle(window.dash.getScrollSize()); return true; })()`, nil)
	waitFrame(t, ctx, hanging, `JSON.parse(document.body.dataset.wire).some((e) => e.dir === "in" && e.data.method === "getScrollSize")`)
	legacy := biURL + "/dashboard/" + devserver.DemoDashboardSlug + "/embedded"
	navigateFrame(t, ctx, hanging, legacy)
	if r := settled(t, ctx, "inflight"); !isPortClosed(r) {
		t.Errorf("getScrollSize() in flight at navigation settled as %v, want a PortClosedError", r)
	}
	waitFrame(t, ctx, legacy, `document.body.dataset.tokenCount === "1" && document.body.dataset.themeMode === "dark"`)
	waitTop(t, ctx, `e2e.navs.length === 2`)
	if n := fetchCount(t, ctx); n != 3 {
		t.Errorf("fetchGuestToken called %d times after two navigations, want 3", n)
	}
	if tok := frameToken(t, ctx, legacy); tok == lastToken {
		t.Errorf("the legacy-route document got the previous document's token, want a fresh one")
	}
	// Measured once the dashboard has rendered, so that both sides see the
	// same layout.
	waitFrame(t, ctx, legacy, `document.body.dataset.state === "ready" && document.querySelectorAll("#charts .chart[data-status=ready]").length === 6`)
	var size, want map[string]any
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	frameValue(t, ctx, legacy, `({width: document.body.scrollWidth, height: document.body.scrollHeight})`, &want)
	if size["page"] != nil || size["width"] != want["width"] || size["height"] != want["height"] {
		t.Errorf("getScrollSize() = %v, want the new document's %v", size, want)
	}

	// 3. A page of the BI origin that is no dashboard: no token, an event,
	// and calls that reject.
	navigateFrame(t, ctx, legacy, biURL+foreignPath)
	waitFrame(t, ctx, biURL+foreignPath, `document.body.dataset.page === "foreign"`)
	eval(t, ctx, `(() => { window.early = e2e.settle(window.dash.getScrollSize()); return true; })()`, nil)
	waitTop(t, ctx, `e2e.navs.length === 3`)
	if navs := navigations(t, ctx); navs[2].Embedded {
		t.Errorf("navigated to a foreign page: event %+v, want embedded: false", navs[2])
	}
	if r := settled(t, ctx, "early"); !isPortClosed(r) {
		t.Errorf("getScrollSize() while the foreign page loaded settled as %v, want a PortClosedError", r)
	}
	if msg := rejection(t, ctx, `window.dash.getScrollSize()`); !strings.HasPrefix(msg, "PortClosedError: ") {
		t.Errorf("getScrollSize() on a foreign page rejected with %q, want a PortClosedError", msg)
	}
	var got string
	frameValue(t, ctx, biURL+foreignPath, `document.body.dataset.messages`, &got)
	if got != "1" {
		t.Errorf("the foreign BI-origin page received %s window messages, want the one port transfer", got)
	}

	// 4. A page on a third origin: the same.
	navigateFrame(t, ctx, biURL+foreignPath, third.URL+"/elsewhere")
	waitFrame(t, ctx, third.URL, `document.body.dataset.page === "third"`)
	waitTop(t, ctx, `e2e.navs.length === 4`)
	if navs := navigations(t, ctx); navs[3].Embedded {
		t.Errorf("navigated to a third origin: event %+v, want embedded: false", navs[3])
	}
	if msg := rejection(t, ctx, `window.dash.getScrollSize()`); !strings.HasPrefix(msg, "PortClosedError: ") {
		t.Errorf("getScrollSize() on a third-origin page rejected with %q, want a PortClosedError", msg)
	}
	if n := fetchCount(t, ctx); n != 3 {
		t.Errorf("fetchGuestToken called %d times, want still 3: foreign pages get no token", n)
	}
	// The port transfer is addressed to the BI origin, never "*": a page
	// of another origin must not even see it.
	frameValue(t, ctx, third.URL, `document.body.dataset.messages`, &got)
	if got != "0" {
		t.Errorf("the third-origin page received %s window messages, want none", got)
	}

	// 5. Back to the dashboard: a token again, and the theme.
	navigateFrame(t, ctx, third.URL, first)
	waitFrame(t, ctx, first, `document.body.dataset.tokenCount === "1" && document.body.dataset.themeMode === "dark"`)
	waitTop(t, ctx, `e2e.navs.length === 5`)
	if navs := navigations(t, ctx); !navs[4].Embedded {
		t.Errorf("navigated back to the dashboard: event %+v, want embedded: true", navs[4])
	}
	if n := fetchCount(t, ctx); n != 4 {
		t.Errorf("fetchGuestToken called %d times after returning to the dashboard, want 4", n)
	}
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	if h, _ := size["height"].(float64); h <= 0 {
		t.Errorf("getScrollSize() back on the dashboard = %v", size)
	}
}

func TestUnmountRejectsCallInFlight(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	embedAs(t, ctx, "dash", `{id: "`+wireID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
		fetchGuestToken: e2e.fake, dashboardUiConfig: {urlParams: {hang: "getScrollSize"}}}`)
	eval(t, ctx, `(() => { window.inflight = e2e.settle(window.dash.getScrollSize()); return true; })()`, nil)
	waitFrame(t, ctx, wireFrame(), `JSON.parse(document.body.dataset.wire).some((e) => e.dir === "in" && e.data.method === "getScrollSize")`)
	eval(t, ctx, `(() => { window.dash.unmount(); return true; })()`, nil)
	r := settled(t, ctx, "inflight")
	if !isPortClosed(r) {
		t.Errorf("getScrollSize() in flight at unmount() settled as %v, want a PortClosedError", r)
	}
	if msg, _ := r["message"].(string); !strings.Contains(msg, "getScrollSize") || !strings.Contains(msg, "unmounted") {
		t.Errorf("PortClosedError message %q should name the call and say the dashboard was unmounted", msg)
	}
	var n int
	eval(t, ctx, `document.querySelectorAll("iframe").length`, &n)
	if n != 0 {
		t.Errorf("%d iframes left after unmount()", n)
	}
}

func TestTwoEmbedsOnOnePage(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	eval(t, ctx, `(() => { e2e.fetches2 = 0; e2e.real2 = () => { e2e.fetches2++; return window.fetchToken(); }; return true; })()`, nil)
	// Started together, as a page with two dashboards does.
	eval(t, ctx, `Promise.all([
		dashembed.embedDashboard({id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
			fetchGuestToken: e2e.real, dashboardUiConfig: {hideTitle: true}}),
		dashembed.embedDashboard({id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount2"),
			fetchGuestToken: e2e.real2, dashboardUiConfig: {hideTab: true}}),
	]).then(([a, b]) => { window.dash1 = a; window.dash2 = b; return true; })`, nil)
	one, two := demoFrame()+"?uiConfig=1", demoFrame()+"?uiConfig=2"
	waitFrame(t, ctx, one, `document.body.dataset.state === "ready"`)
	waitFrame(t, ctx, two, `document.body.dataset.state === "ready"`)
	var counts map[string]int
	eval(t, ctx, `({one: e2e.fetches, two: e2e.fetches2})`, &counts)
	if counts["one"] != 1 || counts["two"] != 1 {
		t.Errorf("fetchGuestToken calls: %v, want one each", counts)
	}

	eval(t, ctx, `(() => { window.dash1.setThemeMode("dark"); return true; })()`, nil)
	waitFrame(t, ctx, one, `document.body.dataset.themeMode === "dark"`)
	frameValue(t, ctx, two, `document.getElementById("tab-TAB-details").click()`, nil)
	var tabs map[string][]string
	eval(t, ctx, `Promise.all([window.dash1.getActiveTabs(), window.dash2.getActiveTabs()]).then(([a, b]) => ({one: a, two: b}))`, &tabs)
	if strings.Join(tabs["one"], ",") != "TAB-overview" || strings.Join(tabs["two"], ",") != "TAB-details" {
		t.Errorf("active tabs = %v, want TAB-overview in the first and TAB-details in the second", tabs)
	}
	var mode string
	frameValue(t, ctx, two, `document.body.dataset.themeMode`, &mode)
	if mode != "default" {
		t.Errorf("the second dashboard's theme is %q after setThemeMode on the first, want default", mode)
	}

	eval(t, ctx, `(() => { window.dash1.unmount(); return true; })()`, nil)
	var left map[string]int
	eval(t, ctx, `({one: document.querySelectorAll("#mount iframe").length, two: document.querySelectorAll("#mount2 iframe").length})`, &left)
	if left["one"] != 0 || left["two"] != 1 {
		t.Errorf("iframes after unmounting the first: %v, want none in #mount and one in #mount2", left)
	}
	if msg := rejection(t, ctx, `window.dash1.getScrollSize()`); !strings.HasPrefix(msg, "PortClosedError: ") {
		t.Errorf("the unmounted dashboard's getScrollSize() rejected with %q, want a PortClosedError", msg)
	}
	var size map[string]float64
	eval(t, ctx, `window.dash2.getScrollSize()`, &size)
	if size["height"] <= 0 {
		t.Errorf("the second dashboard's getScrollSize() = %v after the first was unmounted", size)
	}
}
