package devserver

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver/internal/testkit"
)

// TestQuirksAreLogged checks that where the mock is kinder than the real
// product, it says so in a warning.
func TestQuirksAreLogged(t *testing.T) {
	var logs testkit.LogBuffer
	_, srv := testHost(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		c.Dashboards[0].AllowedDomains = []string{"portal.example.com"}
	})
	b := guestBody()
	delete(b, "user")
	do(t, "POST", srv.URL+"/api/v1/security/guest_token/", b, "Authorization", "Bearer "+login(t, srv.URL)).Want(t, 400)
	do(t, "POST", srv.URL+"/api/v1/security/login", map[string]any{"username": "admin", "password": "admin"}).Want(t, 401)
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Referer", "https://portal.example.com/").Want(t, 200)
	for _, want := range []string{"stock Superset answers 500", "stock Superset answers 401", "stock Superset compares full origins"} {
		if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), want) {
			t.Errorf("no warning %q in:\n%s", want, logs.String())
		}
	}
}
