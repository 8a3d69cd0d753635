package site

import (
	"html/template"
	"net/http"

	"github.com/dashembed/dashembed/devserver"
)

// servePage is GET /bench/page?sdk=<name>&cold=<bool>&field=<bool>: the
// same host page for every SDK, differing only in the script tag's src.
// Both SDKs set the global supersetEmbeddedSdk, so the page calls the same
// code path. The field page embeds from the cross-site BI origin.
func (s *Site) servePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sdk, ok := s.sdks[q.Get("sdk")]
	if !ok {
		http.Error(w, "unknown sdk", http.StatusNotFound)
		return
	}
	field := q.Get("field") == "true"
	bi, prefix := s.BIURL, s.SDKPrefix(sdk.Name)
	if field {
		bi, prefix = s.CrossSiteBIURL, s.FieldSDKPrefix(sdk.Name)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = hostPage.Execute(w, map[string]any{
		"SDK":       prefix + sdk.Script,
		"BIURL":     bi,
		"Dashboard": devserver.DemoDashboardUUID,
		"Cold":      q.Get("cold") == "true",
		"FirstCall": field,
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
//   - with firstCall set, bench.embed also calls getScrollSize as soon as
//     the Promise resolves and records when it is answered;
//   - WebAssembly.instantiate and instantiateStreaming are wrapped to keep
//     each instance's exported memory, so wasm memory growth can be read
//     without reaching into the SDK (the official SDK has none), and the
//     compile and instantiate calls are timed (bench.wasmSpan: from the
//     first call to the last settling; streaming calls include the
//     download).
//
// With Cold set, an inline script right after the SDK's script tag calls
// embedDashboard at once, as a page that embeds on load does.
var hostPage = template.Must(template.New("host").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>dashembed bench host</title>
<script>
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = window.bench = { now, refs: [], memories: [], wasmSpan: null };
  const keep = (result) => {
    const instance = result && (result.instance || result);
    const mem = instance && instance.exports && instance.exports.mem;
    if (mem instanceof WebAssembly.Memory) bench.memories.push(mem);
    return result;
  };
  const span = (start) => {
    const s = bench.wasmSpan || (bench.wasmSpan = { start, end: start });
    s.start = Math.min(s.start, start);
    s.end = Math.max(s.end, now());
  };
  for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
    const original = WebAssembly[name];
    if (typeof original === 'function') {
      WebAssembly[name] = function (...args) {
        const start = now();
        return original.apply(this, args).then((r) => { span(start); return name.startsWith('instantiate') ? keep(r) : r; });
      };
    }
  }
  bench.wasmBytes = () => bench.memories.reduce((n, m) => n + m.buffer.byteLength, 0);
  window.fetchGuestToken = () => fetch('/api/guest-token', { method: 'POST' })
    .then((r) => { if (!r.ok) throw new Error('guest token: HTTP ' + r.status); return r.json(); })
    .then((j) => j.token);
  bench.embed = (mountId, marks, firstCall) => {
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
      (dashboard) => {
        marks.resolved = now();
        if (firstCall) {
          dashboard.getScrollSize().then(() => { marks.firstCall = now(); }, (err) => { marks.error = 'getScrollSize: ' + err; });
        }
        return dashboard;
      },
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
bench.embed('mount', bench.cold, {{.FirstCall}}).then((d) => { bench.dash = d; }, () => {});
</script>{{end}}
</body></html>
`))
