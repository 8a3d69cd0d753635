package site

import (
	"html/template"
	"net/http"

	"github.com/dashembed/dashembed/devserver"
)

// servePage is GET /bench/page?sdk=<name>&cold=<bool>: the same host page
// for every SDK, differing only in the script tag's src. Both SDKs set the
// global supersetEmbeddedSdk, so the page calls the same code path.
func (s *Site) servePage(w http.ResponseWriter, r *http.Request) {
	sdk, ok := s.sdks[r.URL.Query().Get("sdk")]
	if !ok {
		http.Error(w, "unknown sdk", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = hostPage.Execute(w, map[string]any{
		"SDK":       s.SDKPrefix(sdk.Name) + sdk.Script,
		"BIURL":     s.BIURL,
		"Dashboard": devserver.DemoDashboardUUID,
		"Cold":      r.URL.Query().Get("cold") == "true",
	})
}

// hostPage is the benchmark's host app page. Its first script installs the
// instrumentation before the SDK loads:
//
//   - bench.embed(mountId, marks) calls embedDashboard and records epoch
//     milliseconds (performance.timeOrigin + performance.now(), comparable
//     with the same clock read inside the iframe) at the call, when an
//     iframe appears under the mount point (MutationObserver), and when the
//     Promise settles;
//   - WebAssembly.instantiate and instantiateStreaming are wrapped to keep
//     each instance's exported memory, so wasm memory growth can be read
//     without reaching into the SDK (the official SDK has none).
//
// With Cold set, an inline script right after the SDK's script tag calls
// embedDashboard at once, as a page that embeds on load does.
var hostPage = template.Must(template.New("host").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>dashembed bench host</title>
<script>
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = window.bench = { now, refs: [], memories: [] };
  const keep = (result) => {
    const instance = result && (result.instance || result);
    const mem = instance && instance.exports && instance.exports.mem;
    if (mem instanceof WebAssembly.Memory) bench.memories.push(mem);
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original === 'function') {
      WebAssembly[name] = function (...args) { return original.apply(this, args).then(keep); };
    }
  }
  bench.wasmBytes = () => bench.memories.reduce((n, m) => n + m.buffer.byteLength, 0);
  window.fetchGuestToken = () => fetch('/api/guest-token', { method: 'POST' })
    .then((r) => { if (!r.ok) throw new Error('guest token: HTTP ' + r.status); return r.json(); })
    .then((j) => j.token);
  bench.embed = (mountId, marks) => {
    const mount = document.getElementById(mountId);
    const observer = new MutationObserver(() => {
      if (marks.iframe === undefined && mount.querySelector('iframe')) {
        marks.iframe = now();
        observer.disconnect();
      }
    });
    observer.observe(mount, { childList: true, subtree: true });
    marks.nav = performance.timeOrigin;
    marks.call = now();
    let promise;
    try {
      promise = supersetEmbeddedSdk.embedDashboard({
        id: {{.Dashboard}},
        supersetDomain: {{.BIURL}},
        mountPoint: mount,
        fetchGuestToken: window.fetchGuestToken,
      });
    } catch (err) {
      promise = Promise.reject(err);
    }
    return Promise.resolve(promise).then(
      (dashboard) => { marks.resolved = now(); return dashboard; },
      (err) => { marks.error = String((err && err.message) || err); throw err; });
  };
})();
</script>
</head><body>
<div id="mount" style="width:800px;height:600px"></div>
<div id="mount2" style="width:800px;height:600px"></div>
<script src="{{.SDK}}"></script>
{{if .Cold}}<script>
bench.cold = {};
bench.embed('mount', bench.cold).then((d) => { bench.dash = d; }, () => {});
</script>{{end}}
</body></html>
`))
