package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/guesttoken"
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

// bugLog is a slog.Handler that keeps a BI host's error-level records. The
// host logs at that level only for its own bugs (a panic that reached its
// recover middleware, a page that failed to render), so a test that sees
// one fails, even when the browser showed nothing wrong.
type bugLog struct {
	mu   sync.Mutex
	bugs []string
}

func (l *bugLog) Enabled(_ context.Context, level slog.Level) bool { return level >= slog.LevelError }

func (l *bugLog) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key != "stack" {
			line += " " + a.String()
		}
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bugs = append(l.bugs, line)
	return nil
}

func (l *bugLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *bugLog) WithGroup(string) slog.Handler      { return l }

// check fails t for every record kept.
func (l *bugLog) check(t *testing.T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range l.bugs {
		t.Errorf("the BI host logged a bug: %s", b)
	}
}

// TestEmbeddedPageWithoutSDK drives the dev server's embedded dashboard
// page through the switchboard protocol from a stand-in host page, without
// the SDK: handshake, unknown methods, a bad then a good guest token, RLS,
// every get method, data masks, theming, the page's refusal to run outside
// a frame, and the events the BI host records along the way.
func TestEmbeddedPageWithoutSDK(t *testing.T) {
	ctx := newTab(t)
	// Registered before the host starts, so that it runs after the host
	// has stopped and no request is left in flight.
	bugs := &bugLog{}
	t.Cleanup(func() { bugs.check(t) })
	h, bi := startBIHostWith(t, func(c *devserver.Config) { c.Logger = slog.New(bugs) }, func(h http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /host.html", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, standInHost, devserver.DemoDashboardUUID)
		})
		mux.Handle("/", h)
		return mux
	})
	good := mintViewerToken(t, bi, "tenant = 'acme'")

	navigate(t, ctx, bi+"/host.html")
	waitTop(t, ctx, `window.handshook && fdoc().body.dataset.handshake === 'done'`)
	waitTop(t, ctx, `fdoc().body.dataset.state === 'awaiting-token'`)

	var errMsg map[string]any
	eval(t, ctx, `get('noSuchMethod', {})`, &errMsg)
	if errMsg["switchboardAction"] != "error" || errMsg["error"] != `[superset] Method "noSuchMethod" is not defined` {
		t.Fatalf("unknown method: %v", errMsg)
	}

	// A bad token fails authentication visibly; a good one then retries.
	eval(t, ctx, `emit('guestToken', {guestToken: 'bad.token.value'})`, nil)
	waitTop(t, ctx, `fdoc().body.dataset.state === 'auth-error' && !fdoc().getElementById('auth-error').hidden`)
	eval(t, ctx, `emit('guestToken', {guestToken: `+jsString(good)+`})`, nil)
	waitTop(t, ctx, `fdoc().body.dataset.state === 'ready'`)
	waitTop(t, ctx, `fdoc().getElementById('chart-4').dataset.status === 'ready'`)
	var st struct{ Count, Last, Status string }
	eval(t, ctx, `({Count: fdoc().body.dataset.tokenCount, Last: fdoc().body.dataset.lastToken, Status: fdoc().getElementById('token-status').textContent})`, &st)
	if st.Count != "2" || st.Last != good || !strings.Contains(st.Status, "holds a guest token") || !strings.Contains(st.Status, "viewer") {
		t.Fatalf("token status %+v", st)
	}

	// RLS: the tenant chart shows acme only.
	var marks []string
	eval(t, ctx, `Array.from(fdoc().querySelectorAll('#chart-4 .mark')).map(function (m) { return m.dataset.label; })`, &marks)
	if strings.Join(marks, ",") != "acme" {
		t.Fatalf("tenant chart marks %v", marks)
	}

	var size map[string]any
	eval(t, ctx, `get('getScrollSize').then(function (m) { return m.result; })`, &size)
	width, _ := size["width"].(float64)
	height, _ := size["height"].(float64)
	if width <= 0 || height <= 0 {
		t.Fatalf("scroll size %v", size)
	}
	var tabs []string
	eval(t, ctx, `get('getActiveTabs').then(function (m) { return m.result; })`, &tabs)
	if len(tabs) != 1 || tabs[0] != "TAB-overview" {
		t.Fatalf("tabs %v", tabs)
	}

	// setDataMask re-queries and, with uiConfig 16, emits observeDataMask.
	eval(t, ctx, `get('setDataMask', {dataMask: {'NATIVE_FILTER-region': {filterState: {value: ['North']}}}})`, nil)
	waitTop(t, ctx, `msgs.some(function (m) { return m.method === 'observeDataMask' && m.args.nativeFiltersChanged === true && m.args['NATIVE_FILTER-region'].filterState.value[0] === 'North'; })`)
	waitTop(t, ctx, `fdoc().querySelectorAll('#chart-2 .mark').length === 1`)
	var mask map[string]any
	eval(t, ctx, `get('getDataMask').then(function (m) { return m.result; })`, &mask)
	if _, ok := mask["NATIVE_FILTER-region"]; !ok {
		t.Fatalf("mask %v", mask)
	}
	var payloads map[string][]map[string]any
	eval(t, ctx, `get('getChartDataPayloads', {chartId: 2}).then(function (m) { return m.result; })`, &payloads)
	if len(payloads) != 1 || len(payloads["2"]) == 0 || payloads["2"][0]["where"] != "region IN ('North') AND (tenant = 'acme')" {
		t.Fatalf("payloads %v", payloads)
	}
	var where string
	eval(t, ctx, `fdoc().querySelector('#debug-where-2 .where').textContent`, &where)
	if where != "region IN ('North') AND (tenant = 'acme')" {
		t.Fatalf("debug WHERE %q", where)
	}

	var link string
	eval(t, ctx, `get('getDashboardPermalink', {anchor: 'chart-2'}).then(function (m) { return m.result; })`, &link)
	if !strings.HasPrefix(link, "https://host.example/p/") {
		t.Fatalf("permalink %q", link)
	}

	eval(t, ctx, `get('setThemeMode', {mode: 'dark'})`, nil)
	waitTop(t, ctx, `fdoc().body.dataset.themeMode === 'dark'`)
	eval(t, ctx, `get('setThemeConfig', {themeConfig: {token: {colorPrimary: 'rgb(255, 0, 0)'}}})`, nil)
	waitTop(t, ctx, `fdoc().body.style.getPropertyValue('--primary') === 'rgb(255, 0, 0)'`)

	// Outside a frame the page refuses to run.
	navigate(t, ctx, bi+"/embedded/"+devserver.DemoDashboardUUID)
	waitTop(t, ctx, `document.body.dataset.state === 'not-framed' && !document.getElementById('not-framed').hidden`)

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

// mintViewerToken mints a guest token for the demo dashboard and the user
// "viewer" at the BI host at bi, with one RLS clause, through the host's
// guest-token API as a host app's backend would.
func mintViewerToken(t *testing.T, bi, clause string) string {
	t.Helper()
	client, err := guesttoken.NewSuperset(bi, guesttoken.Credentials{Username: "admin", Password: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := client.GuestToken(context.Background(), guesttoken.GuestTokenRequest{
		User:      guesttoken.User{Username: "viewer", FirstName: "Vi", LastName: "Ewer"},
		Resources: []guesttoken.Resource{{ID: devserver.DemoDashboardUUID}},
		RLS:       []guesttoken.RLSRule{{Clause: clause}},
	})
	if err != nil {
		t.Fatalf("minting a guest token: %v", err)
	}
	return tok
}
