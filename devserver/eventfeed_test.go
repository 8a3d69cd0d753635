package devserver

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// dialEvents opens the event feed with an Origin header (empty for none).
func dialEvents(t *testing.T, base, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	hdr := http.Header{}
	if origin != "" {
		hdr.Set("Origin", origin)
	}
	return websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/__dashembed/events", hdr)
}

// readUntil reads events until one of kind arrives.
func readUntil(t *testing.T, c *websocket.Conn, kind string) Event {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var ev Event
		if err := c.ReadJSON(&ev); err != nil {
			t.Fatalf("waiting for %s: %v", kind, err)
		}
		if ev.Kind == kind {
			return ev
		}
	}
}

func TestEventFeed(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.EventOrigins = []string{"http://app.example:8080"}
		c.Dashboards[0].AllowedDomains = []string{"portal.example.com"}
	})
	login(t, srv.URL) // a backlog event

	c, _, err := dialEvents(t, srv.URL, "http://app.example:8080")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ev := readUntil(t, c, "login"); ev.Detail["username"] != "admin" || ev.Seq == 0 {
		t.Fatalf("%+v", ev)
	}
	readUntil(t, c, "live")

	tok := mint(t, srv.URL, guestBody(map[string]any{"clause": "tenant = 'acme'"}))
	ev := readUntil(t, c, "token_minted")
	if ev.Detail["by"] != "admin" || !strings.Contains(toJSON(ev.Detail["rls_rules"]), "tenant = 'acme'") {
		t.Fatalf("%+v", ev)
	}
	chartData(t, srv.URL, tok, 1, nil).Want(t, 200)
	ev = readUntil(t, c, "api_call")
	if ev.Detail["path"] != "/api/v1/chart/data" || ev.Detail["where"] != "(tenant = 'acme')" || ev.Detail["status"] != 200.0 {
		t.Fatalf("%+v", ev)
	}
	do(t, "GET", srv.URL+"/embedded/"+DemoDashboardUUID, nil, "Referer", "https://portal.example.com/")
	readUntil(t, c, "page_load")
	do(t, "POST", srv.URL+"/__dashembed/report", map[string]any{"event": "handshake", "dashboard": DemoDashboardUUID, "detail": map[string]any{"origin": "x"}}).Want(t, 204)
	if ev := readUntil(t, c, "page_handshake"); ev.Detail["origin"] != "x" {
		t.Fatalf("%+v", ev)
	}
	do(t, "POST", srv.URL+"/__dashembed/faults?faults=slow=1ms", nil).Want(t, 200)
	readUntil(t, c, "fault")

	// Origins: own origin, event origins and allowed domains pass; others not.
	for origin, ok := range map[string]bool{
		srv.URL:                      true,
		"":                           true, // not a browser
		"https://portal.example.com": true,
		"http://app.example:8080":    true,
		"http://app.example:9999":    false,
		"https://evil.example":       false,
		"null":                       false,
	} {
		c, resp, err := dialEvents(t, srv.URL, origin)
		if ok != (err == nil) {
			t.Errorf("origin %q: err %v", origin, err)
		}
		if err == nil {
			c.Close()
		} else if resp != nil && resp.StatusCode != 403 {
			t.Errorf("origin %q: status %d", origin, resp.StatusCode)
		}
	}
	r := do(t, "GET", srv.URL+"/__dashembed/events", nil).Want(t, 400)
	if !strings.Contains(r.JSON["message"].(string), "websocket") {
		t.Fatalf("%s", r.Body)
	}
	do(t, "POST", srv.URL+"/__dashembed/report", map[string]any{"event": "bogus"}).Want(t, 400)
}

func TestEventFeedClosesOnClose(t *testing.T) {
	h, srv := testHost(t, nil)
	c, _, err := dialEvents(t, srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readUntil(t, c, "live")
	h.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Fatalf("want a going-away close, got %v", err)
			}
			return
		}
	}
}

func TestLiveReload(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "dashembed.js")
	os.WriteFile(js, []byte("v1"), 0o644)
	_, srv := testHost(t, func(c *Config) {
		c.Assets = os.DirFS(dir)
		c.ReloadPoll = 10 * time.Millisecond
	})
	c, _, err := dialEvents(t, srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readUntil(t, c, "live")
	os.WriteFile(js, []byte("version 2"), 0o644)
	os.Chtimes(js, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
	ev := readUntil(t, c, "reload")
	if !strings.Contains(toJSON(ev.Detail["files"]), "dashembed.js") {
		t.Fatalf("%+v", ev)
	}
	if r := do(t, "GET", srv.URL+"/static/assets/embedded.js", nil, "Accept-Encoding", "identity").Want(t, 200); string(r.Body) != "version 2" {
		t.Fatalf("stale bundle %q", r.Body)
	}
}
