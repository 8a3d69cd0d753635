package guesttoken

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The fakes below implement the BI hosts' APIs as the vendors document them,
// including their error shapes, so that the client is tested against the
// same answers the real products give.

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// makeJWT builds an unsigned-in-spirit JWT: the client never verifies
// signatures, it only reads exp and iat.
func makeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	header, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString([]byte("sig"))
}

// decodeJWTClaims reads a token's claims for assertions.
func decodeJWTClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return claims
}

func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return ""
	}
	return strings.TrimPrefix(h, "Bearer ")
}

// knownDashboards are the ids, slugs and embedded UUIDs the fakes recognise.
var knownDashboards = map[string]bool{
	"1":                                    true,
	"sales":                                true,
	"7d8c5ab1-7b0c-4f3e-9a51-3c2d7f1e2a90": true,
}

// checkGuestTokenBody applies Superset's guest-token schema to a body and
// returns the error answer, or nil when the body is acceptable.
func checkGuestTokenBody(body []byte) (int, any) {
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		return 400, map[string]any{"message": "Request payload is not JSON"}
	}
	schema := map[string][]string{}
	if raw, ok := req["user"]; !ok || string(raw) == "null" {
		// Stock Superset answers 500 here; the mock BI host answers a clear
		// 400 instead, and so does this fake.
		return 400, map[string]any{"message": "guest token request needs a user object"}
	} else {
		var u map[string]any
		if json.Unmarshal(raw, &u) != nil {
			schema["user"] = []string{"Invalid input type."}
		}
		for _, k := range []string{"username", "first_name", "last_name"} {
			if v, ok := u[k]; ok {
				if _, isStr := v.(string); !isStr {
					schema["user."+k] = []string{"Not a valid string."}
				}
			}
		}
	}
	var resources []map[string]any
	if raw, ok := req["resources"]; !ok {
		schema["resources"] = []string{"Missing data for required field."}
	} else if json.Unmarshal(raw, &resources) != nil || resources == nil {
		schema["resources"] = []string{"Not a valid list."}
	}
	for i, res := range resources {
		if res["type"] != "dashboard" {
			schema[fmt.Sprintf("resources.%d.type", i)] = []string{"Must be one of: dashboard."}
		}
		if _, ok := res["id"].(string); !ok {
			schema[fmt.Sprintf("resources.%d.id", i)] = []string{"Not a valid string."}
		}
	}
	var rls []map[string]any
	if raw, ok := req["rls"]; !ok {
		schema["rls"] = []string{"Missing data for required field."}
	} else if json.Unmarshal(raw, &rls) != nil || rls == nil {
		schema["rls"] = []string{"Not a valid list."}
	}
	for i, rule := range rls {
		if d, ok := rule["dataset"]; ok {
			if f, isNum := d.(float64); !isNum || f != float64(int(f)) {
				schema[fmt.Sprintf("rls.%d.dataset", i)] = []string{"Not a valid integer."}
			}
		}
		if _, ok := rule["clause"].(string); !ok {
			schema[fmt.Sprintf("rls.%d.clause", i)] = []string{"Missing data for required field."}
		}
	}
	if len(schema) > 0 {
		return 400, map[string]any{"message": schema}
	}
	for _, res := range resources {
		if !knownDashboards[res["id"].(string)] {
			return 400, map[string]any{"message": "EmbeddedDashboard not found."}
		}
	}
	return 0, nil
}

// mintGuestJWT returns a guest token with Superset's claims for a body
// already checked by checkGuestTokenBody.
func mintGuestJWT(body []byte) string {
	var req struct {
		User      any `json:"user"`
		Resources any `json:"resources"`
		RLS       any `json:"rls"`
	}
	_ = json.Unmarshal(body, &req)
	iat := float64(time.Now().UnixNano()) / 1e9
	return makeJWT(map[string]any{
		"user": req.User, "resources": req.Resources, "rls_rules": req.RLS,
		"iat": iat, "exp": iat + 300, "aud": "superset", "type": "guest",
	})
}

// fakeSuperset is Superset's security API (and CalabiIQ's, with apiKey set).
type fakeSuperset struct {
	*httptest.Server

	username, password string
	// apiKey, when set, is accepted as a bearer token on the guest-token call
	// (CalabiIQ).
	apiKey string
	// accessLife is the lifetime written into access tokens' exp claim; zero
	// issues opaque, non-JWT access tokens.
	accessLife time.Duration
	// noGrant simulates an account without the guest-token permission.
	noGrant atomic.Bool
	// requireCSRF is the strict mode of stock Superset.
	requireCSRF bool
	// loginDelay slows logins down to expose duplicate concurrent logins.
	loginDelay time.Duration
	// before, when set, runs first on every request and may answer it.
	before hook
	// prefix serves the API under a path prefix, as a reverse proxy would.
	prefix string

	logins, refreshes, csrfFetches, guestCalls atomic.Int32

	mu             sync.Mutex
	validAccess    map[string]bool
	validRefresh   map[string]bool
	sessions       map[string]string // session cookie → CSRF token
	lastLoginBody  map[string]any
	lastGuestBody  []byte
	lastGuestHeads http.Header
}

func newFakeSuperset(t *testing.T, configure func(*fakeSuperset)) *fakeSuperset {
	t.Helper()
	f := &fakeSuperset{
		username: "embedder", password: "s3cret", accessLife: 15 * time.Minute,
		validAccess: map[string]bool{}, validRefresh: map[string]bool{}, sessions: map[string]string{},
	}
	if configure != nil {
		configure(f)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/security/login", f.login)
	mux.HandleFunc("POST /api/v1/security/refresh", f.refresh)
	mux.HandleFunc("GET /api/v1/security/csrf_token/", f.csrf)
	mux.HandleFunc("POST /api/v1/security/guest_token/", f.guestToken)
	var api http.Handler = mux
	if f.prefix != "" {
		api = http.StripPrefix(f.prefix, mux)
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.before.run(w, r) {
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSuperset) newAccessToken() string {
	var tok string
	if f.accessLife == 0 {
		tok = "opaque-" + randomHex()
	} else {
		now := time.Now().Unix()
		tok = makeJWT(map[string]any{"sub": "1", "jti": randomHex(), "iat": now, "exp": now + int64(f.accessLife/time.Second), "type": "access"})
	}
	f.validAccess[tok] = true
	return tok
}

func (f *fakeSuperset) login(w http.ResponseWriter, r *http.Request) {
	f.logins.Add(1)
	if f.loginDelay > 0 {
		time.Sleep(f.loginDelay)
	}
	body, _ := io.ReadAll(r.Body)
	var req map[string]any
	if json.Unmarshal(body, &req) != nil || req == nil {
		writeJSON(w, 400, map[string]any{"message": "Request payload is not JSON"})
		return
	}
	f.mu.Lock()
	f.lastLoginBody = req
	f.mu.Unlock()
	schema := map[string][]string{}
	for _, k := range []string{"username", "password"} {
		if _, ok := req[k].(string); !ok {
			schema[k] = []string{"Missing data for required field."}
		}
	}
	if p := req["provider"]; p != "db" && p != "ldap" {
		schema["provider"] = []string{"Must be one of: db, ldap."}
	}
	if v, ok := req["refresh"]; ok {
		if _, isBool := v.(bool); !isBool {
			schema["refresh"] = []string{"Not a valid boolean."}
		}
	}
	if len(schema) > 0 {
		writeJSON(w, 400, map[string]any{"message": schema})
		return
	}
	if req["username"] != f.username || req["password"] != f.password {
		writeJSON(w, 401, map[string]any{"message": "Not authorized"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]any{"access_token": f.newAccessToken()}
	if req["refresh"] == true {
		rt := "refresh-" + randomHex()
		f.validRefresh[rt] = true
		out["refresh_token"] = rt
	}
	writeJSON(w, 200, out)
}

func (f *fakeSuperset) refresh(w http.ResponseWriter, r *http.Request) {
	f.refreshes.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.validRefresh[bearerToken(r)] {
		// flask-jwt-extended's shape for a refused token.
		writeJSON(w, 401, map[string]any{"msg": "Token has been revoked"})
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": f.newAccessToken()})
}

func (f *fakeSuperset) authorized(r *http.Request) bool {
	tok := bearerToken(r)
	if f.apiKey != "" {
		return tok == f.apiKey
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.validAccess[tok]
}

func (f *fakeSuperset) csrf(w http.ResponseWriter, r *http.Request) {
	f.csrfFetches.Add(1)
	if !f.authorized(r) {
		writeJSON(w, 401, map[string]any{"msg": "Token has expired"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	sid, tok := randomHex(), randomHex()
	f.sessions[sid] = tok
	http.SetCookie(w, &http.Cookie{Name: "session", Value: sid, Path: "/", HttpOnly: true})
	writeJSON(w, 200, map[string]any{"result": tok})
}

func (f *fakeSuperset) guestToken(w http.ResponseWriter, r *http.Request) {
	f.guestCalls.Add(1)
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.lastGuestBody, f.lastGuestHeads = body, r.Header.Clone()
	f.mu.Unlock()
	if !f.authorized(r) || f.noGrant.Load() {
		writeJSON(w, 401, map[string]any{"message": "Not authorized"})
		return
	}
	if f.requireCSRF {
		cookie, err := r.Cookie("session")
		f.mu.Lock()
		want := ""
		if err == nil {
			want = f.sessions[cookie.Value]
		}
		f.mu.Unlock()
		switch {
		case want == "":
			writeJSON(w, 400, map[string]any{"message": "400 Bad Request: The CSRF session token is missing."})
			return
		case r.Header.Get("X-CSRFToken") != want:
			writeJSON(w, 400, map[string]any{"message": "400 Bad Request: The CSRF tokens do not match."})
			return
		}
	}
	if status, msg := checkGuestTokenBody(body); status != 0 {
		writeJSON(w, status, msg)
		return
	}
	writeJSON(w, 200, map[string]any{"token": mintGuestJWT(body)})
}

// revokeAccess makes every issued access token invalid, as a server restart
// with a new secret key or an early expiry would.
func (f *fakeSuperset) revokeAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.validAccess = map[string]bool{}
}

func (f *fakeSuperset) revokeRefresh() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.validRefresh = map[string]bool{}
}

func (f *fakeSuperset) dropSessions() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions = map[string]string{}
}

func (f *fakeSuperset) guestBody(t *testing.T) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	var m map[string]any
	if err := json.Unmarshal(f.lastGuestBody, &m); err != nil {
		t.Fatalf("guest-token body: %v", err)
	}
	return m
}

// fakePreset is Preset's Manager API for one team and workspace.
type fakePreset struct {
	*httptest.Server
	name, secret, team, workspace string
	before                        hook

	auths, guestCalls atomic.Int32

	mu            sync.Mutex
	valid         map[string]bool
	lastGuestBody []byte
}

func newFakePreset(t *testing.T) *fakePreset {
	t.Helper()
	f := &fakePreset{name: "api-token", secret: "api-secret", team: "acme", workspace: "a1b2c3d4", valid: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/auth/", func(w http.ResponseWriter, r *http.Request) {
		f.auths.Add(1)
		var req map[string]any
		if json.NewDecoder(r.Body).Decode(&req) != nil {
			writeJSON(w, 400, map[string]any{"message": "Request payload is not JSON"})
			return
		}
		if req["name"] != f.name || req["secret"] != f.secret {
			writeJSON(w, 401, map[string]any{"message": "Invalid credentials"})
			return
		}
		now := time.Now().Unix()
		tok := makeJWT(map[string]any{"sub": f.name, "jti": randomHex(), "iat": now, "exp": now + 3600})
		f.mu.Lock()
		f.valid[tok] = true
		f.mu.Unlock()
		writeJSON(w, 200, map[string]any{"payload": map[string]any{"access_token": tok}})
	})
	mux.HandleFunc("POST /v1/teams/{team}/workspaces/{workspace}/guest-token/", func(w http.ResponseWriter, r *http.Request) {
		f.guestCalls.Add(1)
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		ok := f.valid[bearerToken(r)]
		f.lastGuestBody = body
		f.mu.Unlock()
		if !ok {
			writeJSON(w, 401, map[string]any{"message": "Not authorized"})
			return
		}
		if r.PathValue("team") != f.team || r.PathValue("workspace") != f.workspace {
			writeJSON(w, 404, map[string]any{"message": "Workspace not found"})
			return
		}
		if status, msg := checkGuestTokenBody(body); status != 0 {
			writeJSON(w, status, msg)
			return
		}
		writeJSON(w, 200, map[string]any{"payload": map[string]any{"token": mintGuestJWT(body)}})
	})
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.before.run(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakePreset) revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.valid = map[string]bool{}
}

// fakeLuzmo is Luzmo's authorization endpoint.
type fakeLuzmo struct {
	*httptest.Server
	key, token string
	before     hook
	calls      atomic.Int32

	mu       sync.Mutex
	lastBody map[string]any
}

func newFakeLuzmo(t *testing.T) *fakeLuzmo {
	t.Helper()
	f := &fakeLuzmo{key: "luzmo-key", token: "luzmo-token"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /0.1.0/authorization", f.authorize)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.before.run(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func luzmoError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"type": map[string]any{"code": status, "description": http.StatusText(status)}, "message": msg})
}

func (f *fakeLuzmo) authorize(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	var req map[string]any
	if json.NewDecoder(r.Body).Decode(&req) != nil {
		luzmoError(w, 400, "Request body is not valid JSON")
		return
	}
	f.mu.Lock()
	f.lastBody = req
	f.mu.Unlock()
	if req["action"] != "create" || req["version"] != "0.1.0" {
		luzmoError(w, 400, "Unsupported action or version")
		return
	}
	if req["key"] != f.key || req["token"] != f.token {
		luzmoError(w, 401, "Invalid key or token")
		return
	}
	props, _ := req["properties"].(map[string]any)
	if props == nil || props["type"] != "embed" {
		luzmoError(w, 400, "properties.type must be embed")
		return
	}
	if s, _ := props["username"].(string); s == "" {
		luzmoError(w, 400, "properties.username is required")
		return
	}
	switch props["role"] {
	case nil, "viewer", "designer", "owner":
	default:
		luzmoError(w, 400, "properties.role is invalid")
		return
	}
	rights := map[any]bool{"read": true, "use": true, "modify": true, "own": true}
	access, _ := props["access"].(map[string]any)
	entries := 0
	for list, field := range map[string]string{"collections": "inheritRights", "dashboards": "rights", "datasets": "rights"} {
		items, _ := access[list].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if id, _ := m["id"].(string); id == "" || !rights[m[field]] {
				luzmoError(w, 400, "properties.access."+list+" has an invalid entry")
				return
			}
			entries++
		}
	}
	if entries == 0 {
		luzmoError(w, 400, "properties.access must grant at least one securable")
		return
	}
	if e, ok := props["expiry"]; ok {
		s, _ := e.(string)
		exp, err := time.Parse(time.RFC3339, s)
		if err != nil || !exp.After(time.Now()) || exp.After(time.Now().AddDate(1, 0, 1)) {
			luzmoError(w, 400, "properties.expiry is invalid")
			return
		}
	}
	if v, ok := props["inactivity_interval"]; ok {
		if n, _ := v.(float64); n != 0 && n < 120 {
			luzmoError(w, 400, "properties.inactivity_interval must be 0 or at least 120")
			return
		}
	}
	writeJSON(w, 200, map[string]any{"type": "embed", "id": "auth-" + randomHex(), "token": randomHex() + randomHex(), "user_id": "u-1"})
}

func (f *fakeLuzmo) body() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastBody
}

// hook is a fault injector a test installs on a running fake; it is guarded
// because the server's goroutines read it.
type hook struct {
	mu sync.Mutex
	fn func(w http.ResponseWriter, r *http.Request) bool
}

func (h *hook) set(fn func(w http.ResponseWriter, r *http.Request) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fn = fn
}

// run calls the installed function, which reports whether it answered.
func (h *hook) run(w http.ResponseWriter, r *http.Request) bool {
	h.mu.Lock()
	fn := h.fn
	h.mu.Unlock()
	return fn != nil && fn(w, r)
}

// withNow lets tests move the client's clock instead of sleeping.
func withNow(now func() time.Time) Option {
	return func(c *config) error {
		c.now = now
		return nil
	}
}

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fastRetry keeps retry tests quick.
var fastRetry = WithRetry(3, time.Millisecond)

// dashboardReq is a valid request used across tests.
func dashboardReq() GuestTokenRequest {
	return GuestTokenRequest{
		User:      User{Username: "ada", FirstName: "Ada", LastName: "Lovelace"},
		Resources: []Resource{{ID: "7d8c5ab1-7b0c-4f3e-9a51-3c2d7f1e2a90"}},
	}
}
