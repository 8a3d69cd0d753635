package doctor

import (
	"net/http"
	"testing"
)

// TestSourceAllows: CSP frame-ancestors sources against a host origin, for a
// page served from http://bi.example.com.
func TestSourceAllows(t *testing.T) {
	self, _ := parseOrigin("http://bi.example.com")
	app, _ := parseOrigin("https://app.example.com")
	cases := []struct {
		src  string
		want bool
	}{
		{"*", true},
		{"'none'", false},
		{"'self'", false},
		{"https:", true},
		{"http:", true}, // upgrade
		{"wss:", false},
		{"https://app.example.com", true},
		{"https://app.example.com:443", true},
		{"https://app.example.com:8443", false},
		{"https://app.example.com:*", true},
		{"http://app.example.com", true}, // upgrade
		{"app.example.com", true},        // the page's scheme, upgraded
		{"https://*.example.com", true},
		{"https://*.other.com", false},
		{"https://app.example.com/path/", true},
		{"https://other.example.com", false},
	}
	for _, c := range cases {
		if got := sourceAllows(c.src, app, self); got != c.want {
			t.Errorf("sourceAllows(%q) = %v, want %v", c.src, got, c.want)
		}
	}
	if !sourceAllows("'self'", self, self) {
		t.Error("'self' does not admit the page's own origin")
	}
}

// TestFrameAncestorLists: every policy's frame-ancestors is found, across
// headers and comma-joined policies; policies without one add nothing.
func TestFrameAncestorLists(t *testing.T) {
	h := http.Header{}
	h.Add("Content-Security-Policy", "default-src 'self'; frame-ancestors 'self' https://a.example")
	h.Add("Content-Security-Policy", "script-src 'self', frame-ancestors https://b.example")
	got := frameAncestorLists(h)
	if len(got) != 2 || got[0][1] != "https://a.example" || got[1][0] != "https://b.example" {
		t.Errorf("frameAncestorLists = %q", got)
	}
}

// TestJudgeEntry: allowed-domain entries against http://app.example.com:8080.
func TestJudgeEntry(t *testing.T) {
	host, _ := parseOrigin("http://app.example.com:8080")
	cases := []struct {
		entry       string
		match, note bool
	}{
		{"http://app.example.com:8080", true, false},
		{"http://APP.example.com:8080/", true, true},
		{"app.example.com", true, true},
		{"app.example.com:8080", true, true},
		{"app.example.com:9090", false, false},
		{"https://app.example.com:8080", false, true},
		{"http://app.example.com", false, true},
		{"http://other.example.com:8080", false, false},
	}
	for _, c := range cases {
		verdict, match := judgeEntry(c.entry, host)
		if match != c.match || (verdict != "") != c.note {
			t.Errorf("judgeEntry(%q) = %q, %v; want match %v, note %v", c.entry, verdict, match, c.match, c.note)
		}
	}
}

// TestTrustworthy: https and loopback http may be framed by an https page.
func TestTrustworthy(t *testing.T) {
	for s, want := range map[string]bool{
		"https://bi.example.com": true, "http://127.0.0.1:8088": true, "http://localhost:8088": true,
		"http://[::1]:8088": true, "http://bi.example.com": false, "http://10.0.0.5": false,
	} {
		o, err := parseOrigin(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := o.trustworthy(); got != want {
			t.Errorf("%s trustworthy = %v, want %v", s, got, want)
		}
	}
}

// TestConsoleFix: the console errors that blank an embed get a fix; other
// messages do not.
func TestConsoleFix(t *testing.T) {
	for line, want := range map[string]bool{
		"Refused to display 'http://bi/' in a frame because it set 'X-Frame-Options' to 'sameorigin'.":                                                                     true,
		`Framing 'http://bi/' violates the following Content Security Policy directive: "frame-ancestors 'self'".`:                                                         true,
		"Access to fetch at 'http://bi/x.wasm' from origin 'http://app' has been blocked by CORS policy":                                                                   true,
		"Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive": true,
		"Failed to load resource: the server responded with a status of 401 (Unauthorized) (http://bi/api/v1/me/roles/)":                                                   true,
		"Failed to load resource: the server responded with a status of 404 (Not Found)":                                                                                   false,
	} {
		if got := consoleFix(line) != ""; got != want {
			t.Errorf("consoleFix(%q) gives a fix: %v, want %v", line, got, want)
		}
	}
}
