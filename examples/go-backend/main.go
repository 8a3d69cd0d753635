// Command go-backend is a host app with its own users: it signs them in with
// a login form and a signed session cookie, mints each one a guest token
// whose row-level security limits the dashboard to that user's tenant, and
// serves the page that embeds the dashboard with the SDK from the BI host.
//
// Usage (next to `make dev`, whose defaults these are):
//
//	go run ./examples/go-backend [-addr 127.0.0.1:8091] [-bi http://127.0.0.1:8088]
//	    [-username admin] [-password admin] [-dashboard <embed uuid>]
//
// Then sign in as alice/alice (tenant acme) or bob/bob (tenant globex).
package main

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dashembed/dashembed/guesttoken"
)

//go:embed templates/*.html
var templateFiles embed.FS

var templates = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// app is the host app: its sessions, and the client that mints guest tokens
// from the BI host.
type app struct {
	sessions    *sessions
	bi          guesttoken.Minter
	biURL       string
	dashboardID string
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8091", "address to serve the app on")
	biURL := flag.String("bi", "http://127.0.0.1:8088", "the BI host's URL, as the browser and this backend reach it")
	username := flag.String("username", "admin", "service account that mints guest tokens")
	password := flag.String("password", "admin", "its password (in production, read it from a secret store)")
	dashboard := flag.String("dashboard", "5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c", "the dashboard's embed UUID (default: the dev server's demo dashboard)")
	sessionKey := flag.String("session-key", "", "hex HMAC key for session cookies; default a random key, so sessions end when the app restarts")
	flag.Parse()

	key, err := hex.DecodeString(*sessionKey)
	if err != nil || (*sessionKey != "" && len(key) < 32) {
		log.Fatal("-session-key must be at least 32 bytes, hex-encoded")
	}
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	// One client for the whole app: it caches the service login and shares
	// it between concurrent requests.
	bi, err := guesttoken.NewSuperset(*biURL, guesttoken.Credentials{Username: *username, Password: *password})
	if err != nil {
		log.Fatal(err)
	}
	a := &app{
		sessions:    &sessions{key: key, lifetime: 8 * time.Hour, now: time.Now},
		bi:          bi,
		biURL:       strings.TrimRight(*biURL, "/"),
		dashboardID: *dashboard,
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	fmt.Printf("go-backend example: open http://%s/ and sign in as alice/alice (acme) or bob/bob (globex)\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// routes maps the app's URLs.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.handleDashboard)
	mux.HandleFunc("GET /login", a.handleLoginForm)
	mux.HandleFunc("POST /login", a.handleLogin)
	mux.HandleFunc("POST /logout", a.handleLogout)
	mux.HandleFunc("POST /api/guest-token", a.handleGuestToken)
	return mux
}

// currentUser is the signed-in user of the request.
func (a *app) currentUser(r *http.Request) (user, bool) {
	name, err := a.sessions.user(r)
	if err != nil {
		return user{}, false
	}
	// Look the user up on every request: an account removed since the
	// cookie was issued must stop working.
	u, ok := demoUsers[name]
	return u, ok
}

// handleDashboard serves the page that embeds the dashboard.
func (a *app) handleDashboard(w http.ResponseWriter, r *http.Request) {
	u, ok := a.currentUser(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	render(w, http.StatusOK, "dashboard.html", map[string]any{
		"User": u, "BIURL": a.biURL, "DashboardID": a.dashboardID,
	})
}

// handleLoginForm shows the login form.
func (a *app) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	render(w, http.StatusOK, "login.html", map[string]any{"Users": []string{"alice", "bob"}})
}

// handleLogin checks the credentials and starts a session.
func (a *app) handleLogin(w http.ResponseWriter, r *http.Request) {
	u, ok := authenticate(r.PostFormValue("username"), r.PostFormValue("password"))
	if !ok {
		render(w, http.StatusUnauthorized, "login.html", map[string]any{
			"Users": []string{"alice", "bob"}, "Error": "Wrong username or password.", "Username": r.PostFormValue("username"),
		})
		return
	}
	a.sessions.set(w, r, u.Username)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// handleLogout ends the session.
func (a *app) handleLogout(w http.ResponseWriter, r *http.Request) {
	a.sessions.clear(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// handleGuestToken mints a guest token for the signed-in user. Everything in
// the token comes from the server's records of that user: the browser only
// proves who it is with the session cookie.
func (a *app) handleGuestToken(w http.ResponseWriter, r *http.Request) {
	u, ok := a.currentUser(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Sign in first."})
		return
	}
	// The tenant is quoted into SQL by ClauseEquals; the BI host ANDs the
	// clause into every query this token runs.
	clause, err := guesttoken.ClauseEquals("tenant", u.Tenant)
	if err != nil {
		log.Printf("RLS clause for %s: %v", u.Username, err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Could not build the user's data filter."})
		return
	}
	tok, err := a.bi.GuestToken(r.Context(), guesttoken.GuestTokenRequest{
		User: guesttoken.User{
			Username: u.Username, FirstName: u.FirstName, LastName: u.LastName,
			Attributes: map[string]any{"tenant": u.Tenant},
		},
		Resources: []guesttoken.Resource{{ID: a.dashboardID}},
		RLS:       []guesttoken.RLSRule{{Clause: clause}},
	})
	if err != nil {
		// The details (the BI host's answer) go to the log, not to the
		// browser.
		log.Printf("guest token for %s: %v", u.Username, err)
		writeJSON(w, http.StatusBadGateway, map[string]string{"message": "The BI host did not issue a token; see the server log."})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": tok})
}

// render executes a template into the response.
func render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := templates.ExecuteTemplate(w, name, data); err != nil {
		log.Printf("rendering %s: %v", name, err)
	}
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
