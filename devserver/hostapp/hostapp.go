// Package hostapp is the demo host app: the customer application that
// embeds a dashboard from the mock BI host (package devserver), on an origin
// of its own, the way a real host app embeds one from Superset.
//
// Its page (GET /) loads the SDK from the BI host and embeds the dashboard;
// the SDK's fetchGuestToken calls the app's backend (POST /api/guest-token),
// which mints a token through the guesttoken client, as a real backend
// would: it logs in with the service account, keeps the access token, and
// asks for a guest token carrying the RLS rule of the tenant the visitor
// picked. The rule is built from a fixed list of tenants, never from what
// the browser sent, and a failure of the BI host reaches the page with the
// BI host's own status. The page's fault panel posts to /api/faults, which
// forwards to the BI host's control endpoint, and its event panel reads the
// BI host's websocket feed directly. The app knows the BI host only by its
// URL: everything goes over HTTP. All it shares with the mock's code is the
// HTTP plumbing (internal/apijson, internal/httpkit), so that its errors
// read like the BI host's.
package hostapp

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/httpkit"
	"github.com/dashembed/dashembed/guesttoken"
)

// AllTenants is the tenant choice that mints tokens without a tenant rule,
// so the dashboard shows every tenant's rows.
const AllTenants = "all"

// defaultTenants are the tenants the mock BI host seeds its demo data with.
var defaultTenants = []string{"acme", "globex", "initech"}

// Config configures the demo host app: the customer application that embeds
// a dashboard from the BI host, with its own backend minting guest tokens.
type Config struct {
	// BIURL is the BI host's origin as the browser sees it, e.g.
	// http://127.0.0.1:8088. The backend calls the same URL.
	BIURL string
	// DashboardID is the embedded UUID to embed.
	DashboardID string
	// Username and Password are the service account the backend logs in with.
	Username, Password string
	// SDKURL is the SDK's script src; default BIURL + "/static/assets/embedded.js".
	SDKURL string

	// User is the guest user the backend mints tokens for; default
	// demo-viewer.
	User guesttoken.User
	// Tenants are the tenants the page lets a visitor switch between, besides
	// AllTenants. The backend only accepts these names and turns the chosen
	// one into the RLS clause `tenant = '<name>'`. Default: the demo data's
	// tenants acme, globex and initech; the first is the page's initial
	// choice.
	Tenants []string
	// TenantColumn is the column the tenant rule filters on; default
	// "tenant", the demo data's.
	TenantColumn string
	// RLS are extra row-level-security rules put in every token, next to
	// the tenant rule; default none.
	RLS []guesttoken.RLSRule
	// CSRF makes the backend fetch a CSRF token (and keep the session
	// cookie) before minting, as needed against a strict-CSRF BI host.
	CSRF bool
	// HTTPClient is used for calls to the BI host; default a client whose
	// requests time out after 30 s.
	HTTPClient *http.Client
	// Logger receives the backend's logs; nil logs nowhere.
	Logger *slog.Logger
}

// app is the demo host app's handler.
type app struct {
	cfg    Config
	bi     *guesttoken.Superset
	client *http.Client // for the dev-only fault control, which is not Superset's API
	log    *slog.Logger
	router httpkit.Router
	// clauses maps each accepted tenant choice to its RLS rules, built once
	// from configuration so that no request text ever reaches SQL.
	clauses map[string][]guesttoken.RLSRule
}

// webFiles are the page, its script and its style.
//
//go:embed web
var webFiles embed.FS

// staticFiles is webFiles without the web/ prefix, for ServeFile.
var staticFiles, _ = fs.Sub(webFiles, "web")

// pageTmpl renders the host app's page.
var pageTmpl = template.Must(template.ParseFS(webFiles, "web/hostapp.html"))

// timeout matches the SDK's default guestTokenFetchTimeoutMs, so that a
// hanging BI host (fault guest_token_hang) is seen by the SDK as the slow
// fetch it is rather than cut short by the backend.
const timeout = 30 * time.Second

// errConfig is an error in a Config, prefixed with the package name in this
// one place.
func errConfig(format string, a ...any) error {
	return fmt.Errorf("hostapp: "+format, a...)
}

// New returns the demo host app: GET / embeds the dashboard with the SDK,
// POST /api/guest-token is its backend minting guest tokens from the BI host
// (body {"tenant": name} picks the tenant whose rows the token shows),
// POST /api/faults forwards fault settings to the BI host.
func New(cfg Config) (http.Handler, error) {
	u, err := url.Parse(cfg.BIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errConfig("Config.BIURL %q is not an http(s) origin", cfg.BIURL)
	}
	cfg.BIURL = strings.TrimRight(cfg.BIURL, "/")
	if cfg.DashboardID == "" {
		return nil, errConfig("Config.DashboardID is empty")
	}
	if cfg.SDKURL == "" {
		cfg.SDKURL = cfg.BIURL + "/static/assets/embedded.js"
	}
	if cfg.User.Username == "" && cfg.User.FirstName == "" && cfg.User.LastName == "" && cfg.User.Attributes == nil {
		cfg.User = guesttoken.User{Username: "demo-viewer", FirstName: "Demo", LastName: "Viewer"}
	}
	if cfg.Tenants == nil {
		cfg.Tenants = slices.Clone(defaultTenants)
	}
	if cfg.TenantColumn == "" {
		cfg.TenantColumn = "tenant"
	}
	a := &app{cfg: cfg, client: cfg.HTTPClient, log: cfg.Logger, clauses: map[string][]guesttoken.RLSRule{}}
	extra := append([]guesttoken.RLSRule{}, cfg.RLS...)
	a.clauses[AllTenants] = extra
	for _, t := range cfg.Tenants {
		if t == AllTenants || a.clauses[t] != nil {
			return nil, errConfig("Config.Tenants: %q is reserved or repeated", t)
		}
		clause, err := guesttoken.ClauseEquals(cfg.TenantColumn, t)
		if err != nil {
			return nil, errConfig("Config.Tenants: %w", err)
		}
		a.clauses[t] = append(slices.Clone(extra), guesttoken.RLSRule{Clause: clause})
	}
	if a.client == nil {
		a.client = &http.Client{Timeout: timeout}
	}
	opts := []guesttoken.Option{
		guesttoken.WithHTTPClient(a.client),
		guesttoken.WithAttemptTimeout(timeout),
		guesttoken.WithCSRF(cfg.CSRF),
		// One attempt: the demo exists to show how the SDK copes with a
		// failing token endpoint (fault guest_token_fail), which backend
		// retries would hide.
		guesttoken.WithRetry(1, 0),
		guesttoken.WithUserAgent("dashembed-demo-host-app"),
	}
	a.bi, err = guesttoken.NewSuperset(cfg.BIURL, guesttoken.Credentials{Username: cfg.Username, Password: cfg.Password}, opts...)
	if err != nil {
		return nil, errConfig("Config: %w", err)
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.router.Handle("GET", "/", a.handleIndex)
	a.router.Handle("GET", "/static/{name}", func(w http.ResponseWriter, r *http.Request) {
		httpkit.ServeFile(w, r, staticFiles, r.PathValue("name"), []string{"hostapp.js", "hostapp.css"})
	})
	a.router.Handle("POST", "/api/guest-token", a.handleGuestToken)
	a.router.Handle("POST", "/api/faults", a.handleFaults)
	return a, nil
}

// ServeHTTP bounds request bodies and dispatches.
func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	}
	a.router.ServeHTTP(w, r)
}

// pageConfig is what the page's script needs.
type pageConfig struct {
	BIURL       string   `json:"biURL"`
	DashboardID string   `json:"dashboardId"`
	SDKURL      string   `json:"sdkURL"`
	EventsURL   string   `json:"eventsURL"`
	Tenants     []string `json:"tenants"`
	AllTenants  string   `json:"allTenants"`
}

// handleIndex serves the demo page.
func (a *app) handleIndex(w http.ResponseWriter, r *http.Request) {
	ws := "ws" + strings.TrimPrefix(a.cfg.BIURL, "http") + "/__dashembed/events"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err := pageTmpl.Execute(w, map[string]any{
		"SDKURL":  a.cfg.SDKURL,
		"BIURL":   a.cfg.BIURL,
		"Tenants": a.cfg.Tenants,
		"All":     AllTenants,
		"Config": pageConfig{BIURL: a.cfg.BIURL, DashboardID: a.cfg.DashboardID, SDKURL: a.cfg.SDKURL, EventsURL: ws,
			Tenants: a.cfg.Tenants, AllTenants: AllTenants},
	})
	if err != nil {
		a.log.Error("rendering host app page", "err", err)
	}
}

// tenantChoice reads the tenant the page asked for: an empty body (as the
// SDK's simplest fetchGuestToken sends) means the first tenant.
func (a *app) tenantChoice(r *http.Request) (string, *apijson.BodyError) {
	if r.ContentLength == 0 {
		return a.defaultTenant(), nil
	}
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		return "", berr
	}
	switch t := body["tenant"].(type) {
	case nil:
		return a.defaultTenant(), nil
	case string:
		if _, ok := a.clauses[t]; !ok {
			return "", &apijson.BodyError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("Unknown tenant %q; choose one of %s or %s",
				t, strings.Join(a.cfg.Tenants, ", "), AllTenants)}
		}
		return t, nil
	default:
		return "", &apijson.BodyError{Status: http.StatusBadRequest, Msg: apijson.SchemaErrors{"tenant": []string{apijson.MsgNotString}}}
	}
}

// defaultTenant is the page's initial choice.
func (a *app) defaultTenant() string {
	if len(a.cfg.Tenants) == 0 {
		return AllTenants
	}
	return a.cfg.Tenants[0]
}

// handleGuestToken is the host app's backend endpoint: mint a guest token
// for the chosen tenant. The guesttoken client logs in, caches the access
// token and logs in again when the BI host refuses it.
func (a *app) handleGuestToken(w http.ResponseWriter, r *http.Request) {
	tenant, berr := a.tenantChoice(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	tok, err := a.bi.GuestToken(r.Context(), guesttoken.GuestTokenRequest{
		User:      a.cfg.User,
		Resources: []guesttoken.Resource{{ID: a.cfg.DashboardID}},
		RLS:       a.clauses[tenant],
	})
	if err != nil {
		a.log.Warn("guest token failed", "tenant", tenant, "err", err)
		apijson.WriteError(w, mintStatus(err), "Could not get a guest token from the BI host: "+err.Error())
		return
	}
	a.log.Debug("guest token minted", "tenant", tenant)
	apijson.Write(w, http.StatusOK, map[string]string{"token": tok})
}

// mintStatus is the status the page gets for a failed mint: the BI host's
// own error status passes through, so that the SDK and the person watching
// see "401" or "503" rather than a generic failure.
func mintStatus(err error) int {
	var api *guesttoken.APIError
	var verr *guesttoken.ValidationError
	switch {
	case errors.As(err, &api) && api.Status >= 400:
		return api.Status
	case errors.As(err, &verr):
		return http.StatusInternalServerError
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	default:
		return http.StatusBadGateway
	}
}

// handleFaults forwards a fault spec to the BI host's control endpoint, so
// the page's fault panel needs no cross-origin call. The endpoint belongs to
// the dev server, not to Superset's API, hence a plain request.
func (a *app) handleFaults(w http.ResponseWriter, r *http.Request) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	spec, _ := body["spec"].(string)
	// An empty spec clears every fault.
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost,
		a.cfg.BIURL+"/__dashembed/faults?faults="+url.QueryEscape(spec), nil)
	if err != nil {
		apijson.WriteError(w, http.StatusInternalServerError, err.Error())
		return
	}
	resp, err := a.client.Do(req)
	if err != nil {
		apijson.WriteError(w, http.StatusBadGateway, err.Error())
		return
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if !json.Valid(raw) {
		apijson.WriteError(w, http.StatusBadGateway, fmt.Sprintf("BI host answered %d with non-JSON: %.200s", resp.StatusCode, raw))
		return
	}
	// The BI host's answer (the faults now set, or why the spec was
	// refused) is what the page shows.
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(resp.StatusCode)
	w.Write(raw)
}
