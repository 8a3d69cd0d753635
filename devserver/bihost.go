package devserver

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/assets"
	"github.com/dashembed/dashembed/devserver/internal/auth"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/data"
	"github.com/dashembed/dashembed/devserver/internal/devcontrols"
	"github.com/dashembed/dashembed/devserver/internal/embedded"
	"github.com/dashembed/dashembed/devserver/internal/guest"
	"github.com/dashembed/dashembed/devserver/internal/httpkit"
	"github.com/dashembed/dashembed/devserver/internal/vendors"
)

// BIHost is the mock BI product: Superset's API and embedded pages, Preset's
// and Luzmo's token APIs, the built SDK's static files, the fault-injection
// controls and the event feed. It is an http.Handler; Close stops its
// background work.
type BIHost struct {
	cfg     Config
	log     *slog.Logger
	dash    *dashboards.Store
	ctl     *devcontrols.Controls
	auth    *auth.Service
	guests  *guest.Service
	pages   *embedded.Pages
	data    *data.Store
	dataAPI *data.API
	vendors *vendors.API
	assets  *assets.Server
	perma   permalinkStore
	router  httpkit.Router

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
	store, err := openData(cfg)
	if err != nil {
		return nil, err
	}
	h := &BIHost{
		cfg:    cfg,
		log:    cfg.Logger,
		dash:   dashboards.NewStore(cfg.Dashboards, cfg.Now()),
		data:   store,
		assets: assets.New(cfg.Assets),
		done:   make(chan struct{}),
	}
	h.ctl = devcontrols.New(devcontrols.Config{
		Now: cfg.Now, Log: cfg.Logger, Done: h.done,
		FeedOrigin: func(r *http.Request, origin string) bool {
			return embedded.FeedOriginAllowed(r, origin, cfg.EventOrigins, h.dash.All())
		},
	})
	h.auth = auth.New(auth.Config{
		Secret: cfg.Secret, Accounts: cfg.Accounts, AccessLifetime: cfg.AccessTokenLifetime, StrictCSRF: cfg.StrictCSRF,
		Now: cfg.Now, Log: cfg.Logger, Controls: h.ctl,
	})
	h.guests = guest.New(guest.Config{
		Secret: cfg.Secret, Algorithm: cfg.Algorithm, Audience: cfg.Audience, Lifetime: cfg.TokenLifetime, Header: cfg.TokenHeader,
		VerifyAudience: cfg.VerifyAudience, RoleWithoutData: cfg.GuestRoleWithoutData,
		Now: cfg.Now, Log: cfg.Logger, Auth: h.auth, Dashboards: h.dash, Controls: h.ctl,
	})
	h.pages = embedded.New(embedded.Config{
		Framing: cfg.Framing, TokenHeader: cfg.TokenHeader, FrameAncestors: cfg.FrameAncestors,
		Now: cfg.Now, Log: cfg.Logger, Auth: h.auth, Dashboards: h.dash, Controls: h.ctl,
	})
	h.assets.Misconfig = assets.Misconfig{
		WasmType: cfg.WasmContentType, NoCORS: cfg.StaticNoCORS, NoCompression: cfg.StaticNoCompression,
	}
	h.dataAPI = data.NewAPI(store, h.dash, h.guests)
	h.vendors = vendors.New(vendors.Config{
		PresetTokens: cfg.PresetTokens, LuzmoKeys: cfg.LuzmoKeys,
		Now: cfg.Now, Log: cfg.Logger, Auth: h.auth, Guests: h.guests, Dashboards: h.dash, Controls: h.ctl,
	})
	if cfg.Assets != nil && cfg.ReloadPoll > 0 {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			assets.Watch(cfg.Assets, cfg.ReloadPoll, h.done, func(files []string) {
				h.log.Info("SDK bundle changed; asking pages to reload", "files", files)
				h.ctl.Publish("reload", map[string]any{"files": files})
			})
		}()
	}
	h.routes()
	return h, nil
}

// routes registers every endpoint. The list doubles as the documentation of
// what the mock serves.
func (h *BIHost) routes() {
	rt := &h.router
	api := h.guests.API             // the embedded page's calls, with the guest token
	either := h.guests.APIOrAccount // the same, or an account's Bearer token
	// Superset: service login and guest tokens.
	rt.Handle("POST", "/api/v1/security/login", h.auth.HandleLogin)
	rt.Handle("POST", "/api/v1/security/refresh", h.auth.HandleRefresh)
	rt.Handle("GET", "/api/v1/security/csrf_token/", h.auth.HandleCSRFToken)
	rt.Handle("POST", "/api/v1/security/guest_token/", h.guests.HandleGuestToken)
	// Superset: embedded configuration of a dashboard.
	rt.Handle("GET", "/api/v1/dashboard/{key}/embedded", h.pages.HandleConfigGet)
	rt.Handle("POST", "/api/v1/dashboard/{key}/embedded", h.pages.HandleConfigPut)
	rt.Handle("PUT", "/api/v1/dashboard/{key}/embedded", h.pages.HandleConfigPut)
	rt.Handle("DELETE", "/api/v1/dashboard/{key}/embedded", h.pages.HandleConfigDelete)
	rt.Handle("GET", "/api/v1/embedded_dashboard/{uuid}", h.pages.HandleEmbeddedDashboardGet)
	// Superset: what the embedded page calls with the guest token.
	rt.Handle("GET", "/api/v1/me/", api(h.dataAPI.HandleMe))
	rt.Handle("GET", "/api/v1/me/roles/", api(h.dataAPI.HandleMeRoles))
	rt.Handle("GET", "/api/v1/dashboard/{key}", either(h.dataAPI.HandleDashboardGet))
	rt.Handle("GET", "/api/v1/dashboard/{key}/charts", either(h.dataAPI.HandleDashboardCharts))
	rt.Handle("GET", "/api/v1/dashboard/{key}/datasets", either(h.dataAPI.HandleDashboardDatasets))
	rt.Handle("POST", "/api/v1/dashboard/{key}/permalink", api(h.handlePermalinkCreate))
	rt.Handle("GET", "/api/v1/dashboard/permalink/{pkey}", api(h.handlePermalinkGet))
	rt.Handle("GET", "/api/v1/datasource/table/{ds}/column/{col}/values/", either(h.dataAPI.HandleColumnValues))
	rt.Handle("POST", "/api/v1/chart/data", either(h.dataAPI.HandleChartData))
	// Superset and CalabiIQ: embedded pages.
	rt.Handle("GET", "/embedded/{uuid}", h.pages.HandleByUUID)
	rt.Handle("GET", "/embedded/dashboard/{uuid}", h.pages.HandleCalabi)
	rt.Handle("GET", "/dashboard/{key}/embedded", h.pages.HandleLegacy)
	rt.Handle("GET", "/superset/dashboard/p/{pkey}", h.handlePermalinkPage)
	rt.Handle("GET", "/static/page/{name}", h.pages.HandlePageAsset)
	// The built SDK.
	rt.Handle("GET", "/static/assets/{name...}", h.assets.Handle)
	// Preset Manager API and Luzmo.
	rt.Handle("POST", "/v1/auth/", h.vendors.HandlePresetAuth)
	rt.Handle("POST", "/v1/teams/{team}/workspaces/{ws}/guest-token/", h.vendors.HandlePresetGuestToken)
	rt.Handle("POST", "/0.1.0/authorization", h.vendors.HandleLuzmoAuthorization)
	// Dev-server controls.
	rt.Handle("GET", "/__dashembed/faults", h.ctl.HandleFaultsGet)
	rt.Handle("POST", "/__dashembed/faults", h.ctl.HandleFaultsSet)
	rt.Handle("DELETE", "/__dashembed/faults", h.ctl.HandleFaultsClear)
	rt.Handle("GET", "/__dashembed/events", h.ctl.HandleEvents)
	rt.Handle("POST", "/__dashembed/report", h.ctl.HandleReport)
	rt.Handle("GET", "/", h.handleIndex)
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
		h.data.Close()
	})
	return nil
}

// Config returns the effective configuration, defaults filled in.
func (h *BIHost) Config() Config { return h.cfg }

// SetFaults replaces the injected faults; tests call it directly instead of
// going through the control endpoint.
func (h *BIHost) SetFaults(f Faults) { h.ctl.SetFaults(f) }

// Faults returns the injected faults in force, counters as far as they
// have gone down.
func (h *BIHost) Faults() Faults { return h.ctl.Faults() }

// Events returns the recent events (up to the backlog size), oldest first.
func (h *BIHost) Events() []Event { return h.ctl.Events() }

// VerifyGuestToken checks a guest token the way Superset does before
// accepting it: signature and algorithm, audience, expiry (when the token
// has an exp), non-null user, resources and rls_rules, and type "guest".
// Any failure is an error, which the API turns into 401.
func (h *BIHost) VerifyGuestToken(token string) (*GuestClaims, error) { return h.guests.Verify(token) }

// handleIndex is GET /: a short JSON description, so a developer who opens
// the BI origin in a browser learns what it is.
func (h *BIHost) handleIndex(w http.ResponseWriter, r *http.Request) {
	var ds []map[string]any
	for _, d := range h.dash.All() {
		e := map[string]any{"id": d.ID, "slug": d.Slug, "title": d.Title, "allowed_domains": d.AllowedDomains}
		if d.UUID != "" {
			e["uuid"] = d.UUID
			e["embedded_url"] = "/embedded/" + d.UUID
		}
		ds = append(ds, e)
	}
	apijson.Write(w, http.StatusOK, map[string]any{
		"name":       "dashembed mock BI host",
		"dashboards": ds,
		"faults":     h.ctl.Faults().String(),
	})
}
