package e2e

import (
	"html/template"
	"net/http"
)

// Test files add pages to either origin from an init function, so that each
// can own its fixtures: hostPages are served by the host app's origin,
// biPages by the BI host's (ahead of the mock BI host itself).
var (
	hostPages = map[string]http.Handler{}
	biPages   = map[string]http.Handler{}
)

func init() {
	hostPages["GET /test/blank"] = hostPage(func() []string { return []string{biURL + "/static/assets/embedded.js"} })
}

// hostPage serves the blank host page loading scripts, which are resolved
// per request: the origins are known only once the servers run.
func hostPage(scripts func() []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = blankPage.Execute(w, scripts())
	})
}

// hostMux serves the host app and the test pages of its origin.
func hostMux(app http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", app)
	for pattern, h := range hostPages {
		mux.Handle(pattern, h)
	}
	return mux
}

// biMux serves the mock BI host and the test pages of its origin.
func biMux(bi http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", bi)
	for pattern, h := range biPages {
		mux.Handle(pattern, h)
	}
	return mux
}

// blankPage loads scripts (the SDK, the way CalabiIQ's docs do) and offers
// the host app's token endpoint as window.fetchToken.
var blankPage = template.Must(template.New("blank").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>e2e host</title></head>
<body>
<div id="mount" style="width:800px;height:600px"></div>
<div id="mount2" style="width:800px;height:600px"></div>
<script>
  window.fetchToken = () =>
    fetch('/api/guest-token', {method: 'POST'}).then((r) => r.json()).then((j) => j.token);
</script>
{{range .}}<script src="{{.}}"></script>
{{end}}</body></html>`))
