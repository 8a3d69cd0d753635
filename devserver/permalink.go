package devserver

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"sync"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/embedded"
	"github.com/dashembed/dashembed/devserver/internal/guest"
	"github.com/dashembed/dashembed/devserver/internal/randid"
)

// permalinkStore keeps dashboard permalinks: a key for a dashboard's state
// (data mask, active tabs, anchor), as Superset's key-value store does.
type permalinkStore struct {
	mu    sync.Mutex
	links map[string]permalink
}

// permalink is one stored state.
type permalink struct {
	dashboardID int
	state       map[string]any
}

// handlePermalinkCreate is POST /api/v1/dashboard/<key>/permalink, called by
// the embedded page for getDashboardPermalink.
func (h *BIHost) handlePermalinkCreate(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	d, ok := h.guests.Dashboard(w, r, c)
	if !ok {
		return
	}
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	errs := apijson.SchemaErrors{}
	if v, ok := body["dataMask"]; ok && v != nil {
		if _, isObj := v.(map[string]any); !isObj {
			errs.Add("dataMask", apijson.MsgNotObject)
		}
	}
	if v, ok := body["activeTabs"]; ok && v != nil {
		if _, isList := v.([]any); !isList {
			errs.Add("activeTabs", apijson.MsgNotList)
		}
	}
	if _, ok := body["anchor"]; ok {
		apijson.OptString(body, "anchor", errs)
	}
	if len(errs) > 0 {
		apijson.WriteError(w, http.StatusBadRequest, errs)
		return
	}
	key := randid.Hex(8)
	h.perma.mu.Lock()
	if h.perma.links == nil {
		h.perma.links = map[string]permalink{}
	}
	h.perma.links[key] = permalink{dashboardID: d.ID, state: body}
	h.perma.mu.Unlock()
	url := requestOrigin(r) + "/superset/dashboard/p/" + key + "/"
	apijson.Write(w, http.StatusCreated, map[string]string{"key": key, "url": url})
}

// requestOrigin is the origin the client used to reach the host.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// handlePermalinkGet is GET /api/v1/dashboard/permalink/<key>: the stored
// state, for an embedded page opened with ?permalink_key=.
func (h *BIHost) handlePermalinkGet(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	p, ok := h.permalink(r.PathValue("pkey"))
	if !ok {
		apijson.WriteError(w, http.StatusNotFound, "Permalink "+strconv.Quote(r.PathValue("pkey"))+" not found")
		return
	}
	d, found := h.dash.Find(strconv.Itoa(p.dashboardID))
	if !found || !guest.Access(c, d) {
		apijson.WriteError(w, http.StatusForbidden, "The guest token does not grant access to the permalink's dashboard")
		return
	}
	apijson.Write(w, http.StatusOK, map[string]any{"dashboardId": strconv.Itoa(p.dashboardID), "state": p.state})
}

// permalink looks a key up.
func (h *BIHost) permalink(key string) (permalink, bool) {
	h.perma.mu.Lock()
	defer h.perma.mu.Unlock()
	p, ok := h.perma.links[key]
	return p, ok
}

// permalinkTmpl is the page a permalink URL opens outside an embed.
var permalinkTmpl = template.Must(template.New("permalink").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Permalink {{.Key}}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem}pre{background:#f4f4f4;padding:1em}</style></head>
<body data-permalink="{{.Key}}"><h1>Dashboard permalink</h1>
<p>In Superset this URL opens dashboard <b>{{.Title}}</b> for a logged-in user, with this state restored.
An embedding host maps the key to its own page through <code>resolvePermalinkUrl</code>; the embedded page restores
the state when framed with <code>?permalink_key={{.Key}}</code>.</p>
<pre id="permalink-state">{{.State}}</pre></body></html>
`))

// handlePermalinkPage is GET /superset/dashboard/p/<key>/.
func (h *BIHost) handlePermalinkPage(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("pkey")
	p, ok := h.permalink(key)
	if !ok {
		embedded.ErrorPage(w, r, http.StatusNotFound, "Permalink not found", "No permalink has key "+strconv.Quote(key)+".", "")
		return
	}
	d, _ := h.dash.Find(strconv.Itoa(p.dashboardID))
	state, _ := json.MarshalIndent(p.state, "", "  ")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	permalinkTmpl.Execute(w, map[string]any{"Key": key, "Title": d.Title, "State": string(state)})
}
