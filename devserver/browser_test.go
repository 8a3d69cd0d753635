package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// standInHost is a minimal host page for testing the embedded page's
// protocol without the SDK: it frames the page, transfers a port and offers
// get/emit helpers. It is served on the BI host's origin so the test can also
// read the frame's DOM; the switchboard does not care.
const standInHost = `<!doctype html><html><body><script>
window.msgs = []; var pending = {}; var n = 0;
var f = document.createElement('iframe');
f.src = '/embedded/%s?uiConfig=16';
f.style.width = '900px'; f.style.height = '700px';
document.body.appendChild(f);
f.addEventListener('load', function () {
  var ch = new MessageChannel();
  window.port = ch.port1;
  ch.port1.onmessage = function (e) {
    var m = e.data; window.msgs.push(m);
    if ((m.switchboardAction === 'reply' || m.switchboardAction === 'error') && pending[m.messageId]) {
      pending[m.messageId](m); delete pending[m.messageId];
    }
    if (m.switchboardAction === 'get' && m.method === 'resolvePermalinkUrl') {
      ch.port1.postMessage({switchboardAction: 'reply', messageId: m.messageId, result: 'https://host.example/p/' + m.args.key});
    }
  };
  f.contentWindow.postMessage({type: '__embedded_comms__', handshake: 'port transfer'}, location.origin, [ch.port2]);
  window.handshook = true;
});
window.get = function (method, args) {
  return new Promise(function (res) {
    var id = 'm_superset-embedded-sdk_' + (n++); pending[id] = res;
    window.port.postMessage({switchboardAction: 'get', method: method, messageId: id, args: args});
  });
};
window.emit = function (method, args) { window.port.postMessage({switchboardAction: 'emit', method: method, args: args}); };
window.fdoc = function () { return f.contentDocument; };
</script></body></html>`

// chromium finds a Chromium binary. Without one the test fails, saying how
// to install it: a browser test that skips would pass for the wrong reason.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium not found; install it (Debian: apt-get install -y chromium) or set CHROMIUM to its path")
	return ""
}

// browser starts a headless Chromium tab.
func browser(t *testing.T) context.Context {
	path := chromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Flag("headless", "new"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		// No network here beyond loopback: keep Chromium from calling home.
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true))
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("Chromium does not start: %v", err)
	}
	return ctx
}

// js evaluates an expression (awaiting Promises) into out.
func js(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s = %s: %v", expr, raw, err)
		}
	}
}

// waitJS polls a boolean expression.
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(function(){try{return `+expr+`}catch(e){return false}})()`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%v)", expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEmbeddedPageInBrowser(t *testing.T) {
	ctx := browser(t)
	h, bi := testHost(t, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /host.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, standInHost, DemoDashboardUUID)
	})
	mux.Handle("/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	good := mint(t, bi.URL, guestBody(map[string]any{"clause": "tenant = 'acme'"}))

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/host.html")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.handshook && fdoc().body.dataset.handshake === 'done'`)
	waitJS(t, ctx, `fdoc().body.dataset.state === 'awaiting-token'`)

	var errMsg map[string]any
	js(t, ctx, `get('noSuchMethod', {})`, &errMsg)
	if errMsg["switchboardAction"] != "error" || errMsg["error"] != `[superset] Method "noSuchMethod" is not defined` {
		t.Fatalf("unknown method: %v", errMsg)
	}

	// A bad token fails authentication visibly; a good one then retries.
	js(t, ctx, `emit('guestToken', {guestToken: 'bad.token.value'})`, nil)
	waitJS(t, ctx, `fdoc().body.dataset.state === 'auth-error' && !fdoc().getElementById('auth-error').hidden`)
	js(t, ctx, `emit('guestToken', {guestToken: `+fmt.Sprintf("%q", good)+`})`, nil)
	waitJS(t, ctx, `fdoc().body.dataset.state === 'ready'`)
	waitJS(t, ctx, `fdoc().getElementById('chart-4').dataset.status === 'ready'`)
	var st struct{ Count, Last, Status string }
	js(t, ctx, `({Count: fdoc().body.dataset.tokenCount, Last: fdoc().body.dataset.lastToken, Status: fdoc().getElementById('token-status').textContent})`, &st)
	if st.Count != "2" || st.Last != good || !strings.Contains(st.Status, "holds a guest token") || !strings.Contains(st.Status, "viewer") {
		t.Fatalf("token status %+v", st)
	}

	// RLS: the tenant chart shows acme only.
	var marks []string
	js(t, ctx, `Array.from(fdoc().querySelectorAll('#chart-4 .mark')).map(function (m) { return m.dataset.label; })`, &marks)
	if strings.Join(marks, ",") != "acme" {
		t.Fatalf("tenant chart marks %v", marks)
	}

	var size map[string]any
	js(t, ctx, `get('getScrollSize').then(function (m) { return m.result; })`, &size)
	if size["width"].(float64) <= 0 || size["height"].(float64) <= 0 {
		t.Fatalf("scroll size %v", size)
	}
	var tabs []string
	js(t, ctx, `get('getActiveTabs').then(function (m) { return m.result; })`, &tabs)
	if len(tabs) != 1 || tabs[0] != "TAB-overview" {
		t.Fatalf("tabs %v", tabs)
	}

	// setDataMask re-queries and, with uiConfig 16, emits observeDataMask.
	js(t, ctx, `get('setDataMask', {dataMask: {'NATIVE_FILTER-region': {filterState: {value: ['North']}}}})`, nil)
	waitJS(t, ctx, `msgs.some(function (m) { return m.method === 'observeDataMask' && m.args.nativeFiltersChanged === true && m.args['NATIVE_FILTER-region'].filterState.value[0] === 'North'; })`)
	waitJS(t, ctx, `fdoc().querySelectorAll('#chart-2 .mark').length === 1`)
	var mask map[string]any
	js(t, ctx, `get('getDataMask').then(function (m) { return m.result; })`, &mask)
	if _, ok := mask["NATIVE_FILTER-region"]; !ok {
		t.Fatalf("mask %v", mask)
	}
	var payloads map[string][]map[string]any
	js(t, ctx, `get('getChartDataPayloads', {chartId: 2}).then(function (m) { return m.result; })`, &payloads)
	if len(payloads) != 1 || payloads["2"][0]["where"] != "region IN ('North') AND (tenant = 'acme')" {
		t.Fatalf("payloads %v", payloads)
	}
	var where string
	js(t, ctx, `fdoc().querySelector('#debug-where-2 .where').textContent`, &where)
	if where != "region IN ('North') AND (tenant = 'acme')" {
		t.Fatalf("debug WHERE %q", where)
	}

	var link string
	js(t, ctx, `get('getDashboardPermalink', {anchor: 'chart-2'}).then(function (m) { return m.result; })`, &link)
	if !strings.HasPrefix(link, "https://host.example/p/") {
		t.Fatalf("permalink %q", link)
	}

	js(t, ctx, `get('setThemeMode', {mode: 'dark'})`, nil)
	waitJS(t, ctx, `fdoc().body.dataset.themeMode === 'dark'`)
	js(t, ctx, `get('setThemeConfig', {themeConfig: {token: {colorPrimary: 'rgb(255, 0, 0)'}}})`, nil)
	waitJS(t, ctx, `fdoc().body.style.getPropertyValue('--primary') === 'rgb(255, 0, 0)'`)

	// Outside a frame the page refuses to run.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/embedded/"+DemoDashboardUUID)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.body.dataset.state === 'not-framed' && !document.getElementById('not-framed').hidden`)

	kinds := map[string]bool{}
	for _, ev := range h.Events() {
		kinds[ev.Kind] = true
	}
	for _, k := range []string{"page_load", "page_handshake", "page_token_received", "page_auth_error", "page_rendered", "api_call"} {
		if !kinds[k] {
			t.Errorf("no %s event", k)
		}
	}
}
