package doctor

import (
	"encoding/json"
	"html/template"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// hostPagePath is where, on the host origin, the browser check's synthetic
// page lives; sdkPath is where a local SDK build is served beside it.
const (
	hostPagePath = "/__dashembed-doctor/"
	sdkPath      = hostPagePath + "sdk/"
)

// embedTimeout bounds the SDK's own handshake in the browser check, so that
// a blocked frame is reported as HANDSHAKE_TIMEOUT rather than hanging.
const embedTimeoutMs = 8000

// hostPageTmpl embeds the dashboard the way a host app does and leaves the
// SDK's verdict in window.__doctor.
var hostPageTmpl = template.Must(template.New("host").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>dashembed-doctor</title><link rel="icon" href="data:,"></head>
<body><div id="dashboard" style="height:600px"></div>
<script src="{{.SDK}}"></script>
<script>
(function () {
  var cfg = {{.Config}};
  var errors = [];
  function done(v) { if (!window.__doctor) { v.errors = errors; window.__doctor = v; } }
  var sdk = window.dashembed || window.supersetEmbeddedSdk;
  if (!sdk) { done({state: "error", code: "SDK_NOT_LOADED", message: "the SDK script did not define dashembed"}); return; }
  sdk.embedDashboard({
    id: cfg.id, supersetDomain: cfg.domain, mountPoint: document.getElementById("dashboard"),
    fetchGuestToken: function () { return Promise.resolve(cfg.token); },
    handshakeTimeoutMs: cfg.timeout,
  }).then(function (d) {
    // Errors after ready (a wasm that fails behind the fast path) count too.
    d.on("error", function (e) { errors.push({code: e.code, message: e.message}); });
    done({state: "ready"});
  }, function (e) { done({state: "error", code: e && e.code, message: String(e && e.message || e)}); });
})();
</script></body></html>
`))

// hostPage renders the synthetic host page.
func (r *run) hostPage() ([]byte, error) {
	sdk := r.opts.SDK
	if !r.sdkIsURL() {
		sdk = r.host.String() + sdkPath + "dashembed.js"
	}
	cfg, err := json.Marshal(map[string]any{"id": r.uuid, "domain": r.opts.BI, "token": r.token, "timeout": embedTimeoutMs})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	err = hostPageTmpl.Execute(&b, map[string]any{"SDK": sdk, "Config": template.JS(cfg)})
	return []byte(b.String()), err
}

// hostResponse answers a request the browser makes to the host origin: the
// synthetic page, a file of a local SDK build, or 404.
func (r *run) hostResponse(urlPath string) (status int, contentType string, body []byte) {
	switch {
	case urlPath == hostPagePath:
		page, err := r.hostPage()
		if err != nil {
			return 500, "text/plain", []byte(err.Error())
		}
		return 200, "text/html; charset=utf-8", page
	case strings.HasPrefix(urlPath, sdkPath) && !r.sdkIsURL():
		name := path.Clean(strings.TrimPrefix(urlPath, sdkPath))
		if strings.Contains(name, "..") {
			break
		}
		b, err := os.ReadFile(filepath.Join(r.opts.SDK, filepath.FromSlash(name)))
		if err != nil {
			break
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if path.Ext(name) == ".wasm" {
			ct = "application/wasm"
		}
		return 200, ct, b
	}
	return 404, "text/plain", []byte("not found")
}
