package devserver

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestQuirksAreLogged checks that where the mock is kinder than the real
// product, it says so in a warning.
func TestQuirksAreLogged(t *testing.T) {
	var logs syncBuffer
	_, srv := testHost(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		c.Dashboards[0].AllowedDomains = []string{"portal.example.com"}
	})
	b := guestBody()
	delete(b, "user")
	do(t, "POST", srv.URL+"/api/v1/security/guest_token/", b, "Authorization", "Bearer "+login(t, srv.URL)).want(t, 400)
	do(t, "POST", srv.URL+"/api/v1/security/login", map[string]any{"username": "admin", "password": "admin"}).want(t, 401)
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Referer", "https://portal.example.com/").want(t, 200)
	for _, want := range []string{"stock Superset answers 500", "stock Superset answers 401", "stock Superset compares full origins"} {
		if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), want) {
			t.Errorf("no warning %q in:\n%s", want, logs.String())
		}
	}
}
