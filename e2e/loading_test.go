package e2e

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/wasm/bundle"
	"github.com/dashembed/dashembed/wasm/spec"
)

// How the SDK loads its wasm: from where, how compressed, what it leaves
// on the page, and what an app is told when it cannot.

// loadingPage loads the SDK from ?sdk= (as a classic script, or as a module
// with ?module=1), with globalThis.DASHEMBED_WASM_URL set to ?wasm= when
// given, under the Content-Security-Policy ?csp=. window.embed() embeds the
// demo dashboard and reports how that ended, whether the fast path had
// mounted the iframe at once, and how many iframes are left. The names the
// page itself defines are in pageGlobals. With ?cold=1 the page calls it
// as soon as the SDK's script has run, as window.result; with ?unmount=1 as
// well, it calls getScrollSize() and unmount() as soon as that resolves.
// Unless ?quiet=1, a resolved embed makes a first call and subscribes to
// `ready` at once.
var loadingPage = template.Must(template.New("loading").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>loading</title></head>
<body>
<div id="mount" style="width:800px;height:600px"></div>
<script>
  window.before = Object.getOwnPropertyNames(window);
  window.marks = {};
  window.fetchToken = () => fetch('/api/guest-token', {method: 'POST'}).then((r) => r.json())
    .then((j) => { window.marks.token = window.marks.token || performance.now(); return j.token; });
  {{if .Wasm}}window.DASHEMBED_WASM_URL = {{.Wasm}};{{end}}
</script>
{{if .Module}}<script type="module">
  import { embedDashboard } from {{.SDK}};
  window.sdk = { embedDashboard };
</script>{{else}}<script src="{{.SDK}}"></script>
<script>window.sdk = window.dashembed;</script>{{end}}
<script>
  // embed(failing): with failing set, a resolved embed is followed until
  // its error event (the wasm failed after the fast path's document held
  // its token), reported as the outcome "error event".
  window.embed = (failing) => {
    const mount = document.getElementById('mount');
    const p = window.sdk.embedDashboard({id: {{.ID}}, supersetDomain: {{.BI}}, mountPoint: mount, fetchGuestToken: window.fetchToken});
    const iframe = mount.querySelector('iframe');
    const early = Boolean(iframe);
    if (iframe) iframe.addEventListener('load', (e) => { window.marks.load = window.marks.load || e.timeStamp; });
    const ended = p.then((d) => {
      window.dash = d;
      // Whether the wasm had arrived when it resolved, and the first call
      // and subscription, made at once.
      const wasmIn = () => performance.getEntriesByType('resource').some((e) => /(\.wasm(\.gz)?|slow-wasm)$/.test(e.name));
      window.wasmAtResolve = wasmIn();
      {{if not .Quiet}}window.firstCall = d.getScrollSize().then((size) => ({size, wasmIn: wasmIn()}), (e) => ({error: e.message}));
      d.on('ready', () => { window.readySeen = true; });{{end}}
      {{if .Unmount}}d.on('error', (e) => { window.errorAfterUnmount = e.code; });
      window.pending = d.getScrollSize().then(() => 'resolved', (e) => e.name);
      d.unmount();
      window.iframesAfterUnmount = document.querySelectorAll('iframe').length;{{end}}
      if (!failing) return {outcome: 'resolved'};
      return new Promise((resolve) => d.on('error', (e) => resolve({outcome: 'error event', code: e.code, message: e.message})));
    },
      (e) => ({outcome: 'rejected', name: e.name, code: e.code, reason: e.reason, url: e.url, message: e.message}));
    const hung = new Promise((resolve) => setTimeout(() => resolve({outcome: 'hung'}), 20000));
    return Promise.race([ended, hung]).then((o) => Object.assign(o, {early, iframes: document.querySelectorAll('iframe').length}));
  };
  // Indexes are the page's frames (the iframe is window[0]), not globals.
  {{if .Cold}}window.result = window.embed();{{end}}
  window.added = () => Object.getOwnPropertyNames(window).filter((k) => !window.before.includes(k) && !/^\d+$/.test(k));
</script>
</body></html>`))

// pageGlobals are the names loadingPage defines itself.
var pageGlobals = []string{"before", "marks", "result", "wasmAtResolve", "firstCall", "readySeen", "errorAfterUnmount", "pending", "iframesAfterUnmount", "fetchToken", "DASHEMBED_WASM_URL", "sdk", "embed", "added", "dash"}

func init() {
	hostPages["GET /test/loading"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if csp := q.Get("csp"); csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		sdk := q.Get("sdk")
		if sdk == "" {
			sdk = biURL + "/static/assets/embedded.js"
		}
		_ = loadingPage.Execute(w, map[string]any{
			"SDK": sdk, "Wasm": q.Get("wasm"), "Module": q.Get("module") != "", "Cold": q.Get("cold") != "", "Unmount": q.Get("unmount") != "", "Quiet": q.Get("quiet") != "",
			"BI": biURL, "ID": devserver.DemoDashboardUUID,
		})
	})
}

// slowWasmDelay is how long /test/slow-wasm holds the wasm back: long
// enough that what happens meanwhile happens without Go.
const slowWasmDelay = 2 * time.Second

func init() {
	// The SDK's gzip-compressed wasm, sent only after slowWasmDelay, as a
	// slow link would (the page's own origin: ?wasm= points at it).
	hostPages["GET /test/slow-wasm"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files, err := bundle.ScriptFiles(distDir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		time.Sleep(slowWasmDelay)
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFile(w, r, filepath.Join(distDir, files[1]))
	})
}

// lateFailDelay is how long /test/late-missing-wasm takes to answer 404.
const lateFailDelay = 2 * time.Second

func init() {
	// A wasm that fails only after lateFailDelay: long enough for the fast
	// path's dashboard to be up, and for a call to be carried meanwhile.
	hostPages["GET /test/late-missing-wasm"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(lateFailDelay)
		http.NotFound(w, r)
	})
}

// loadingURL is the host page's address with the query q.
func loadingURL(q url.Values) string { return hostURL + "/test/loading?" + q.Encode() }

// loadOutcome is what window.embed() reports.
type loadOutcome struct {
	Outcome, Name, Code, Reason, URL, Message string
	Early                                     bool
	Iframes                                   int
}

// TestLoadingAddsOnlyTheDocumentedGlobals: with the SDK running (the wasm
// loaded, a dashboard embedded), a script tag has added the four globals
// upstream's and the vendors' docs use, and nothing else (not Go's fs,
// process, path or Go); the ES module has added none.
func TestLoadingAddsOnlyTheDocumentedGlobals(t *testing.T) {
	for _, c := range []struct {
		name    string
		q       url.Values
		globals []string
	}{
		{"script tag", url.Values{}, contract.Globals},
		{"module", url.Values{"sdk": {biURL + "/static/assets/" + bundle.ESMFile}, "module": {"1"}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := newTab(t)
			navigate(t, ctx, loadingURL(c.q))
			waitTop(t, ctx, `window.sdk`)
			var o loadOutcome
			eval(t, ctx, `window.embed()`, &o)
			if o.Outcome != "resolved" {
				t.Fatalf("embed: %+v", o)
			}
			var added []string
			eval(t, ctx, `window.added()`, &added)
			added = slices.DeleteFunc(added, func(k string) bool { return slices.Contains(pageGlobals, k) })
			slices.Sort(added)
			want := slices.Sorted(slices.Values(c.globals))
			if !slices.Equal(added, want) {
				t.Errorf("globals added by the SDK: %q, want %q", added, want)
			}
		})
	}
}

// byteCounter records, per request path, how many requests a handler
// answered and with how many body bytes.
type byteCounter struct {
	sync.Mutex
	requests map[string]int
	bytes    map[string]int
}

func (b *byteCounter) wrap(h http.Handler) http.Handler {
	b.requests, b.bytes = map[string]int{}, map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		b.Lock()
		b.requests[r.URL.Path]++
		b.bytes[r.URL.Path] += cw.n
		b.Unlock()
	})
}

func (b *byteCounter) get(path string) (requests, bytes int) {
	b.Lock()
	defer b.Unlock()
	return b.requests[path], b.bytes[path]
}

type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += n
	return n, err
}

// TestLoadingCompressedAndCachedForEver: from a BI host that compresses
// nothing, the script tag fetches the build's gzip-compressed wasm by its
// content-hashed name (not the 3 MB wasm) and decompresses it in the
// browser; on a second visit the browser does not even ask for it
// (Cache-Control: immutable), and the dashboard still embeds.
func TestLoadingCompressedAndCachedForEver(t *testing.T) {
	var seen byteCounter
	_, bi := startBIHostWith(t, func(c *devserver.Config) { c.StaticNoCompression = true }, seen.wrap)
	files, err := bundle.ScriptFiles(distDir)
	if err != nil {
		t.Fatal(err)
	}
	gzPath, wasmPath := "/static/assets/"+files[1], "/static/assets/"+files[2]
	gz, err := os.Stat(filepath.Join(distDir, files[1]))
	if err != nil {
		t.Fatal(err)
	}

	ctx := newTab(t)
	page := loadingURL(url.Values{"sdk": {bi + "/static/assets/embedded.js"}})
	for visit := 1; visit <= 2; visit++ {
		navigate(t, ctx, page)
		waitTop(t, ctx, `window.sdk`)
		var o loadOutcome
		eval(t, ctx, `window.embed()`, &o)
		if o.Outcome != "resolved" {
			t.Fatalf("visit %d: %+v", visit, o)
		}
		n, sent := seen.get(gzPath)
		if n != 1 || sent != int(gz.Size()) {
			t.Errorf("after visit %d: %d requests for %s, %d bytes sent; want 1 request of %d bytes in all", visit, n, files[1], sent, gz.Size())
		}
		if n, _ := seen.get(wasmPath); n != 0 {
			t.Errorf("visit %d: the uncompressed %s was fetched too", visit, files[2])
		}
	}
	t.Logf("wasm on the wire without server compression: %d bytes (the wasm is %d)", gz.Size(), fileSize(t, filepath.Join(distDir, files[2])))
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestLoadingFallsBackToThePlainWasm: a server that has only dashembed.js
// and dashembed.wasm (an app that copied the two files the README used to
// name) still works, and so does one that sends the wasm with a wrong
// Content-Type.
func TestLoadingFallsBackToThePlainWasm(t *testing.T) {
	files, err := bundle.ScriptFiles(distDir)
	if err != nil {
		t.Fatal(err)
	}
	noGzip := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, files[1]) {
				http.NotFound(w, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	_, bi := startBIHostWith(t, func(c *devserver.Config) { c.WasmContentType = "application/octet-stream" }, noGzip)
	ctx := newTab(t)
	navigate(t, ctx, loadingURL(url.Values{"sdk": {bi + "/static/assets/embedded.js"}}))
	waitTop(t, ctx, `window.sdk`)
	var o loadOutcome
	eval(t, ctx, `window.embed()`, &o)
	if o.Outcome != "resolved" {
		t.Fatalf("embed with only the plain wasm, sent as application/octet-stream: %+v", o)
	}
}

// TestLoadingFailures: each way the wasm can fail to load ends in
// WASM_LOAD_FAILED with a message naming what to fix (the URL tried, the
// header or directive to add), and nothing hangs. A page where no wasm can
// run (CSP) rejects embedDashboard at once, mounting nothing. Otherwise the
// fast path has shown the dashboard by then, and embedDashboard resolved:
// its error event fires and the iframe is removed, rather than left to run
// out of tokens.
func TestLoadingFailures(t *testing.T) {
	stock := startBIHost(t, func(c *devserver.Config) { c.StaticNoCORS = true })
	missing := biURL + "/static/assets/missing.wasm"
	for _, c := range []struct {
		name   string
		q      url.Values
		reason string
		says   []string
	}{
		{"not found", url.Values{"wasm": {missing}}, spec.LoadNotFound, []string{missing, "404", "DASHEMBED_WASM_URL"}},
		{"an HTML page", url.Values{"wasm": {hostURL + "/test/loading"}}, spec.LoadNotWasm, []string{hostURL + "/test/loading", "text/html"}},
		{"CSP without wasm-unsafe-eval", url.Values{"csp": {"script-src 'self' 'unsafe-inline' " + biURL}}, spec.LoadCSP, []string{"'wasm-unsafe-eval'"}},
		{"stock Superset's static route (no CORS)", url.Values{"sdk": {stock + "/static/assets/embedded.js"}}, spec.LoadCORS, []string{stock + "/static/assets/", "Access-Control-Allow-Origin"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := newTab(t)
			navigate(t, ctx, loadingURL(c.q))
			waitTop(t, ctx, `window.sdk`)
			var o loadOutcome
			eval(t, ctx, `window.embed(true)`, &o)
			checkLoadFailure(t, o, c.reason, c.says)
		})
	}

	// Offline: the load at import fails (404), the browser goes offline,
	// and the next embedDashboard tries again and says why it failed.
	t.Run("offline", func(t *testing.T) {
		ctx := newTab(t)
		navigate(t, ctx, loadingURL(url.Values{"wasm": {missing}}))
		waitTop(t, ctx, `window.sdk`)
		t.Cleanup(func() { kitSetOffline(t, ctx, false) })
		kitSetOffline(t, ctx, true)
		waitTop(t, ctx, `navigator.onLine === false`)
		var o loadOutcome
		eval(t, ctx, `window.embed(true)`, &o)
		checkLoadFailure(t, o, spec.LoadOffline, []string{missing, "offline"})
	})
}

// checkLoadFailure checks a failure reported as a rejection (with the
// reason) or as an error event (whose detail is {code, message}).
func checkLoadFailure(t *testing.T, o loadOutcome, reason string, says []string) {
	t.Helper()
	switch {
	case o.Outcome == "rejected" && o.Name == contract.NameError && o.Reason == reason:
	case o.Outcome == "error event" && reason != spec.LoadCSP:
	default:
		t.Fatalf("got %+v, want a %s rejection with reason %s, or an error event", o, contract.NameError, reason)
	}
	t.Logf("%s: %s", o.Outcome, o.Message)
	if o.Code != contract.CodeWasmLoadFailed {
		t.Errorf("code %q, want %s", o.Code, contract.CodeWasmLoadFailed)
	}
	if reason == spec.LoadCSP && o.Early {
		t.Error("the fast path mounted an iframe on a page where the SDK cannot run")
	}
	for _, s := range says {
		if !strings.Contains(o.Message, s) {
			t.Errorf("the message does not say %q: %s", s, o.Message)
		}
	}
	if o.Iframes != 0 {
		t.Errorf("%d iframes left after the failure (the fast path mounted one at once: %v)", o.Iframes, o.Early)
	}
}

// TestLoadingUnderTrustedTypes: a page that enforces Trusted Types for
// scripts (and allows wasm) embeds as any other: the SDK writes no HTML
// and evaluates no strings.
func TestLoadingUnderTrustedTypes(t *testing.T) {
	ctx := newTab(t)
	navigate(t, ctx, loadingURL(url.Values{"csp": {"require-trusted-types-for 'script'; trusted-types 'none'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' " + biURL}}))
	waitTop(t, ctx, `window.sdk`)
	var o loadOutcome
	eval(t, ctx, `window.embed()`, &o)
	if o.Outcome != "resolved" {
		t.Fatalf("embed under Trusted Types: %+v", o)
	}
	var size map[string]float64
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	if size["height"] <= 0 {
		t.Errorf("getScrollSize() = %v", size)
	}
}

// coldEmbed opens a tab on the loading page with an embed started as the
// SDK's script ran, and checks that it resolved through the fast path.
func coldEmbed(t *testing.T, q url.Values) context.Context {
	t.Helper()
	ctx := newTab(t)
	q.Set("cold", "1")
	navigate(t, ctx, loadingURL(q))
	waitTop(t, ctx, `window.result`)
	var o loadOutcome
	eval(t, ctx, `window.result`, &o)
	if o.Outcome != "resolved" || !o.Early {
		t.Fatalf("cold embed: %+v (want resolved, through the fast path)", o)
	}
	return ctx
}

// TestLoadingWaitsForTheFirstToken: an embed started before the SDK's wasm
// is up (the fast path) gets the link to itself: the wasm's download
// starts only once the dashboard's document has loaded and holds its
// token; the embed then resolves as usual.
func TestLoadingWaitsForTheFirstToken(t *testing.T) {
	ctx := coldEmbed(t, url.Values{})
	waitTop(t, ctx, `performance.getEntriesByType("resource").some((e) => /\.wasm(\.gz)?$/.test(e.name))`)
	var m struct{ Token, Load, Wasm float64 }
	eval(t, ctx, `({token: marks.token, load: marks.load,
		wasm: performance.getEntriesByType("resource").find((e) => /\.wasm(\.gz)?$/.test(e.name)).startTime})`, &m)
	if m.Token == 0 || m.Load == 0 {
		t.Fatalf("marks %+v: the token or the iframe's load was not seen", m)
	}
	if m.Wasm < m.Token || m.Wasm < m.Load {
		t.Errorf("the wasm's download started at %.1f ms, before the document loaded (%.1f ms) and held its token (%.1f ms)", m.Wasm, m.Load, m.Token)
	}
}

// TestLoadingResolvesBeforeGo: a cold embed resolves as soon as the fast
// path's document holds its token, before the wasm has even arrived; the
// first getScrollSize() made right then is answered before the wasm is in
// too (a bare call the fast path's port carries), and the subscription
// made then waits for Go and works.
func TestLoadingResolvesBeforeGo(t *testing.T) {
	ctx := coldEmbed(t, url.Values{"wasm": {hostURL + "/test/slow-wasm"}})
	var wasmAtResolve bool
	eval(t, ctx, `window.wasmAtResolve`, &wasmAtResolve)
	if wasmAtResolve {
		t.Error("embedDashboard resolved only after the wasm had arrived")
	}
	var first struct {
		Size   map[string]float64
		Error  string
		WasmIn bool
	}
	eval(t, ctx, `window.firstCall`, &first)
	if first.Error != "" || first.Size["height"] <= 0 {
		t.Errorf("getScrollSize() called at resolve: %+v", first)
	}
	if first.WasmIn {
		t.Error("the first getScrollSize() was answered only once the wasm was in")
	}
	waitTop(t, ctx, `window.readySeen`)
	// Later calls go straight to Go.
	var size map[string]float64
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	if size["height"] <= 0 {
		t.Errorf("getScrollSize() = %v", size)
	}
}

// TestLoadingUnmountBeforeGo: a dashboard unmounted before the wasm is up
// goes at once; a call waiting for the wasm rejects as calls in flight do
// at unmount (PortClosedError); and once the wasm is up, nothing comes
// back: no iframe, no error event.
func TestLoadingUnmountBeforeGo(t *testing.T) {
	ctx := coldEmbed(t, url.Values{"unmount": {"1"}})
	var at struct {
		WasmAtResolve bool
		Iframes       int
	}
	eval(t, ctx, `({wasmAtResolve: window.wasmAtResolve, iframes: window.iframesAfterUnmount})`, &at)
	if at.WasmAtResolve {
		t.Fatal("the wasm was up before embedDashboard resolved: this test needs it not to be")
	}
	if at.Iframes != 0 {
		t.Errorf("%d iframes right after unmount()", at.Iframes)
	}
	var pending string
	eval(t, ctx, `window.pending`, &pending)
	if pending != contract.NamePortClosed {
		t.Errorf("getScrollSize() waiting at unmount: %q, want a %s", pending, contract.NamePortClosed)
	}
	// The wasm arrives and Go starts; give it time to do anything it would.
	waitTop(t, ctx, `performance.getEntriesByType("resource").some((e) => /\.wasm(\.gz)?$/.test(e.name))`)
	var after struct {
		Iframes int
		Error   string
	}
	eval(t, ctx, `new Promise((r) => setTimeout(r, 1000)).then(() => ({iframes: document.querySelectorAll('iframe').length, error: window.errorAfterUnmount || ""}))`, &after)
	if after.Iframes != 0 || after.Error != "" {
		t.Errorf("after the wasm came up: %d iframes, error event %q; want none", after.Iframes, after.Error)
	}
}

// TestLoadingFailureCutsOffCarriedCalls: a call the fast path carried on
// its port, still unanswered when the wasm fails to load (the dashboard is
// busy), rejects with the load's error at once rather than hanging; the
// dashboard goes with the error event. The page is served from localhost,
// another site than the BI host's 127.0.0.1, so that the dashboard runs in
// a process of its own that the test can keep busy.
func TestLoadingFailureCutsOffCarriedCalls(t *testing.T) {
	ctx := newTab(t)
	page := strings.Replace(hostURL, "127.0.0.1", "localhost", 1)
	wasm := page + "/test/late-missing-wasm"
	navigate(t, ctx, page+"/test/loading?"+url.Values{"cold": {"1"}, "quiet": {"1"}, "wasm": {wasm}}.Encode())
	waitTop(t, ctx, `window.result`)
	var o loadOutcome
	eval(t, ctx, `window.result`, &o)
	if o.Outcome != "resolved" || !o.Early {
		t.Fatalf("cold embed: %+v (want resolved, through the fast path)", o)
	}

	// The dashboard's own thread runs a loop of 4 s, from its next task on:
	// it answers nothing meanwhile, and the wasm fails within it.
	frame := frameTarget(t, ctx, biURL+"/embedded/")
	if _, err := chromedp.Run(frame, chromedp.Evaluate[bool](`setTimeout(() => { const end = Date.now() + 4000; while (Date.now() < end); }), true`)); err != nil {
		t.Fatalf("keeping the dashboard busy: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	var call struct {
		Outcome, Code, Name, Message string
		// AfterFailure: the error event (the load's failure) came first.
		AfterFailure bool
		Ms           float64
	}
	// The call first: a subscription made before it would queue it
	// behind itself, for Go, instead of the fast path's carrying it.
	eval(t, ctx, `(() => {
		const at = performance.now();
		const call = window.dash.getScrollSize();
		window.dash.on('error', (e) => { window.errorEvent = e.code; window.errorAt = performance.now(); });
		const hung = new Promise((resolve) => setTimeout(() => resolve({outcome: 'hung'}), 10000));
		return Promise.race([hung, call.then(
			() => ({outcome: 'resolved'}),
			(e) => ({outcome: 'rejected', code: e.code, name: e.name, message: e.message,
				afterFailure: window.errorAt !== undefined && window.errorAt >= at, ms: performance.now() - at}))]);
	})()`, &call)
	t.Logf("the carried call: %+v", call)
	if call.Outcome != "rejected" || call.Code != contract.CodeWasmLoadFailed || !strings.Contains(call.Message, wasm) || !strings.Contains(call.Message, "404") {
		t.Errorf("getScrollSize() in flight when the wasm failed: %+v; want a %s rejection naming the URL and the 404", call, contract.CodeWasmLoadFailed)
	}
	if !call.AfterFailure {
		t.Error("the call did not end with the wasm's failure")
	}
	var after struct {
		Error   string
		Iframes int
	}
	eval(t, ctx, `({error: window.errorEvent || '', iframes: document.querySelectorAll('iframe').length})`, &after)
	if after.Error != contract.CodeWasmLoadFailed || after.Iframes != 0 {
		t.Errorf("after the failure: error event %q, %d iframes; want %s and none", after.Error, after.Iframes, contract.CodeWasmLoadFailed)
	}
}
