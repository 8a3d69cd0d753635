package guesttoken_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/guesttoken"
)

// testClock is the dev server's clock in these tests. It stands still at a
// whole second, so that the float iat of a guest token is exact, and moves
// only when a test advances it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Now().Truncate(time.Second)}
}

// Now is the dev server's Config.Now.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// call is one request the dev server received. status is 0 while the
// request is still being answered, or when the client went away first; done
// is set when the dev server's handler has returned.
type call struct {
	method, path string
	status       int
	done         bool
}

func (c call) String() string { return fmt.Sprintf("%s %s %d", c.method, c.path, c.status) }

// biServer is a real devserver.BIHost behind httptest.NewServer, wrapped to
// record every request and, on demand, to truncate one answer.
type biServer struct {
	host  *devserver.BIHost
	srv   *httptest.Server
	clock *testClock

	mu       sync.Mutex
	calls    []call
	truncate map[string]int // path -> number of answers still to truncate
	// dropCookie is, per path, how many requests still lose their cookies.
	dropCookie map[string]int
	// cancels end the requests still being answered, so that closing the
	// server never waits for a hung handler.
	cancels map[int]context.CancelFunc
}

// startBI starts a dev server with DefaultConfig, its clock set to a
// testClock, then changed by mutate.
func startBI(t *testing.T, mutate func(*devserver.Config)) *biServer {
	t.Helper()
	b := &biServer{clock: newTestClock(), truncate: map[string]int{}, dropCookie: map[string]int{}, cancels: map[int]context.CancelFunc{}}
	cfg := devserver.DefaultConfig()
	cfg.ReloadPoll = -1
	cfg.Now = b.clock.Now
	if mutate != nil {
		mutate(&cfg)
	}
	host, err := devserver.NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.host = host
	b.srv = httptest.NewServer(b)
	t.Cleanup(func() {
		b.mu.Lock()
		for _, cancel := range b.cancels {
			cancel()
		}
		b.mu.Unlock()
		b.srv.Close()
		host.Close()
	})
	return b
}

// URL is the dev server's base URL.
func (b *biServer) URL() string { return b.srv.URL }

// truncateNext makes the next 2xx answer on path arrive cut in half.
func (b *biServer) truncateNext(path string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.truncate[path]++
}

// dropCookieNext makes the next request to path arrive without its cookies,
// as if the BI host had lost the session.
func (b *biServer) dropCookieNext(path string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dropCookie[path]++
}

// ServeHTTP records the request, then lets the dev server answer it.
func (b *biServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	i := len(b.calls)
	b.calls = append(b.calls, call{method: r.Method, path: r.URL.Path})
	cut := b.truncate[r.URL.Path] > 0
	if b.dropCookie[r.URL.Path] > 0 {
		b.dropCookie[r.URL.Path]--
		r.Header.Del("Cookie")
	}
	ctx, cancel := context.WithCancel(r.Context())
	b.cancels[i] = cancel
	b.mu.Unlock()
	defer cancel()
	r = r.WithContext(ctx)

	status := 0
	if cut {
		rec := httptest.NewRecorder()
		b.host.ServeHTTP(rec, r)
		status = rec.Code
		body := rec.Body.Bytes()
		if status >= 200 && status <= 299 {
			b.mu.Lock()
			b.truncate[r.URL.Path]--
			b.mu.Unlock()
			body = body[:len(body)/2]
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		w.Write(body)
	} else {
		sw := &statusWriter{ResponseWriter: w}
		b.host.ServeHTTP(sw, r)
		status = sw.status
	}

	b.mu.Lock()
	b.calls[i].status = status
	b.calls[i].done = true
	delete(b.cancels, i)
	b.mu.Unlock()
}

// waitDone waits up to d for every request to path to be finished by the
// dev server, and reports whether they were.
func (b *biServer) waitDone(path string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		b.mu.Lock()
		busy := false
		for _, c := range b.calls {
			busy = busy || c.path == path && !c.done
		}
		b.mu.Unlock()
		if !busy {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// log returns the requests received so far as "METHOD /path status".
func (b *biServer) log() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, len(b.calls))
	for i, c := range b.calls {
		out[i] = c.String()
	}
	return out
}

// count returns how many requests reached method and path, answered or not.
func (b *biServer) count(method, path string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.calls {
		if c.method == method && c.path == path {
			n++
		}
	}
	return n
}

// wantLog fails unless the recorded requests are exactly want.
func (b *biServer) wantLog(t *testing.T, want ...string) {
	t.Helper()
	if got := b.log(); !slices.Equal(got, want) {
		t.Fatalf("requests received:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// setFaults parses spec and installs it on the dev server.
func (b *biServer) setFaults(t *testing.T, spec string) {
	t.Helper()
	f, err := devserver.ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	b.host.SetFaults(f)
}

// statusWriter remembers the status the dev server answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// Paths of the dev server's token endpoints, as the client names them in
// errors.
const (
	loginPath        = "/api/v1/security/login"
	refreshPath      = "/api/v1/security/refresh"
	csrfPath         = "/api/v1/security/csrf_token/"
	guestTokenPath   = "/api/v1/security/guest_token/"
	presetAuthPath   = "/v1/auth/"
	luzmoAuthPath    = "/0.1.0/authorization"
	presetTeam       = "acme-team"
	presetWorkspace  = "ws1"
	presetGuestToken = "/v1/teams/" + presetTeam + "/workspaces/" + presetWorkspace + "/guest-token/"
)

// fast are options that keep retries quick: tiny backoffs, short cap.
func fast(attempts int) []guesttoken.Option {
	return []guesttoken.Option{
		guesttoken.WithRetry(attempts, time.Millisecond),
		guesttoken.WithMaxBackoff(5 * time.Millisecond),
	}
}

// demoCreds are DefaultConfig's service account.
var demoCreds = guesttoken.Credentials{Username: devserver.DemoUsername, Password: devserver.DemoPassword}

// newSuperset builds a Superset client for b or fails the test.
func newSuperset(t *testing.T, b *biServer, opts ...guesttoken.Option) *guesttoken.Superset {
	t.Helper()
	c, err := guesttoken.NewSuperset(b.URL(), demoCreds, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newCalabiIQ builds a CalabiIQ client with the demo account's API key.
func newCalabiIQ(t *testing.T, b *biServer, opts ...guesttoken.Option) *guesttoken.CalabiIQ {
	t.Helper()
	c, err := guesttoken.NewCalabiIQ(b.URL(), devserver.DefaultConfig().Accounts[0].APIKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newPreset builds a Preset client with the demo API token, aimed at b.
func newPreset(t *testing.T, b *biServer, opts ...guesttoken.Option) *guesttoken.Preset {
	t.Helper()
	k := devserver.DefaultConfig().PresetTokens[0]
	opts = append([]guesttoken.Option{guesttoken.WithBaseURL(b.URL())}, opts...)
	c, err := guesttoken.NewPreset(presetTeam, presetWorkspace,
		guesttoken.PresetCredentials{APIToken: k.Name, APISecret: k.Secret}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newLuzmo builds a Luzmo client with the demo key pair, aimed at b.
func newLuzmo(t *testing.T, b *biServer, opts ...guesttoken.Option) *guesttoken.Luzmo {
	t.Helper()
	k := devserver.DefaultConfig().LuzmoKeys[0]
	opts = append([]guesttoken.Option{guesttoken.WithBaseURL(b.URL())}, opts...)
	c, err := guesttoken.NewLuzmo(guesttoken.LuzmoCredentials{Key: k.Name, Token: k.Secret}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// minterVendor is a vendor whose client implements guesttoken.Minter, with
// the requests its first successful call makes.
type minterVendor struct {
	name string
	// tokenPath is the guest-token endpoint.
	tokenPath string
	// setup lists the requests made before the first guest-token call.
	setup []string
	build func(t *testing.T, b *biServer, opts ...guesttoken.Option) guesttoken.Minter
}

var minterVendors = []minterVendor{
	{
		name: "Superset", tokenPath: guestTokenPath,
		setup: []string{"POST " + loginPath + " 200"},
		build: func(t *testing.T, b *biServer, opts ...guesttoken.Option) guesttoken.Minter {
			return newSuperset(t, b, opts...)
		},
	},
	{
		name: "CalabiIQ", tokenPath: guestTokenPath,
		build: func(t *testing.T, b *biServer, opts ...guesttoken.Option) guesttoken.Minter {
			return newCalabiIQ(t, b, opts...)
		},
	},
	{
		name: "Preset", tokenPath: presetGuestToken,
		setup: []string{"POST " + presetAuthPath + " 200"},
		build: func(t *testing.T, b *biServer, opts ...guesttoken.Option) guesttoken.Minter {
			return newPreset(t, b, opts...)
		},
	},
}

// demoRequest is a valid guest-token request for the demo dashboard.
func demoRequest() guesttoken.GuestTokenRequest {
	return guesttoken.GuestTokenRequest{
		User:      guesttoken.User{Username: "viewer-1", FirstName: "Vi", LastName: "Ewer"},
		Resources: []guesttoken.Resource{{ID: devserver.DemoDashboardUUID}},
		RLS:       []guesttoken.RLSRule{{Clause: "tenant = 'acme'"}},
	}
}

// jwtPart decodes part i (0 header, 1 claims) of a JWT into a map of raw
// values, without verifying anything.
func jwtPart(t *testing.T, token string, i int) map[string]json.RawMessage {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT (%d parts)", token, len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("JWT part %d: %v", i, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("JWT part %d %s: %v", i, raw, err)
	}
	return m
}

// jsonEqual fails unless raw and want encode the same JSON value.
func jsonEqual(t *testing.T, what string, raw json.RawMessage, want string) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s: %s: %v", what, raw, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("%s: bad expectation %s: %v", what, want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("%s = %s, want %s", what, raw, want)
	}
}

// verifyGuestToken checks tok as the dev server's embedded API would, and
// that it grants the demo dashboard to user.
func verifyGuestToken(t *testing.T, b *biServer, tok, user string) *devserver.GuestClaims {
	t.Helper()
	c, err := b.host.VerifyGuestToken(tok)
	if err != nil {
		t.Fatalf("the dev server rejects the minted token: %v", err)
	}
	if c.User.Username != user {
		t.Errorf("token user %q, want %q", c.User.Username, user)
	}
	if len(c.Resources) == 0 || c.Resources[0].ID != devserver.DemoDashboardUUID {
		t.Errorf("token resources %+v, want the demo dashboard first", c.Resources)
	}
	return c
}

// asAPIError fails unless err is an *APIError with exactly these fields.
func asAPIError(t *testing.T, err error, status int, message, endpoint string) *guesttoken.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d %q from %s", status, message, endpoint)
	}
	var apiErr *guesttoken.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v, want *guesttoken.APIError", err, err)
	}
	if apiErr.Status != status || apiErr.Message != message || apiErr.Endpoint != endpoint {
		t.Fatalf("APIError{Status: %d, Message: %q, Endpoint: %q}, want {%d, %q, %q}",
			apiErr.Status, apiErr.Message, apiErr.Endpoint, status, message, endpoint)
	}
	if !strings.Contains(err.Error(), endpoint) || !strings.Contains(err.Error(), message) {
		t.Errorf("error text %q does not name the endpoint and the server's message", err)
	}
	return apiErr
}
