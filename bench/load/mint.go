package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dashembed/dashembed/devserver"
)

// GuestTokenBody is the guest-token request the benchmarks send: one
// dashboard, one user, no row-level security.
func GuestTokenBody() []byte {
	b, _ := json.Marshal(map[string]any{
		"user":      map[string]string{"username": "bench", "first_name": "Bench", "last_name": "User"},
		"resources": []map[string]string{{"type": "dashboard", "id": devserver.DemoDashboardUUID}},
		"rls":       []any{},
	})
	return b
}

// Login logs the demo service account in through h and returns its access
// token; h is a BI host, called in-process.
func Login(h http.Handler) (string, error) {
	body, _ := json.Marshal(map[string]any{
		"username": devserver.DemoUsername, "password": devserver.DemoPassword, "provider": "db",
	})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/security/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return "", fmt.Errorf("load: login answered %d: %s", rec.Code, rec.Body.String())
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("load: login answered no access token: %s", rec.Body.String())
	}
	return out.AccessToken, nil
}

// MintBenchmark returns a benchmark of guest-token minting through the BI
// host's handler, in-process (no sockets): parsing and validating the
// request, signing the JWT, publishing the event, writing the answer.
// close releases the host.
func MintBenchmark() (bench func(*testing.B), close func(), err error) {
	bi, err := devserver.NewBIHost(devserver.DefaultConfig())
	if err != nil {
		return nil, nil, err
	}
	access, err := Login(bi)
	if err != nil {
		bi.Close()
		return nil, nil, err
	}
	body := GuestTokenBody()
	bench = func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/api/v1/security/guest_token/", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+access)
			bi.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("guest token answered %d: %s", rec.Code, rec.Body.String())
			}
		}
	}
	return bench, func() { bi.Close() }, nil
}
