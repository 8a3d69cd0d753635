package devserver

import (
	"strings"
	"testing"
)

// TestDifferencesEmitWarnings checks that each place where the mock answers
// otherwise than Superset on purpose (devserver/README.md, "Differences from
// Superset") publishes a warning event saying what Superset would do.
func TestDifferencesEmitWarnings(t *testing.T) {
	h, srv := testHost(t, func(c *Config) { c.Dashboards[0].AllowedDomains = []string{"portal.example.com"} })
	access := "Bearer " + login(t, srv.URL)
	cases := []struct {
		name     string
		provoke  func()
		superset string // what the event must say Superset does
	}{
		{"guest token without user", func() {
			b := guestBody()
			delete(b, "user")
			do(t, "POST", guestTokenURL(srv.URL), b, "Authorization", access).Want(t, 400)
		}, "answers 500"},
		{"empty user name", func() {
			b := guestBody()
			b["user"] = map[string]any{"username": ""}
			do(t, "POST", guestTokenURL(srv.URL), b, "Authorization", access).Want(t, 200)
		}, "keeps the empty string"},
		{"scheme-less allowed domain", func() {
			do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Referer", "http://portal.example.com/").Want(t, 200)
		}, "compares full origins"},
		{"unparseable allowed domain", func() {
			do(t, "PUT", srv.URL+"/api/v1/dashboard/1/embedded", map[string]any{"allowed_domains": []any{"http://"}}, "Authorization", access).Want(t, 400)
		}, "stores any string"},
		{"ad-hoc query", func() {
			do(t, "POST", srv.URL+"/api/v1/chart/data", map[string]any{"datasource": map[string]any{"id": 1, "type": "table"}},
				"Authorization", access).Want(t, 400)
		}, "ad-hoc queries"},
		{"chart-data debugging keys", func() {
			chartData(t, srv.URL, mint(t, srv.URL, guestBody()), 1, nil).Want(t, 200)
		}, "debugging aids"},
		{"401 detail", func() {
			do(t, "GET", srv.URL+"/api/v1/me/roles/", nil, "X-GuestToken", "x").Want(t, 401)
		}, `only {"message": "Not authorized"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.provoke()
			for _, ev := range h.Events() {
				if s, _ := ev.Detail["superset"].(string); ev.Kind == "warning" && strings.Contains(s, c.superset) {
					return
				}
			}
			t.Fatalf("no warning event saying Superset %q", c.superset)
		})
	}
}
