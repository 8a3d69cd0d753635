package devserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// testHost starts a BI host with DefaultConfig changed by mutate.
func testHost(t *testing.T, mutate func(*Config)) (*BIHost, *httptest.Server) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.ReloadPoll = -1
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := NewBIHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
		if n := h.panics.Load(); n != 0 {
			t.Errorf("%d request(s) reached the recover middleware", n)
		}
	})
	return h, srv
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// do sends a request; body may be a string (sent as is), nil, or a value
// encoded as JSON. Headers are given as name, value pairs.
func do(t *testing.T, method, url string, body any, headers ...string) response {
	t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
		ct = "application/json"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(raw)
		ct = "application/json"
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{status: resp.StatusCode, header: resp.Header, body: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.json); err != nil {
			t.Fatalf("%s %s: invalid JSON %q: %v", method, url, raw, err)
		}
	}
	return out
}

// want fails unless the response has the status.
func (r response) want(t *testing.T, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// login returns an access token for admin/admin.
func login(t *testing.T, base string) string {
	t.Helper()
	r := do(t, "POST", base+"/api/v1/security/login",
		map[string]any{"username": "admin", "password": "admin", "provider": "db"}).want(t, 200)
	return r.json["access_token"].(string)
}

// guestBody is a valid guest-token request for the demo dashboard.
func guestBody(rls ...map[string]any) map[string]any {
	if rls == nil {
		rls = []map[string]any{}
	}
	return map[string]any{
		"user":      map[string]any{"username": "viewer", "first_name": "Vi", "last_name": "Ewer"},
		"resources": []map[string]any{{"type": "dashboard", "id": DemoDashboardUUID}},
		"rls":       rls,
	}
}

// mint gets a guest token through the API.
func mint(t *testing.T, base string, body map[string]any) string {
	t.Helper()
	r := do(t, "POST", base+"/api/v1/security/guest_token/", body, "Authorization", "Bearer "+login(t, base)).want(t, 200)
	return r.json["token"].(string)
}

// toJSON encodes v for loose comparisons in tests.
func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
