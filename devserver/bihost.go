package devserver

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
)

// BIHost is the mock BI product: Superset's API and embedded pages, Preset's
// and Luzmo's token APIs, the built SDK's static files, the fault-injection
// controls and the event feed. It is an http.Handler; Close stops its
// background work.
type BIHost struct {
	cfg    Config
	log    *slog.Logger
	dash   *dashboardStore
	events *eventHub
	faults faultState
	csrf   csrfStore
	assets *assetServer
	data   *dataStore
	perma  permalinkStore
	router router
	// verified remembers service tokens whose signature was checked.
	verified verifiedTokens

	// panics counts requests that reached the recover middleware: real bugs.
	panics atomic.Int64

	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// NewBIHost checks cfg, fills its defaults, seeds the demo database and
// returns the host. Call Close when done with it.
func NewBIHost(cfg Config) (*BIHost, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	data, err := newDataStore()
	if err != nil {
		return nil, err
	}
	h := &BIHost{
		cfg:    cfg,
		log:    cfg.Logger,
		dash:   newDashboardStore(cfg.Dashboards, cfg.Now()),
		events: newEventHub(cfg.Now),
		data:   data,
		done:   make(chan struct{}),
	}
	if cfg.Assets != nil {
		h.assets = &assetServer{fsys: cfg.Assets, h: h}
		if cfg.ReloadPoll > 0 {
			h.wg.Add(1)
			go h.watchAssets(cfg.ReloadPoll)
		}
	}
	h.routes()
	return h, nil
}

// routes registers every endpoint. The list doubles as the documentation of
// what the mock serves.
func (h *BIHost) routes() {
	rt := &h.router
	// Superset: service login and guest tokens.
	rt.handle("POST", "/api/v1/security/login", h.handleLogin)
	rt.handle("POST", "/api/v1/security/refresh", h.handleRefresh)
	rt.handle("GET", "/api/v1/security/csrf_token/", h.handleCSRFToken)
	rt.handle("POST", "/api/v1/security/guest_token/", h.handleGuestToken)
	// Superset: embedded configuration of a dashboard.
	rt.handle("GET", "/api/v1/dashboard/{key}/embedded", h.handleEmbeddedConfigGet)
	rt.handle("POST", "/api/v1/dashboard/{key}/embedded", h.handleEmbeddedConfigPut)
	rt.handle("PUT", "/api/v1/dashboard/{key}/embedded", h.handleEmbeddedConfigPut)
	rt.handle("DELETE", "/api/v1/dashboard/{key}/embedded", h.handleEmbeddedConfigDelete)
	// Superset: what the embedded page calls with the guest token.
	rt.handle("GET", "/api/v1/me/roles/", h.guestAPI(h.handleMeRoles))
	rt.handle("GET", "/api/v1/dashboard/{key}", h.guestAPI(h.handleDashboardGet))
	rt.handle("GET", "/api/v1/dashboard/{key}/charts", h.guestAPI(h.handleDashboardCharts))
	rt.handle("GET", "/api/v1/dashboard/{key}/datasets", h.guestAPI(h.handleDashboardDatasets))
	rt.handle("POST", "/api/v1/dashboard/{key}/permalink", h.guestAPI(h.handlePermalinkCreate))
	rt.handle("GET", "/api/v1/dashboard/permalink/{pkey}", h.guestAPI(h.handlePermalinkGet))
	rt.handle("GET", "/api/v1/datasource/table/{ds}/column/{col}/values/", h.guestAPI(h.handleColumnValues))
	rt.handle("POST", "/api/v1/chart/data", h.guestAPI(h.handleChartData))
	// Superset and CalabiIQ: embedded pages.
	rt.handle("GET", "/embedded/{uuid}", h.handleEmbeddedByUUID)
	rt.handle("GET", "/embedded/dashboard/{uuid}", h.handleEmbeddedCalabi)
	rt.handle("GET", "/dashboard/{key}/embedded", h.handleEmbeddedLegacy)
	rt.handle("GET", "/superset/dashboard/p/{pkey}", h.handlePermalinkPage)
	rt.handle("GET", "/static/page/{name}", h.handlePageAsset)
	// The built SDK.
	rt.handle("GET", "/static/assets/{name...}", h.handleAsset)
	// Preset Manager API and Luzmo.
	rt.handle("POST", "/v1/auth/", h.handlePresetAuth)
	rt.handle("POST", "/v1/teams/{team}/workspaces/{ws}/guest-token/", h.handlePresetGuestToken)
	rt.handle("POST", "/0.1.0/authorization", h.handleLuzmoAuthorization)
	// Dev-server controls.
	rt.handle("GET", "/__dashembed/faults", h.handleFaultsGet)
	rt.handle("POST", "/__dashembed/faults", h.handleFaultsSet)
	rt.handle("DELETE", "/__dashembed/faults", h.handleFaultsClear)
	rt.handle("GET", "/__dashembed/events", h.handleEvents)
	rt.handle("POST", "/__dashembed/report", h.handleReport)
	rt.handle("GET", "/", h.handleIndex)
}

// ServeHTTP implements http.Handler.
func (h *BIHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.serveWithMiddleware(w, r)
}

// Close stops the asset watcher and ends event-feed connections. It is safe
// to call more than once.
func (h *BIHost) Close() error {
	h.closeOnce.Do(func() {
		close(h.done)
		h.wg.Wait()
		h.data.close()
	})
	return nil
}

// Config returns the effective configuration, defaults filled in.
func (h *BIHost) Config() Config { return h.cfg }

// handleIndex is GET /: a short JSON description, so a developer who opens
// the BI origin in a browser learns what it is.
func (h *BIHost) handleIndex(w http.ResponseWriter, r *http.Request) {
	var ds []map[string]any
	for _, d := range h.dash.all() {
		e := map[string]any{"id": d.ID, "slug": d.Slug, "title": d.Title, "allowed_domains": d.AllowedDomains}
		if d.UUID != "" {
			e["uuid"] = d.UUID
			e["embedded_url"] = "/embedded/" + d.UUID
		}
		ds = append(ds, e)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name":       "dashembed mock BI host",
		"dashboards": ds,
		"faults":     h.faults.get().String(),
	})
}
