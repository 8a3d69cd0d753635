package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// These tests hold the SDK to @superset-ui/embedded-sdk 0.4's contract,
// option by option and method by method, against two pages on the BI
// origin: the dev server's embedded dashboard, and the wire page below,
// which records every message it receives so that the protocol itself can
// be checked.

// wireID is the dashboard id that frames the wire page.
const wireID = "e2e-wire"

func init() {
	biPages["GET /embedded/"+wireID] = staticPage(wirePage)
}

// staticPage serves a fixed HTML page, never cached.
func staticPage(html string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, html)
	})
}

// wirePage speaks the switchboard protocol like Superset's embedded page and
// mirrors what happens on <body>: data-wire is every window message and port
// message in order (dir "window", "in", "out"), data-token-count and
// data-last-token the guest tokens, data-theme-mode and data-theme-config
// the theme. Getters echo {method, args}; getScrollSize answers the page's
// size tagged page:"wire". Query parameters: hang=<m,...> never answers
// those methods, missing=<m,...> leaves them undefined. Buttons make the
// page call the host: #ask-permalink (resolvePermalinkUrl with the key in
// data-permalink-key, answer in data-permalink), #ask-undefined (a method
// the host lacks, answer in data-undefined-reply), #emit-mask
// (observeDataMask).
const wirePage = `<!doctype html>
<html><head><meta charset="utf-8"><title>wire</title></head>
<body data-token-count="0" data-handshake="waiting" data-wire="[]">
<p id="status">wire page</p>
<button id="ask-permalink" type="button">permalink</button>
<button id="ask-undefined" type="button">undefined</button>
<button id="emit-mask" type="button">mask</button>
<script>
(function () {
  'use strict';
  var body = document.body;
  var query = new URLSearchParams(location.search);
  var list = function (k) { return (query.get(k) || '').split(',').filter(Boolean); };
  var hang = list('hang');
  var missing = list('missing');
  var log = [];
  var port = null;
  var counter = 0;
  var pending = {};
  var tokens = 0;

  function record(dir, data) {
    log.push({ dir: dir, data: data });
    body.dataset.wire = JSON.stringify(log);
  }
  function send(msg) {
    record('out', msg);
    port.postMessage(msg);
  }

  var getters = {
    getScrollSize: function () {
      return { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight, page: 'wire' };
    }
  };
  ['getDashboardPermalink', 'getActiveTabs', 'getDataMask', 'getChartStates', 'getChartDataPayloads',
    'setDataMask', 'setThemeConfig', 'setThemeMode'].forEach(function (m) {
    getters[m] = function (args) { return { method: m, args: args === undefined ? null : args }; };
  });
  var emits = {
    guestToken: function (args) {
      tokens++;
      body.dataset.tokenCount = String(tokens);
      body.dataset.lastToken = args && args.guestToken;
    },
    setThemeMode: function (args) { body.dataset.themeMode = args && args.mode; },
    setThemeConfig: function (args) { body.dataset.themeConfig = JSON.stringify(args && args.themeConfig); }
  };

  function receive(msg) {
    record('in', msg);
    if (!msg || typeof msg !== 'object') return;
    switch (msg.switchboardAction) {
      case 'emit':
        if (emits[msg.method]) emits[msg.method](msg.args);
        return;
      case 'get': {
        if (hang.indexOf(msg.method) >= 0) return;
        var fn = missing.indexOf(msg.method) < 0 && getters[msg.method];
        if (!fn) {
          send({ switchboardAction: 'error', messageId: msg.messageId, error: '[superset] Method "' + msg.method + '" is not defined' });
          return;
        }
        send({ switchboardAction: 'reply', messageId: msg.messageId, result: fn(msg.args) });
        return;
      }
      case 'reply':
      case 'error': {
        var done = pending[msg.messageId];
        if (!done) return;
        delete pending[msg.messageId];
        done(msg);
      }
    }
  }

  function get(method, args, out) {
    var id = 'm_superset_' + (++counter);
    pending[id] = function (msg) {
      body.dataset[out] = JSON.stringify(msg.switchboardAction === 'reply' ? { result: msg.result } : { error: msg.error });
    };
    send({ switchboardAction: 'get', method: method, messageId: id, args: args });
  }

  window.addEventListener('message', function (event) {
    var d = event.data;
    record('window', { origin: event.origin, data: d, ports: event.ports ? event.ports.length : 0 });
    if (!d || d.type !== '__embedded_comms__' || d.handshake !== 'port transfer' || !event.ports || !event.ports[0]) return;
    port = event.ports[0];
    port.onmessage = function (e) { receive(e.data); };
    body.dataset.handshake = 'done';
  });
  document.getElementById('ask-permalink').onclick = function () {
    get('resolvePermalinkUrl', { key: body.dataset.permalinkKey || 'k1' }, 'permalink');
  };
  document.getElementById('ask-undefined').onclick = function () { get('notAHostMethod', { x: 1 }, 'undefinedReply'); };
  document.getElementById('emit-mask').onclick = function () {
    send({ switchboardAction: 'emit', method: 'observeDataMask', args: {
      'NATIVE_FILTER-x': { id: 'NATIVE_FILTER-x', filterState: { value: ['a'] } },
      crossFiltersChanged: false, nativeFiltersChanged: true
    } });
  };
})();
</script>
</body></html>`

// wireEntry is one line of the wire page's data-wire log.
type wireEntry struct {
	Dir  string         `json:"dir"`
	Data map[string]any `json:"data"`
}

// wireLog reads the wire log of the frame whose URL starts with prefix.
func wireLog(t *testing.T, ctx context.Context, prefix string) []wireEntry {
	t.Helper()
	var raw string
	if err := evalFrame(ctx, prefix, `document.body.dataset.wire`, &raw); err != nil {
		t.Fatalf("reading the wire log: %v", err)
	}
	var log []wireEntry
	if err := json.Unmarshal([]byte(raw), &log); err != nil {
		t.Fatalf("decoding the wire log %s: %v", raw, err)
	}
	return log
}

// portMessages keeps the messages the page received on its port.
func portMessages(log []wireEntry) []map[string]any {
	var out []map[string]any
	for _, e := range log {
		if e.Dir == "in" {
			out = append(out, e.Data)
		}
	}
	return out
}

// lastIn is the last message received on the port for method.
func lastIn(t *testing.T, log []wireEntry, method string) map[string]any {
	t.Helper()
	msgs := portMessages(log)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i]["method"] == method {
			return msgs[i]
		}
	}
	t.Fatalf("the page never received %s; it received %s", method, toJSON(msgs))
	return nil
}

// frameValue evaluates expr in the frame, failing the test on error.
func frameValue(t *testing.T, ctx context.Context, prefix, expr string, out any) {
	t.Helper()
	if err := evalFrame(ctx, prefix, expr, out); err != nil {
		t.Fatalf("evaluating %s in frame %s: %v", expr, prefix, err)
	}
}

// fakeGuestToken is JWT-shaped, with an exp an hour away so that the SDK
// plans no refresh during a test; only the wire page accepts it.
func fakeGuestToken() string {
	enc := base64.RawURLEncoding.EncodeToString
	now := time.Now().Unix()
	claims, _ := json.Marshal(map[string]any{"type": "guest", "iat": now, "exp": now + 3600, "user": map[string]string{"username": "e2e"}})
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(claims) + ".e2e"
}

// installHelpers prepares the host page: e2e.fake (resolving to e2e.token)
// and e2e.real (the host app's endpoint) are token fetchers that count their calls in e2e.fetches; console.debug lines are
// kept in e2e.debug; e2e.settle turns a Promise into {ok, value} or
// {ok:false, isError, name, message}.
func installHelpers(t *testing.T, ctx context.Context) {
	t.Helper()
	eval(t, ctx, `(() => {
		const e2e = window.e2e = {fetches: 0, debug: [], events: [], masks: [], keys: [], token: `+jsString(fakeGuestToken())+`};
		e2e.fake = () => { e2e.fetches++; return Promise.resolve(e2e.token); };
		e2e.real = () => { e2e.fetches++; return window.fetchToken(); };
		e2e.settle = (p) => Promise.resolve(p).then((value) => ({ok: true, value}),
			(e) => ({ok: false, isError: e instanceof Error, name: e && e.name, message: e && e.message}));
		const debug = console.debug;
		console.debug = (...args) => { e2e.debug.push(args.map(String).join(" ")); return debug.apply(console, args); };
		return true;
	})()`, nil)
}

// embedAs runs embedDashboard(params) and keeps the dashboard as
// window[name].
func embedAs(t *testing.T, ctx context.Context, name, params string) {
	t.Helper()
	eval(t, ctx, `dashembed.embedDashboard(`+params+`).then((d) => { window.`+name+` = d; return true; })`, nil)
}

// jsString writes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func demoFrame() string { return biURL + "/embedded/" + devserver.DemoDashboardUUID }
func wireFrame() string { return biURL + "/embedded/" + wireID }

func TestDropInIframeOptions(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	eval(t, ctx, `(() => { document.getElementById("mount").innerHTML = '<p class="old">old</p><span>x</span>'; return true; })()`, nil)
	embedAs(t, ctx, "dash", `{
		id: "`+devserver.DemoDashboardUUID+`",
		supersetDomain: "`+biURL+`/",
		mountPoint: document.getElementById("mount"),
		fetchGuestToken: e2e.real,
		dashboardUiConfig: {urlParams: {e2e: "options"}},
		iframeTitle: "Quarterly sales",
		iframeSandboxExtras: ["allow-top-navigation", "allow-same-origin"],
		iframeAllowExtras: ["camera", "microphone 'none'"],
		referrerPolicy: "unsafe-url",
	}`)
	// The alias CalabiIQ's docs use, with every iframe option left default.
	embedAs(t, ctx, "dash2", `{
		id: "`+devserver.DemoDashboardUUID+`",
		calabiiqDomain: "`+biURL+`/",
		mountPoint: document.getElementById("mount2"),
		fetchGuestToken: e2e.real,
		dashboardUiConfig: {hideTab: true},
	}`)

	var got []map[string]string
	eval(t, ctx, `["mount", "mount2"].map((id) => {
		const m = document.getElementById(id), f = m.querySelector("iframe");
		return {children: String(m.children.length), first: m.firstElementChild.tagName, old: String(!!m.querySelector(".old")),
			src: f.getAttribute("src"), title: f.title, sandbox: f.getAttribute("sandbox"), allow: f.getAttribute("allow"),
			referrerPolicy: f.referrerPolicy};
	})`, &got)
	base := "allow-same-origin allow-scripts allow-presentation allow-downloads allow-forms allow-popups"
	wants := []map[string]string{{
		"children": "1", "first": "IFRAME", "old": "false",
		"src":            demoFrame() + "?uiConfig=0&e2e=options",
		"title":          "Quarterly sales",
		"sandbox":        base + " allow-top-navigation",
		"allow":          "fullscreen; clipboard-write; camera; microphone 'none'",
		"referrerPolicy": "unsafe-url",
	}, {
		"children": "1", "first": "IFRAME", "old": "false",
		"src":            demoFrame() + "?uiConfig=2",
		"title":          "Embedded Dashboard",
		"sandbox":        base,
		"allow":          "fullscreen; clipboard-write",
		"referrerPolicy": "",
	}}
	for i, want := range wants {
		for k, v := range want {
			if got[i][k] != v {
				t.Errorf("embed %d: %s = %q, want %q", i+1, k, got[i][k], v)
			}
		}
	}

	// Both documents hold a token; the referrer policy reached the request.
	for _, c := range []struct{ prefix, referrer string }{
		{demoFrame() + "?uiConfig=0&e2e=options", hostURL + "/test/blank"}, // unsafe-url: the full URL
		{demoFrame() + "?uiConfig=2", hostURL + "/"},                       // the default: the origin only
	} {
		waitFrame(t, ctx, c.prefix, `Number(document.body.dataset.tokenCount) >= 1`)
		var seen map[string]string
		frameValue(t, ctx, c.prefix, `({referrer: document.referrer, hostOrigin: document.body.dataset.hostOrigin})`, &seen)
		if seen["referrer"] != c.referrer {
			t.Errorf("frame %s: document.referrer = %q, want %q", c.prefix, seen["referrer"], c.referrer)
		}
		if seen["hostOrigin"] != hostURL {
			t.Errorf("frame %s: the port came from %q, want %q", c.prefix, seen["hostOrigin"], hostURL)
		}
	}
	var fetches int
	eval(t, ctx, `e2e.fetches`, &fetches)
	if fetches != 2 {
		t.Errorf("fetchGuestToken called %d times for two embeds one after the other, want 2", fetches)
	}
}

func TestDropInUIConfigQuery(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	cases := []struct {
		name, config, query string
	}{
		{"absent", ``, ``},
		{"empty", `{}`, `?uiConfig=0`},
		{"hideTitle", `{hideTitle: true}`, `?uiConfig=1`},
		{"hideTab", `{hideTab: true}`, `?uiConfig=2`},
		{"hideChartControls", `{hideChartControls: true}`, `?uiConfig=8`},
		{"emitDataMasks", `{emitDataMasks: true}`, `?uiConfig=16`},
		{"showRowLimitWarning", `{showRowLimitWarning: true}`, `?uiConfig=32`},
		{"all flags", `{hideTitle: true, hideTab: true, hideChartControls: true, emitDataMasks: true, showRowLimitWarning: true}`, `?uiConfig=59`},
		{"false flags", `{hideTitle: false, emitDataMasks: false}`, `?uiConfig=0`},
		{"filters.visible", `{filters: {visible: false}}`, `?uiConfig=0&show_filters=false`},
		{"filters.expanded", `{filters: {expanded: true}}`, `?uiConfig=0&expand_filters=true`},
		{"urlParams override", `{hideTitle: true, filters: {visible: false, expanded: false}, urlParams: {show_filters: "true", uiConfig: 7}}`,
			`?uiConfig=7&show_filters=true&expand_filters=false`},
		{"urlParams encoding", `{urlParams: {"a b": "x&y=z/é+%", standalone: 2, zz: true, "7": "seven"}}`,
			`?7=seven&uiConfig=0&a+b=x%26y%3Dz%2F%C3%A9%2B%25&standalone=2&zz=true`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := ""
			if c.config != "" {
				cfg = `dashboardUiConfig: ` + c.config + `,`
			}
			embedAs(t, ctx, "dash", `{id: "`+wireID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
				fetchGuestToken: e2e.fake, `+cfg+`}`)
			defer eval(t, ctx, `(() => { window.dash.unmount(); return true; })()`, nil)
			var src string
			eval(t, ctx, `document.querySelector("#mount iframe").getAttribute("src")`, &src)
			if want := wireFrame() + c.query; src != want {
				t.Errorf("src = %q, want %q", src, want)
			}
			// The same input through @superset-ui/embedded-sdk 0.4's own
			// URL code, for the options both accept.
			if c.config != "" {
				var upstream string
				eval(t, ctx, `(() => {
					const c = `+c.config+`, f = c.filters || {};
					const bits = (c.hideTitle ? 1 : 0) + (c.hideTab ? 2 : 0) + (c.hideChartControls ? 8 : 0) + (c.emitDataMasks ? 16 : 0) + (c.showRowLimitWarning ? 32 : 0);
					const names = {visible: "show_filters", expanded: "expand_filters"};
					const p = {uiConfig: String(bits), ...Object.fromEntries(Object.keys(f).map((k) => [names[k], f[k]])), ...c.urlParams};
					return "?" + new URLSearchParams(p).toString();
				})()`, &upstream)
				if wireFrame()+upstream != src {
					t.Errorf("src = %q, upstream's SDK would frame %q", src, wireFrame()+upstream)
				}
			}
			if c.name == "urlParams encoding" {
				var got map[string]string
				frameValue(t, ctx, wireFrame(), `Object.fromEntries(new URLSearchParams(location.search))`, &got)
				if got["a b"] != "x&y=z/é+%" || got["standalone"] != "2" || got["zz"] != "true" || got["7"] != "seven" {
					t.Errorf("the page read its parameters as %v", got)
				}
			}
		})
	}
}

func TestDropInUIConfigReachesPage(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	embedAs(t, ctx, "dash", `{id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
		fetchGuestToken: e2e.real, dashboardUiConfig: {hideTitle: true, hideTab: true, hideChartControls: true,
		emitDataMasks: true, showRowLimitWarning: true, filters: {visible: false, expanded: false}, urlParams: {expand_filters: true}}}`)
	frame := demoFrame()
	waitFrame(t, ctx, frame, `document.body.dataset.state === "ready"`)
	var got map[string]string
	frameValue(t, ctx, frame, `(() => { const d = document.body.dataset; return {uiConfig: d.uiConfig, hideTitle: d.hideTitle, hideTab: d.hideTab,
		hideChartControls: d.hideChartControls, showFilters: d.showFilters, expandFilters: d.expandFilters,
		filterBarHidden: String(document.getElementById("filter-bar").hidden),
		rowLimit: String(document.querySelectorAll(".row-limit").length > 0)}; })()`, &got)
	want := map[string]string{
		"uiConfig": "59", "hideTitle": "true", "hideTab": "true", "hideChartControls": "true",
		"showFilters": "false", "filterBarHidden": "true", // filters.visible: false
		"expandFilters": "true", // filters.expanded: false, overridden by urlParams
		"rowLimit":      "true", // showRowLimitWarning
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("page %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestDropInBadOptionsMountNothing(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	eval(t, ctx, `(() => { document.getElementById("mount").innerHTML = '<p class="old">old</p>'; return true; })()`, nil)
	cases := []struct{ name, config, option string }{
		{"unknown filters key", `{filters: {visble: true}}`, `"dashboardUiConfig.filters.visble"`},
		{"filters value not boolean", `{filters: {visible: "no"}}`, `"dashboardUiConfig.filters.visible"`},
		{"unknown uiConfig key", `{hideFilters: true}`, `"dashboardUiConfig.hideFilters"`},
		{"urlParams object", `{urlParams: {a: {b: 1}}}`, `"dashboardUiConfig.urlParams.a"`},
		{"urlParams array", `{urlParams: {list: [1, 2]}}`, `"dashboardUiConfig.urlParams.list"`},
		{"urlParams function", `{urlParams: {f: () => 1}}`, `"dashboardUiConfig.urlParams.f"`},
		{"urlParams NaN", `{urlParams: {n: NaN}}`, `"dashboardUiConfig.urlParams.n"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := rejection(t, ctx, `dashembed.embedDashboard({id: "`+wireID+`", supersetDomain: "`+biURL+`",
				mountPoint: document.getElementById("mount"), fetchGuestToken: e2e.fake, dashboardUiConfig: `+c.config+`})`)
			if !strings.Contains(msg, c.option) {
				t.Errorf("rejected with %q, want a message naming %s", msg, c.option)
			}
			var state map[string]int
			eval(t, ctx, `({iframes: document.querySelectorAll("iframe").length, old: document.querySelectorAll("#mount .old").length})`, &state)
			if state["iframes"] != 0 || state["old"] != 1 {
				t.Errorf("after the rejection: %d iframes and %d of the mount point's children, want 0 and 1", state["iframes"], state["old"])
			}
		})
	}
	var fetches int
	eval(t, ctx, `e2e.fetches`, &fetches)
	if fetches != 0 {
		t.Errorf("fetchGuestToken was called %d times for rejected options, want 0", fetches)
	}
}

func TestDropInDebugLogs(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	params := func(debug string) string {
		return `{id: "` + wireID + `", supersetDomain: "` + biURL + `", mountPoint: document.getElementById("mount"),
			fetchGuestToken: e2e.fake, debug: ` + debug + `}`
	}
	prefix := "[dashembed][dashboard " + wireID + "] "

	embedAs(t, ctx, "quiet", params("false"))
	var size map[string]any
	eval(t, ctx, `window.quiet.getScrollSize()`, &size)
	eval(t, ctx, `(() => { window.quiet.unmount(); return true; })()`, nil)
	var lines []string
	eval(t, ctx, `e2e.debug`, &lines)
	for _, l := range lines {
		if strings.HasPrefix(l, "[dashembed]") {
			t.Errorf("debug: false logged %q", l)
		}
	}

	eval(t, ctx, `(() => { e2e.debug.length = 0; return true; })()`, nil)
	embedAs(t, ctx, "dash", params("true"))
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	eval(t, ctx, `e2e.debug`, &lines)
	for _, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			t.Errorf("debug line %q lacks the prefix %q", l, prefix)
		}
	}
	joined := strings.Join(lines, "\n")
	for _, want := range []string{"embedding", "placed the iframe", "fetching a guest token", "sent emit guestToken"} {
		if !strings.Contains(joined, prefix+want) {
			t.Errorf("no debug line %q in:\n%s", prefix+want, joined)
		}
	}
	// The call names its direction, method and message id, and its reply
	// the same id; the id is the one the page received.
	sent := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(prefix) + `sent get getScrollSize (m_superset-embedded-sdk_\d+)$`).FindStringSubmatch(joined)
	if sent == nil {
		t.Fatalf("no debug line for the getScrollSize call in:\n%s", joined)
	}
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(prefix) + `received reply\s+` + sent[1] + `$`).MatchString(joined) {
		t.Errorf("no debug line for the reply to %s in:\n%s", sent[1], joined)
	}
	if got := lastIn(t, wireLog(t, ctx, wireFrame()), "getScrollSize")["messageId"]; got != sent[1] {
		t.Errorf("the page received getScrollSize as %v, the log says %s", got, sent[1])
	}
}

func TestDropInGuestTokenFetchTimeout(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	params := func(mount, fetch, timeout string) string {
		return `{id: "` + wireID + `", supersetDomain: "` + biURL + `", mountPoint: document.getElementById("` + mount + `"),
			fetchGuestToken: ` + fetch + `, guestTokenFetchTimeoutMs: ` + timeout + `}`
	}

	start := time.Now()
	msg := rejection(t, ctx, `dashembed.embedDashboard(`+params("mount", `() => new Promise(() => {})`, "300")+`)`)
	if !strings.Contains(msg, "fetchGuestToken") || !regexp.MustCompile(`\b300 ?ms\b`).MatchString(msg) {
		t.Errorf("a fetchGuestToken that never settles rejected with %q, want a message naming it and the 300 ms timeout", msg)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the 300 ms timeout took %v", d)
	}
	var n int
	eval(t, ctx, `document.querySelectorAll("#mount iframe").length`, &n)
	if n != 0 {
		t.Errorf("%d iframes left after the token timed out, want 0", n)
	}

	// Zero and negative turn the limit off: the embeds wait well past where
	// a short limit would have fired, then finish when the token comes.
	for i, timeout := range []string{"0", "-1"} {
		mount := []string{"mount", "mount2"}[i]
		eval(t, ctx, `(() => {
			let release;
			const gate = new Promise((resolve) => { release = resolve; });
			window["release`+timeout+`"] = () => release(`+jsString(fakeGuestToken())+`);
			window["embed`+timeout+`"] = e2e.settle(dashembed.embedDashboard(`+params(mount, `() => gate`, timeout)+`));
			return true;
		})()`, nil)
	}
	var early []map[string]any
	eval(t, ctx, `Promise.all(["0", "-1"].map((k) => Promise.race([window["embed" + k],
		new Promise((r) => setTimeout(() => r({pending: true}), 1200))])))`, &early)
	for i, r := range early {
		if r["pending"] != true {
			t.Errorf("guestTokenFetchTimeoutMs %s: the embed settled early: %v", []string{"0", "-1"}[i], r)
		}
	}
	var late []map[string]any
	eval(t, ctx, `(() => { window["release0"](); window["release-1"](); return Promise.all([window["embed0"], window["embed-1"]]); })()`, &late)
	for i, r := range late {
		if r["ok"] != true {
			t.Errorf("guestTokenFetchTimeoutMs %s: the embed failed once the token came: %v", []string{"0", "-1"}[i], r)
		}
	}
}

func TestDropInMethods(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	embedAs(t, ctx, "dash", `{id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
		fetchGuestToken: e2e.real, dashboardUiConfig: {emitDataMasks: true},
		resolvePermalinkUrl: ({key}) => { e2e.keys.push(key); return e2e.permalinkBase ? e2e.permalinkBase + key : null; }}`)
	eval(t, ctx, `(() => { window.dash.observeDataMask((m) => e2e.masks.push(m)); return true; })()`, nil)
	frame := demoFrame()
	waitFrame(t, ctx, frame, `document.body.dataset.state === "ready" && document.querySelectorAll("#charts .chart[data-status=ready]").length === 6`)

	t.Run("getScrollSize", func(t *testing.T) {
		var got, want map[string]float64
		eval(t, ctx, `window.dash.getScrollSize()`, &got)
		frameValue(t, ctx, frame, `({width: document.body.scrollWidth, height: document.body.scrollHeight})`, &want)
		if got["width"] != want["width"] || got["height"] != want["height"] || got["height"] <= 0 {
			t.Errorf("getScrollSize() = %v, the page measures %v", got, want)
		}
	})

	t.Run("getActiveTabs", func(t *testing.T) {
		var tabs []string
		eval(t, ctx, `window.dash.getActiveTabs()`, &tabs)
		if !slices.Equal(tabs, []string{"TAB-overview"}) {
			t.Errorf("getActiveTabs() = %v, want [TAB-overview]", tabs)
		}
		frameValue(t, ctx, frame, `document.getElementById("tab-TAB-details").click()`, nil)
		eval(t, ctx, `window.dash.getActiveTabs()`, &tabs)
		if !slices.Equal(tabs, []string{"TAB-details"}) {
			t.Errorf("getActiveTabs() after clicking Details = %v, want [TAB-details]", tabs)
		}
	})

	t.Run("getChartStates", func(t *testing.T) {
		var states map[string]any
		eval(t, ctx, `window.dash.getChartStates()`, &states)
		if len(states) != 0 {
			t.Errorf("getChartStates() before any change = %v, want {}", states)
		}
		frameValue(t, ctx, frame, `document.querySelector("#chart-2 .sort").click()`, nil)
		eval(t, ctx, `window.dash.getChartStates()`, &states)
		if want := `{"2":{"chartId":2,"state":{"sortAsc":true}}}`; toJSON(states) != want {
			t.Errorf("getChartStates() after sorting chart 2 = %s, want %s", toJSON(states), want)
		}
	})

	t.Run("getChartDataPayloads", func(t *testing.T) {
		var one, all map[string][]map[string]any
		eval(t, ctx, `window.dash.getChartDataPayloads({chartId: 3})`, &one)
		if len(one) != 1 || len(one["3"]) == 0 || one["3"][0]["rowcount"] == nil {
			t.Errorf("getChartDataPayloads({chartId: 3}) = %s, want chart 3's query results only", toJSON(one))
		}
		eval(t, ctx, `window.dash.getChartDataPayloads()`, &all)
		keys := make([]string, 0, len(all))
		for k := range all {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !slices.Equal(keys, []string{"1", "2", "3", "4", "5", "6"}) {
			t.Errorf("getChartDataPayloads() has charts %v, want 1 to 6", keys)
		}
	})

	t.Run("observeDataMask", func(t *testing.T) {
		var value string
		frameValue(t, ctx, frame, `(() => { const box = document.querySelector("#filter-region input"); box.click(); return box.value; })()`, &value)
		waitTop(t, ctx, `e2e.masks.length >= 1`)
		var mask map[string]any
		eval(t, ctx, `e2e.masks[e2e.masks.length - 1]`, &mask)
		if mask["nativeFiltersChanged"] != true || mask["crossFiltersChanged"] != false {
			t.Errorf("observeDataMask got %s, want nativeFiltersChanged true and crossFiltersChanged false", toJSON(mask))
		}
		if !strings.Contains(toJSON(mask["NATIVE_FILTER-region"]), `"value":["`+value+`"]`) {
			t.Errorf("observeDataMask got %s, want the region filter set to %q", toJSON(mask), value)
		}
	})

	t.Run("setDataMask and getDataMask", func(t *testing.T) {
		var product string
		frameValue(t, ctx, frame, `document.querySelectorAll("#filter-product input")[1].value`, &product)
		var n int
		eval(t, ctx, `e2e.masks.length`, &n)
		var ok any
		eval(t, ctx, `window.dash.setDataMask({"NATIVE_FILTER-product": {filterState: {value: [`+jsString(product)+`]}}})`, &ok)
		if ok != true {
			t.Errorf("setDataMask() resolved to %v, want the page's answer true", ok)
		}
		var checked []string
		frameValue(t, ctx, frame, `[...document.querySelectorAll("#filter-product input:checked")].map((i) => i.value)`, &checked)
		if !slices.Equal(checked, []string{product}) {
			t.Errorf("after setDataMask the page checks %v, want [%s]", checked, product)
		}
		var mask map[string]map[string]any
		eval(t, ctx, `window.dash.getDataMask()`, &mask)
		if got := toJSON(mask["NATIVE_FILTER-product"]["filterState"]); !strings.Contains(got, `"value":["`+product+`"]`) {
			t.Errorf("getDataMask() product filter state = %s, want value [%s]", got, product)
		}
		if _, ok := mask["NATIVE_FILTER-region"]; !ok {
			t.Errorf("getDataMask() = %s lost the region filter set earlier", toJSON(mask))
		}
		waitTop(t, ctx, `e2e.masks.length > `+strconv.Itoa(n))
	})

	t.Run("setThemeConfig", func(t *testing.T) {
		eval(t, ctx, `Promise.resolve(window.dash.setThemeConfig({token: {colorPrimary: "#ff0000"}})).then(() => true)`, nil)
		waitFrame(t, ctx, frame, `getComputedStyle(document.body).getPropertyValue("--primary").trim() === "#ff0000"`)
		var cfg string
		frameValue(t, ctx, frame, `document.body.dataset.themeConfig`, &cfg)
		if cfg != `{"token":{"colorPrimary":"#ff0000"}}` {
			t.Errorf("the page's theme config = %s", cfg)
		}
	})

	t.Run("setThemeMode", func(t *testing.T) {
		eval(t, ctx, `(() => { window.dash.setThemeMode("dark"); return true; })()`, nil)
		waitFrame(t, ctx, frame, `document.body.dataset.themeMode === "dark"`)
		var msg string
		eval(t, ctx, `(() => { try { window.dash.setThemeMode("purple"); return "no exception"; } catch (e) { return e.message; } })()`, &msg)
		if !strings.Contains(msg, "setThemeMode(mode)") || !strings.Contains(msg, "dark") {
			t.Errorf("setThemeMode(\"purple\") threw %q, want a message naming setThemeMode(mode) and the valid modes", msg)
		}
		eval(t, ctx, `(() => { window.dash.setThemeMode("default"); return true; })()`, nil)
		waitFrame(t, ctx, frame, `document.body.dataset.themeMode === "default"`)
	})

	t.Run("getDashboardPermalink with resolvePermalinkUrl", func(t *testing.T) {
		base := hostURL + "/dashboards/sales?permalink="
		eval(t, ctx, `(() => { e2e.permalinkBase = `+jsString(base)+`; return true; })()`, nil)
		var url string
		eval(t, ctx, `window.dash.getDashboardPermalink("chart-3")`, &url)
		var keys []string
		eval(t, ctx, `e2e.keys`, &keys)
		if len(keys) != 1 || url != base+keys[0] {
			t.Fatalf("getDashboardPermalink() = %q with resolvePermalinkUrl keys %v, want the host's URL %q", url, keys, base+"<key>")
		}
		// The BI host stored the state with the anchor under that key.
		res, err := http.Get(biURL + "/superset/dashboard/p/" + keys[0] + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `&#34;anchor&#34;: &#34;chart-3&#34;`) {
			t.Errorf("permalink %s: HTTP %d, want its state to hold anchor chart-3:\n%s", keys[0], res.StatusCode, body)
		}

		// A resolver that answers null leaves the BI host's own URL.
		eval(t, ctx, `(() => { e2e.permalinkBase = null; return true; })()`, nil)
		eval(t, ctx, `window.dash.getDashboardPermalink("chart-1")`, &url)
		eval(t, ctx, `e2e.keys`, &keys)
		if len(keys) != 2 || url != biURL+"/superset/dashboard/p/"+keys[1]+"/" {
			t.Errorf("getDashboardPermalink() with a resolver answering null = %q (keys %v), want the BI host's URL", url, keys)
		}
	})
}

func TestDropInWireProtocol(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	var token string
	eval(t, ctx, `e2e.token`, &token)
	embedAs(t, ctx, "dash", `{id: "`+wireID+`", supersetDomain: "`+biURL+`", mountPoint: document.getElementById("mount"),
		fetchGuestToken: e2e.fake, dashboardUiConfig: {urlParams: {missing: "getChartStates"}},
		resolvePermalinkUrl: ({key}) => "https://host.example/p/" + encodeURIComponent(key)}`)
	eval(t, ctx, `(() => { window.dash.observeDataMask((m) => e2e.masks.push(m)); return true; })()`, nil)
	frame := wireFrame()
	waitFrame(t, ctx, frame, `Number(document.body.dataset.tokenCount) === 1`)

	// The handshake: one window message from the host's origin, carrying
	// the port.
	log := wireLog(t, ctx, frame)
	if len(log) == 0 || log[0].Dir != "window" {
		t.Fatalf("the wire log does not start with the handshake: %s", toJSON(log))
	}
	hs := log[0].Data
	if hs["origin"] != hostURL || hs["ports"] != 1.0 || toJSON(hs["data"]) != `{"handshake":"port transfer","type":"__embedded_comms__"}` {
		t.Errorf("handshake = %s, want {type:__embedded_comms__, handshake:port transfer} from %s with one port", toJSON(hs), hostURL)
	}
	if m := lastIn(t, log, "guestToken"); m["switchboardAction"] != "emit" || toJSON(m["args"]) != `{"guestToken":"`+token+`"}` {
		t.Errorf("guestToken message = %s, want an emit of {guestToken}", toJSON(m))
	}

	calls := []struct {
		call, method, args string
	}{
		{`window.dash.getScrollSize()`, "getScrollSize", `null`},
		{`window.dash.getDashboardPermalink("chart-9")`, "getDashboardPermalink", `{"anchor":"chart-9"}`},
		{`window.dash.getActiveTabs()`, "getActiveTabs", `null`},
		{`window.dash.getDataMask()`, "getDataMask", `null`},
		{`window.dash.getChartDataPayloads({chartId: 7})`, "getChartDataPayloads", `{"chartId":7}`},
		{`window.dash.setDataMask({"NATIVE_FILTER-a": {filterState: {value: [1]}}})`, "setDataMask", `{"dataMask":{"NATIVE_FILTER-a":{"filterState":{"value":[1]}}}}`},
	}
	idPattern := regexp.MustCompile(`^m_superset-embedded-sdk_\d+$`)
	for _, c := range calls {
		var result map[string]any
		eval(t, ctx, c.call, &result)
		m := lastIn(t, wireLog(t, ctx, frame), c.method)
		id, _ := m["messageId"].(string)
		if m["switchboardAction"] != "get" || !idPattern.MatchString(id) {
			t.Errorf("%s sent %s, want a get with an id like m_superset-embedded-sdk_<n>", c.call, toJSON(m))
		}
		if got := toJSON(m["args"]); c.args != "null" && got != c.args {
			t.Errorf("%s sent args %s, want %s", c.call, got, c.args)
		}
		if c.method == "getScrollSize" {
			if result["page"] != "wire" {
				t.Errorf("getScrollSize() = %v, want the page's answer", result)
			}
		} else if result["method"] != c.method {
			t.Errorf("%s resolved to %s, want the page's reply", c.call, toJSON(result))
		}
	}

	// Emits, in the order given.
	eval(t, ctx, `(() => { window.dash.setThemeMode("dark"); return Promise.resolve(window.dash.setThemeConfig({token: {colorPrimary: "#00f"}})).then(() => true); })()`, nil)
	waitFrame(t, ctx, frame, `document.body.dataset.themeConfig !== undefined`)
	log = wireLog(t, ctx, frame)
	if m := lastIn(t, log, "setThemeMode"); m["switchboardAction"] != "emit" || toJSON(m["args"]) != `{"mode":"dark"}` {
		t.Errorf("setThemeMode message = %s, want an emit of {mode: dark}", toJSON(m))
	}
	if m := lastIn(t, log, "setThemeConfig"); toJSON(m["args"]) != `{"themeConfig":{"token":{"colorPrimary":"#00f"}}}` {
		t.Errorf("setThemeConfig message = %s, want {themeConfig}", toJSON(m))
	}

	// A method the page does not define: the page's own error text.
	if msg := rejection(t, ctx, `window.dash.getChartStates()`); msg != `[superset] Method "getChartStates" is not defined` {
		t.Errorf("getChartStates() on a page without it rejected with %q, want the page's error text", msg)
	}

	// Page → host: resolvePermalinkUrl {key} gets the host's URL; an
	// unknown method gets the host switchboard's error; observeDataMask
	// reaches the callback.
	frameValue(t, ctx, frame, `(() => { document.body.dataset.permalinkKey = "a b/c"; document.getElementById("ask-permalink").click();
		document.getElementById("ask-undefined").click(); document.getElementById("emit-mask").click(); })()`, nil)
	waitFrame(t, ctx, frame, `document.body.dataset.permalink && document.body.dataset.undefinedReply`)
	var replies map[string]string
	frameValue(t, ctx, frame, `({permalink: document.body.dataset.permalink, undefinedReply: document.body.dataset.undefinedReply})`, &replies)
	if want := `{"result":"https://host.example/p/a%20b%2Fc"}`; replies["permalink"] != want {
		t.Errorf("resolvePermalinkUrl answered %s, want %s", replies["permalink"], want)
	}
	if want := `{"error":"[superset-embedded-sdk] Method \"notAHostMethod\" is not defined"}`; replies["undefinedReply"] != want {
		t.Errorf("an undefined host method answered %s, want %s", replies["undefinedReply"], want)
	}
	waitTop(t, ctx, `e2e.masks.length === 1`)
	var mask map[string]any
	eval(t, ctx, `e2e.masks[0]`, &mask)
	if mask["nativeFiltersChanged"] != true || mask["NATIVE_FILTER-x"] == nil {
		t.Errorf("observeDataMask callback got %s", toJSON(mask))
	}
}

// A mount point that is not in the document never lets the iframe load.
// Upstream's SDK then never settles; ours promises that an iframe that
// never answers ends in a clear error within handshakeTimeoutMs instead.
func TestDropInDetachedMountPointFails(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	installHelpers(t, ctx)
	var r map[string]any
	eval(t, ctx, `Promise.race([
		e2e.settle(dashembed.embedDashboard({id: "`+wireID+`", supersetDomain: "`+biURL+`", mountPoint: document.createElement("div"),
			fetchGuestToken: e2e.fake, handshakeTimeoutMs: 500})),
		new Promise((resolve) => setTimeout(() => resolve({pending: true}), 3000)),
	])`, &r)
	if r["pending"] == true {
		t.Fatalf("embedDashboard with a detached mountPoint and handshakeTimeoutMs 500 was still pending after 3 s, want a rejection naming mountPoint")
	}
	if msg, _ := r["message"].(string); r["ok"] != false || !strings.Contains(msg, "mountPoint") {
		t.Errorf("embedDashboard with a detached mountPoint settled as %v, want a rejection naming mountPoint", r)
	}
}
