package site

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/bench/sizes"
	"github.com/dashembed/dashembed/devserver"
)

func TestHeavyScriptsAreIncompressibleAndEndWithOneStatement(t *testing.T) {
	for name, want := range map[string]int{"entry.js": HeavyEntryBytes, "vendor.js": HeavyVendorBytes} {
		data := heavyScripts[name]
		if len(data) != want {
			t.Errorf("%s: %d bytes, want %d", name, len(data), want)
		}
		end := bytes.Index(data, []byte("*/"))
		if !bytes.HasPrefix(data, []byte("/*")) || end != len(data)-len("*/\n(self.benchHeavy = self.benchHeavy || []).push(performance.now());\n") {
			t.Errorf("%s: the comment ends at %d, not right before the closing statement", name, end)
		}
	}
	// It must cost its size on the wire whatever the server does. (The
	// smaller script, made the same way: brotli at quality 11 is slow.)
	c, err := sizes.Compress(heavyScripts["vendor.js"])
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Sizes(); float64(s.Brotli) < 0.99*float64(s.Raw) || float64(s.Gzip) < 0.99*float64(s.Raw) {
		t.Errorf("vendor.js compresses: raw %d, gzip %d, brotli %d", s.Raw, s.Gzip, s.Brotli)
	}
	if !bytes.Equal(heavyScript(1000, 1), heavyScript(1000, 1)) {
		t.Error("the heavy scripts must be the same in every run")
	}
}

func TestHeavyPageInsertsTheScriptsBeforeTheSwitchboard(t *testing.T) {
	page := []byte("<head><script src=\"/static/page/embedded.js\" defer></script></head>")
	out, ok := heavyPage(page)
	if !ok {
		t.Fatal("the page was not recognised")
	}
	probe := bytes.Index(out, []byte("/bench/frame-token"))
	entry := bytes.Index(out, []byte(`<script src="/bench/heavy/entry.js" defer></script>`))
	vendor := bytes.Index(out, []byte(`<script src="/bench/heavy/vendor.js" defer></script>`))
	own := bytes.Index(out, embeddedScript)
	if probe < 0 || !(probe < entry && entry < vendor && vendor < own) {
		t.Errorf("order of probe, entry, vendor, page script: %d %d %d %d", probe, entry, vendor, own)
	}
	if _, ok := heavyPage([]byte("<p>Dashboard not found</p>")); ok {
		t.Error("a page without the switchboard script must not be taken for the embedded page")
	}
}

func TestServesTheHeavyPageAndCollectsItsTokenReports(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pageURL := s.CrossSiteBIURL + "/embedded/" + devserver.DemoDashboardUUID
	for _, heavy := range []bool{false, true} {
		s.SetConditions(Conditions{Heavy: heavy})
		resp, page := get(t, pageURL, "Referer", s.HostURL+"/", "Accept", "text/html")
		if resp.StatusCode != 200 {
			t.Fatalf("heavy=%v: embedded page answered %d: %s", heavy, resp.StatusCode, page)
		}
		if got := bytes.Contains(page, []byte("/bench/heavy/entry.js")); got != heavy {
			t.Errorf("heavy=%v: page has the heavy scripts: %v", heavy, got)
		}
		if heavy && resp.Header.Get("Content-Length") != "" && resp.Header.Get("Content-Length") != strconv.Itoa(len(page)) {
			t.Errorf("Content-Length %s for a page of %d bytes", resp.Header.Get("Content-Length"), len(page))
		}
	}
	resp, body := get(t, s.BIURL+"/bench/heavy/vendor.js")
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Encoding") != "" || len(body) != HeavyVendorBytes {
		t.Errorf("vendor.js: %d bytes, headers %v", len(body), resp.Header)
	}

	resp, err = http.Post(s.CrossSiteBIURL+"/bench/frame-token", "text/plain", strings.NewReader(`{"at": 1234.5, "url": "x"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	at, err := s.NextFrameToken(time.Second)
	if err != nil || at != 1234.5 {
		t.Errorf("token report %v, %v; want 1234.5", at, err)
	}
	s.frameTokens <- FrameToken{At: 1}
	s.DrainFrameTokens()
	if _, err := s.NextFrameToken(10 * time.Millisecond); err == nil {
		t.Error("a drained report came back")
	}
}
