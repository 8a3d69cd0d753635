package devserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"
)

// HostAppConfig configures the demo host app: the customer application that
// embeds a dashboard from the BI host, with its own backend minting guest
// tokens.
type HostAppConfig struct {
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
	User GuestUser
	// RLS are the row-level-security rules put in every token; default one
	// rule limiting the demo to tenant acme. Set to an empty, non-nil slice
	// for none.
	RLS []RLSRule
	// CSRF makes the backend fetch a CSRF token (and keep the session
	// cookie) before minting, as needed against a strict-CSRF BI host.
	CSRF bool
	// HTTPClient is used for calls to the BI host; default a client with a
	// 30 s timeout.
	HTTPClient *http.Client
	// Logger receives the backend's logs; nil logs nowhere.
	Logger *slog.Logger
}

// hostApp is the demo host app's handler.
type hostApp struct {
	cfg    HostAppConfig
	client *http.Client
	log    *slog.Logger
	router router

	mu     sync.Mutex
	access string // cached service access token
}

// hostAppTmpl renders the host app's page.
var hostAppTmpl = template.Must(template.ParseFS(webFiles, "web/hostapp.html"))

// NewHostApp returns the demo host app: GET / embeds the dashboard with the
// SDK, POST /api/guest-token is its backend minting guest tokens from the BI
// host, POST /api/faults forwards fault settings to the BI host.
func NewHostApp(cfg HostAppConfig) (http.Handler, error) {
	u, err := url.Parse(cfg.BIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("devserver: HostAppConfig.BIURL %q is not an http(s) origin", cfg.BIURL)
	}
	cfg.BIURL = strings.TrimRight(cfg.BIURL, "/")
	if cfg.DashboardID == "" {
		return nil, errors.New("devserver: HostAppConfig.DashboardID is empty")
	}
	if cfg.SDKURL == "" {
		cfg.SDKURL = cfg.BIURL + "/static/assets/embedded.js"
	}
	if cfg.User.Username == "" && cfg.User.FirstName == "" && cfg.User.LastName == "" && cfg.User.Attributes == nil {
		cfg.User = GuestUser{Username: "demo-viewer", FirstName: "Demo", LastName: "Viewer"}
	}
	if cfg.RLS == nil {
		cfg.RLS = []RLSRule{{Clause: "tenant = 'acme'"}}
	}
	a := &hostApp{cfg: cfg, client: cfg.HTTPClient, log: cfg.Logger}
	if a.client == nil {
		a.client = &http.Client{Timeout: 30 * time.Second}
	}
	if a.client.Jar == nil && cfg.CSRF {
		// The CSRF token is bound to the session cookie: keep it.
		jar, _ := cookiejar.New(nil)
		c := *a.client
		c.Jar = jar
		a.client = &c
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.router.handle("GET", "/", a.handleIndex)
	a.router.handle("GET", "/static/{name}", func(w http.ResponseWriter, r *http.Request) {
		serveWebFile(w, r, r.PathValue("name"), []string{"hostapp.js", "hostapp.css"})
	})
	a.router.handle("POST", "/api/guest-token", a.handleGuestToken)
	a.router.handle("POST", "/api/faults", a.handleFaults)
	return a, nil
}

// ServeHTTP bounds request bodies and dispatches.
func (a *hostApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	}
	a.router.ServeHTTP(w, r)
}

// hostPageConfig is what the page's script needs.
type hostPageConfig struct {
	BIURL       string `json:"biURL"`
	DashboardID string `json:"dashboardId"`
	SDKURL      string `json:"sdkURL"`
	EventsURL   string `json:"eventsURL"`
}

// handleIndex serves the demo page.
func (a *hostApp) handleIndex(w http.ResponseWriter, r *http.Request) {
	ws := "ws" + strings.TrimPrefix(a.cfg.BIURL, "http") + "/__dashembed/events"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err := hostAppTmpl.Execute(w, map[string]any{
		"SDKURL": a.cfg.SDKURL,
		"BIURL":  a.cfg.BIURL,
		"Config": hostPageConfig{BIURL: a.cfg.BIURL, DashboardID: a.cfg.DashboardID, SDKURL: a.cfg.SDKURL, EventsURL: ws},
	})
	if err != nil {
		a.log.Error("rendering host app page", "err", err)
	}
}

// biError is a failed call to the BI host, passed on to the browser.
type biError struct {
	status int
	body   string
}

// Error says what the BI host answered.
func (e *biError) Error() string { return fmt.Sprintf("BI host answered %d: %s", e.status, e.body) }

// call sends a JSON request to the BI host and decodes a JSON answer.
func (a *hostApp) call(method, path, bearerTok string, in, out any, header map[string]string) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.cfg.BIURL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearerTok != "" {
		req.Header.Set("Authorization", "Bearer "+bearerTok)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return &biError{resp.StatusCode, strings.TrimSpace(string(raw))}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("BI host sent invalid JSON: %v", err)
		}
	}
	return nil
}

// login returns a cached access token, logging in when there is none.
func (a *hostApp) login(fresh bool) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.access != "" && !fresh {
		return a.access, nil
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	err := a.call("POST", "/api/v1/security/login", "", map[string]any{
		"username": a.cfg.Username, "password": a.cfg.Password, "provider": "db", "refresh": false,
	}, &out, nil)
	if err != nil {
		return "", fmt.Errorf("login as %q: %w", a.cfg.Username, err)
	}
	a.access = out.AccessToken
	return a.access, nil
}

// mint asks the BI host for a guest token.
func (a *hostApp) mint(access string) (string, error) {
	var header map[string]string
	if a.cfg.CSRF {
		var c struct {
			Result string `json:"result"`
		}
		if err := a.call("GET", "/api/v1/security/csrf_token/", access, nil, &c, nil); err != nil {
			return "", fmt.Errorf("csrf token: %w", err)
		}
		header = map[string]string{"X-CSRFToken": c.Result}
	}
	var out struct {
		Token string `json:"token"`
	}
	err := a.call("POST", "/api/v1/security/guest_token/", access, map[string]any{
		"user":      a.cfg.User,
		"resources": []GuestResource{{Type: "dashboard", ID: a.cfg.DashboardID}},
		"rls":       a.cfg.RLS,
	}, &out, header)
	return out.Token, err
}

// handleGuestToken is the host app's backend endpoint: log in (cached, and
// again once when the access token was refused) and mint a guest token.
func (a *hostApp) handleGuestToken(w http.ResponseWriter, r *http.Request) {
	access, err := a.login(false)
	var tok string
	if err == nil {
		tok, err = a.mint(access)
		var be *biError
		if errors.As(err, &be) && be.status == http.StatusUnauthorized {
			if access, err = a.login(true); err == nil {
				tok, err = a.mint(access)
			}
		}
	}
	if err != nil {
		a.log.Warn("guest token failed", "err", err)
		status := http.StatusBadGateway
		var be *biError
		if errors.As(err, &be) {
			status = be.status
			if status < 400 {
				status = http.StatusBadGateway
			}
		}
		writeError(w, status, "Could not get a guest token from the BI host: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": tok})
}

// handleFaults forwards a fault spec to the BI host's control endpoint, so
// the page's fault panel needs no cross-origin call.
func (a *hostApp) handleFaults(w http.ResponseWriter, r *http.Request) {
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return
	}
	spec, _ := body["spec"].(string)
	var out map[string]any
	// An empty spec clears every fault.
	err := a.call("POST", "/__dashembed/faults?faults="+url.QueryEscape(spec), "", nil, &out, nil)
	if err != nil {
		var be *biError
		if errors.As(err, &be) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(be.status)
			io.WriteString(w, be.body)
			return
		}
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, out)
}
