package embedded

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/auth"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/devcontrols"
	"github.com/dashembed/dashembed/devserver/internal/httpkit"
)

// FramingMode selects which framing headers embedded pages carry.
type FramingMode string

const (
	// FramingCSP sends Content-Security-Policy: frame-ancestors 'self' plus
	// the dashboard's allowed domains (any origin when the list is empty).
	FramingCSP FramingMode = "csp"
	// FramingStock sends X-Frame-Options: SAMEORIGIN, as stock Superset
	// behind its security-headers layer does; it blocks every cross-origin
	// embed, which lets a host app see and diagnose that failure.
	FramingStock FramingMode = "stock"
	// FramingNone sends no framing header at all.
	FramingNone FramingMode = "none"
)

// Config is what the pages and the embedded-config API need.
type Config struct {
	// Framing is the framing header mode of every page.
	Framing FramingMode
	// TokenHeader is the header the page's script sends the guest token in.
	TokenHeader string
	// FrameAncestors, when set, replaces the frame-ancestors sources built
	// from the allowed domains (a misconfigured TALISMAN_CONFIG).
	FrameAncestors string

	// The host's clock, log, and faults and event feed, and the
	// packages this one consults.
	Now        func() time.Time
	Log        *slog.Logger
	Auth       *auth.Service
	Dashboards *dashboards.Store
	Controls   *devcontrols.Controls
}

// Pages serves the embedded pages and the embedded-config API.
type Pages struct {
	cfg Config
}

// New returns the pages.
func New(cfg Config) *Pages { return &Pages{cfg: cfg} }

// webFiles are the embedded page's shell, script and style.
//
//go:embed web
var webFiles embed.FS

// pageFiles is webFiles without the web/ prefix, for ServeFile.
var pageFiles, _ = fs.Sub(webFiles, "web")

// embeddedTmpl renders the embedded dashboard page shell; web/embedded.js
// does the rest in the browser.
var embeddedTmpl = template.Must(template.ParseFS(webFiles, "web/embedded.html"))

// PageConfig is what the server tells the page's script, as JSON in the
// page (the script element with id dashembed-config).
type PageConfig struct {
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

// pageView is the template's data.
type pageView struct {
	Title  string
	Config PageConfig
	// Bootstrap is Superset's data-bootstrap JSON (see bootstrap).
	Bootstrap string
}

// HandleByUUID is GET /embedded/<uuid>, the page the SDK frames.
func (p *Pages) HandleByUUID(w http.ResponseWriter, r *http.Request) {
	d, ok := p.cfg.Dashboards.ByUUID(r.PathValue("uuid"))
	if !ok {
		notFoundPage(w, r, "No embedded dashboard has UUID "+strconv.Quote(r.PathValue("uuid"))+
			". Enable embedding on the dashboard (POST /api/v1/dashboard/<id>/embedded) and use the UUID it returns.")
		return
	}
	p.serve(w, r, d, "embedded")
}

// HandleLegacy is GET /dashboard/<id_or_slug>/embedded/, the route older
// Superset versions frame.
func (p *Pages) HandleLegacy(w http.ResponseWriter, r *http.Request) {
	d, ok := p.cfg.Dashboards.Find(r.PathValue("key"))
	if !ok {
		notFoundPage(w, r, "No dashboard has id or slug "+strconv.Quote(r.PathValue("key"))+".")
		return
	}
	p.serve(w, r, d, "legacy")
}

// HandleCalabi is GET /embedded/dashboard/<uuid>?guest_token=…, CalabiIQ's
// plain-iframe route: the token comes in the query string, so the page needs
// no SDK and no handshake.
func (p *Pages) HandleCalabi(w http.ResponseWriter, r *http.Request) {
	d, ok := p.cfg.Dashboards.ByUUID(r.PathValue("uuid"))
	if !ok {
		notFoundPage(w, r, "No embedded dashboard has UUID "+strconv.Quote(r.PathValue("uuid"))+".")
		return
	}
	p.serve(w, r, d, "calabiiq")
}

// serve checks the referrer against the allowed domains, sets the framing
// headers and renders the page.
func (p *Pages) serve(w http.ResponseWriter, r *http.Request, d dashboards.Dashboard, route string) {
	if refuseResourceLoad(w, r) {
		return
	}
	local, _ := devcontrols.RequestFaults(r) // already validated by the slow-fault middleware
	referer := r.Referer()
	ok, lenient := allowedByList(referer, d.AllowedDomains)
	if !ok {
		p.cfg.Log.Warn("embedded page refused: referrer not allowed", "dashboard", d.UUID, "referer", referer, "allowed", d.AllowedDomains)
		p.cfg.Controls.Publish("page_refused", map[string]any{"dashboard": d.ID, "referer": referer, "allowed_domains": d.AllowedDomains})
		forbiddenReferrer(w, r, d, referer)
		return
	}
	if lenient {
		p.cfg.Controls.Difference("referrer "+referer+" matched a scheme-less allowed domain, as CalabiIQ accepts",
			"stock Superset compares full origins (scheme, host and port) and answers 403 here")
	}
	global := p.cfg.Controls.Faults()
	framing := p.cfg.Framing
	if local.DropFraming || global.DropFraming {
		framing = FramingNone
	}
	switch framing {
	case FramingCSP:
		csp := frameAncestors(d.AllowedDomains)
		if p.cfg.FrameAncestors != "" {
			csp = "frame-ancestors " + p.cfg.FrameAncestors
		}
		w.Header().Set("Content-Security-Policy", csp)
	case FramingStock:
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	}

	var cfg PageConfig
	cfg.Dashboard.ID, cfg.Dashboard.UUID, cfg.Dashboard.Slug, cfg.Dashboard.Title = d.ID, d.UUID, d.Slug, d.Title
	cfg.AllowedDomains = append([]string{}, d.AllowedDomains...)
	cfg.TokenHeader = p.cfg.TokenHeader
	cfg.SwitchboardName = "superset"
	cfg.NoHandshake = local.NoHandshake || global.NoHandshake
	cfg.Faults = r.URL.Query().Get("faults")
	cfg.Route = route
	if route == "calabiiq" {
		cfg.QueryToken = r.URL.Query().Get("guest_token")
	} else if r.URL.Query().Has("guest_token") {
		// Superset never reads a token from the query string; say so
		// rather than quietly accepting what production would ignore.
		p.cfg.Log.Warn("guest_token in the query string is ignored on this route; Superset takes it only from the switchboard", "path", r.URL.Path)
	}
	cfg.Params = map[string]string{}
	for _, k := range []string{"uiConfig", "show_filters", "expand_filters", "standalone", "themeMode", "locale", "permalink_key"} {
		if v := r.URL.Query().Get(k); v != "" {
			cfg.Params[k] = v
		}
	}
	p.cfg.Controls.Publish("page_load", map[string]any{
		"dashboard": d.ID, "uuid": d.UUID, "route": route, "referer": referer,
		"framing": string(framing), "params": cfg.Params, "no_handshake": cfg.NoHandshake,
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := embeddedTmpl.Execute(w, pageView{Title: d.Title, Config: cfg, Bootstrap: bootstrap(d)}); err != nil {
		p.cfg.Log.Error("rendering embedded page", "err", err)
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

// ErrorPage answers a route a browser may open (a framed page, a permalink)
// with an HTML page for browsers and a JSON error for everything else.
func ErrorPage(w http.ResponseWriter, r *http.Request, status int, title, msg, hint string) {
	if !wantsHTML(r) {
		body := map[string]any{"message": msg}
		if hint != "" {
			body["hint"] = hint
		}
		apijson.Write(w, status, body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	errorPageTmpl.Execute(w, map[string]any{"Status": status, "Title": title, "Message": msg, "Hint": hint})
}

// notFoundPage answers an unknown dashboard on an embedded route.
func notFoundPage(w http.ResponseWriter, r *http.Request, msg string) {
	ErrorPage(w, r, http.StatusNotFound, "Dashboard not found", msg, "")
}

// forbiddenReferrer answers 403 for a referrer outside the allowed domains,
// explaining what was compared.
func forbiddenReferrer(w http.ResponseWriter, r *http.Request, d dashboards.Dashboard, referer string) {
	var msg string
	if referer == "" {
		msg = "The request has no Referer header, and dashboard " + d.UUID + " only allows embedding from its allowed domains: " +
			strings.Join(d.AllowedDomains, ", ") + "."
	} else {
		msg = "The referrer " + referer + " is not in the allowed domains of dashboard " + d.UUID + ": " +
			strings.Join(d.AllowedDomains, ", ") + ". Origins are compared on scheme, host and port."
	}
	hint := "Add the host app's origin to the dashboard's allowed domains, and make sure the iframe's referrerPolicy sends at least the origin (not \"no-referrer\")."
	ErrorPage(w, r, http.StatusForbidden, "This dashboard cannot be embedded here", msg, hint)
}

// HandlePageAsset is GET /static/page/<name>: the embedded page's own
// script and style.
func (p *Pages) HandlePageAsset(w http.ResponseWriter, r *http.Request) {
	httpkit.ServeFile(w, r, pageFiles, r.PathValue("name"), []string{"embedded.js", "embedded.css"})
}
