package devserver

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

// webFiles are the embedded page's and the demo host app's own files.
//
//go:embed web
var webFiles embed.FS

// embeddedTmpl renders the embedded dashboard page shell; web/embedded.js
// does the rest in the browser.
var embeddedTmpl = template.Must(template.ParseFS(webFiles, "web/embedded.html"))

// pageConfig is what the server tells the page's script, as JSON in the page.
type pageConfig struct {
	Dashboard struct {
		ID    int    `json:"id"`
		UUID  string `json:"uuid"`
		Slug  string `json:"slug"`
		Title string `json:"title"`
	} `json:"dashboard"`
	// AllowedDomains gates which origins may hand the page a port (newer
	// Superset versions check event.origin against the list).
	AllowedDomains []string `json:"allowedDomains"`
	TokenHeader    string   `json:"tokenHeader"`
	// SwitchboardName is the name in the page's switchboard error texts.
	SwitchboardName string `json:"switchboardName"`
	// QueryToken is CalabiIQ's ?guest_token=, for plain-iframe embeds.
	QueryToken  string            `json:"queryToken,omitempty"`
	NoHandshake bool              `json:"noHandshake"`
	Faults      string            `json:"faults,omitempty"`
	Params      map[string]string `json:"params"`
	Route       string            `json:"route"`
}

// embeddedView is the template's data.
type embeddedView struct {
	Title  string
	Config pageConfig
}

// handleEmbeddedByUUID is GET /embedded/<uuid>, the page the SDK frames.
func (h *BIHost) handleEmbeddedByUUID(w http.ResponseWriter, r *http.Request) {
	d, ok := h.dash.byUUID(r.PathValue("uuid"))
	if !ok {
		h.notFoundPage(w, r, "No embedded dashboard has UUID "+strconv.Quote(r.PathValue("uuid"))+
			". Enable embedding on the dashboard (POST /api/v1/dashboard/<id>/embedded) and use the UUID it returns.")
		return
	}
	h.serveEmbedded(w, r, d, "embedded")
}

// handleEmbeddedLegacy is GET /dashboard/<id_or_slug>/embedded/, the route
// older Superset versions frame.
func (h *BIHost) handleEmbeddedLegacy(w http.ResponseWriter, r *http.Request) {
	d, ok := h.dash.find(r.PathValue("key"))
	if !ok {
		h.notFoundPage(w, r, "No dashboard has id or slug "+strconv.Quote(r.PathValue("key"))+".")
		return
	}
	h.serveEmbedded(w, r, d, "legacy")
}

// handleEmbeddedCalabi is GET /embedded/dashboard/<uuid>?guest_token=…,
// CalabiIQ's plain-iframe route: the token comes in the query string, so
// the page needs no SDK and no handshake.
func (h *BIHost) handleEmbeddedCalabi(w http.ResponseWriter, r *http.Request) {
	d, ok := h.dash.byUUID(r.PathValue("uuid"))
	if !ok {
		h.notFoundPage(w, r, "No embedded dashboard has UUID "+strconv.Quote(r.PathValue("uuid"))+".")
		return
	}
	h.serveEmbedded(w, r, d, "calabiiq")
}

// serveEmbedded checks the referrer against the allowed domains, sets the
// framing headers and renders the page.
func (h *BIHost) serveEmbedded(w http.ResponseWriter, r *http.Request, d Dashboard, route string) {
	local, _ := requestFaults(r) // already validated by the slow-fault middleware
	referer := r.Referer()
	ok, lenient := allowedByList(referer, d.AllowedDomains)
	if !ok {
		h.log.Warn("embedded page refused: referrer not allowed", "dashboard", d.UUID, "referer", referer, "allowed", d.AllowedDomains)
		h.events.publish("page_refused", map[string]any{"dashboard": d.ID, "referer": referer, "allowed_domains": d.AllowedDomains})
		h.forbiddenReferrer(w, r, d, referer)
		return
	}
	if lenient {
		h.log.Warn("referrer matched a scheme-less allowed domain; CalabiIQ accepts this, stock Superset compares full origins",
			"referer", referer, "allowed", d.AllowedDomains)
	}
	global := h.faults.get()
	framing := h.cfg.Framing
	if local.DropFraming || global.DropFraming {
		framing = FramingNone
	}
	switch framing {
	case FramingCSP:
		w.Header().Set("Content-Security-Policy", frameAncestors(d.AllowedDomains))
	case FramingStock:
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	}

	var cfg pageConfig
	cfg.Dashboard.ID, cfg.Dashboard.UUID, cfg.Dashboard.Slug, cfg.Dashboard.Title = d.ID, d.UUID, d.Slug, d.Title
	cfg.AllowedDomains = append([]string{}, d.AllowedDomains...)
	cfg.TokenHeader = h.cfg.TokenHeader
	cfg.SwitchboardName = "superset"
	cfg.NoHandshake = local.NoHandshake || global.NoHandshake
	cfg.Faults = r.URL.Query().Get("faults")
	cfg.Route = route
	if route == "calabiiq" {
		cfg.QueryToken = r.URL.Query().Get("guest_token")
	} else if r.URL.Query().Has("guest_token") {
		// Superset never reads a token from the query string; say so
		// rather than quietly accepting what production would ignore.
		h.log.Warn("guest_token in the query string is ignored on this route; Superset takes it only from the switchboard", "path", r.URL.Path)
	}
	cfg.Params = map[string]string{}
	for _, k := range []string{"uiConfig", "show_filters", "expand_filters", "standalone", "themeMode", "locale", "permalink_key"} {
		if v := r.URL.Query().Get(k); v != "" {
			cfg.Params[k] = v
		}
	}
	h.events.publish("page_load", map[string]any{
		"dashboard": d.ID, "uuid": d.UUID, "route": route, "referer": referer,
		"framing": string(framing), "params": cfg.Params, "no_handshake": cfg.NoHandshake,
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := embeddedTmpl.Execute(w, embeddedView{Title: d.Title, Config: cfg}); err != nil {
		h.log.Error("rendering embedded page", "err", err)
	}
}

// wantsHTML reports whether the client asked for a page rather than JSON
// (browsers navigating a frame send Accept: text/html).
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// errorPageTmpl renders the HTML error pages of the embedded routes.
var errorPageTmpl = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#333}h1{font-size:1.2rem;color:#b00020}code{background:#f4f4f4;padding:0 .2em}</style>
</head><body data-state="error" data-status="{{.Status}}"><h1 id="error-title">{{.Title}}</h1><p id="error-message">{{.Message}}</p>
{{if .Hint}}<p id="error-hint">{{.Hint}}</p>{{end}}</body></html>
`))

// errorPage answers an embedded route with an HTML page for browsers and a
// JSON error for everything else.
func errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg, hint string) {
	if !wantsHTML(r) {
		body := map[string]any{"message": msg}
		if hint != "" {
			body["hint"] = hint
		}
		writeJSON(w, status, body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	errorPageTmpl.Execute(w, map[string]any{"Status": status, "Title": title, "Message": msg, "Hint": hint})
}

// notFoundPage answers an unknown dashboard on an embedded route.
func (h *BIHost) notFoundPage(w http.ResponseWriter, r *http.Request, msg string) {
	errorPage(w, r, http.StatusNotFound, "Dashboard not found", msg, "")
}

// forbiddenReferrer answers 403 for a referrer outside the allowed domains,
// explaining what was compared.
func (h *BIHost) forbiddenReferrer(w http.ResponseWriter, r *http.Request, d Dashboard, referer string) {
	var msg string
	if referer == "" {
		msg = "The request has no Referer header, and dashboard " + d.UUID + " only allows embedding from its allowed domains: " +
			strings.Join(d.AllowedDomains, ", ") + "."
	} else {
		msg = "The referrer " + referer + " is not in the allowed domains of dashboard " + d.UUID + ": " +
			strings.Join(d.AllowedDomains, ", ") + ". Origins are compared on scheme, host and port."
	}
	hint := "Add the host app's origin to the dashboard's allowed domains, and make sure the iframe's referrerPolicy sends at least the origin (not \"no-referrer\")."
	errorPage(w, r, http.StatusForbidden, "This dashboard cannot be embedded here", msg, hint)
}

// handlePageAsset is GET /static/page/<name>: the embedded page's own
// script and style.
func (h *BIHost) handlePageAsset(w http.ResponseWriter, r *http.Request) {
	serveWebFile(w, r, r.PathValue("name"), []string{"embedded.js", "embedded.css"})
}

// serveWebFile serves one of the allowed embedded web files.
func serveWebFile(w http.ResponseWriter, r *http.Request, name string, allowed []string) {
	found := false
	for _, a := range allowed {
		found = found || a == name
	}
	if !found {
		writeError(w, http.StatusNotFound, "No such file: "+name)
		return
	}
	b, err := webFiles.ReadFile("web/" + name)
	if err != nil {
		writeError(w, http.StatusNotFound, "No such file: "+name)
		return
	}
	switch {
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case strings.HasSuffix(name, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	// The files change only with the binary, but the dev server is restarted
	// often: make browsers revalidate rather than keep stale copies.
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
