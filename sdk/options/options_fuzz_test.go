package options

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// fuzzTree turns decoded JSON into the value tree the browser edge copies:
// null is JavaScript's null, and a few marker strings stand for what JSON
// cannot write (functions, elements, other objects, undefined, a getter
// that throws).
func fuzzTree(v any) any {
	switch v := v.(type) {
	case nil:
		return jsvalue.Null{}
	case map[string]any:
		for k, x := range v {
			v[k] = fuzzTree(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = fuzzTree(x)
		}
		return v
	case string:
		switch v {
		case "$fn":
			return jsvalue.Handle{Kind: jsvalue.KindFunction, Name: "f"}
		case "$el":
			return jsvalue.Handle{Kind: jsvalue.KindElement, Name: "HTMLDivElement", Connected: true}
		case "$detached":
			return jsvalue.Handle{Kind: jsvalue.KindElement, Name: "HTMLDivElement"}
		case "$obj":
			return jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Map"}
		case "$undef":
			return nil
		case "$thrown":
			return jsvalue.Thrown{Message: "getter threw"}
		}
	}
	return v
}

// FuzzParse: any embedDashboard argument (a JSON object laid over a valid
// one, so that the fuzzer reaches every option) is either refused with an
// *OptionError naming an option, or turned into Params whose domain and
// origin are consistent.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"id":42}`, `{"supersetDomain":"https://x:443/"}`, `{"mountPoint":"$detached"}`,
		`{"dashboardUiConfig":{"hideTitle":true,"filters":{"visible":false,"expanded":true},"urlParams":{"a":"b","c":1,"d":{}}}}`,
		`{"dashboardUiConfig":{"filters":{"bogus":1}}}`, `{"iframeSandboxExtras":["allow-modals",5]}`,
		`{"iframeAllowExtras":["camera; microphone"]}`, `{"referrerPolicy":"no-referrer"}`, `{"guestTokenFetchTimeoutMs":-1}`,
		`{"autoResize":{"minHeight":100,"maxHeight":50}}`, `{"autoResize":true}`, `{"debug":"$thrown"}`, `{"fetchGuestToken":"$obj"}`,
		`{"calabiiqDomain":"https://c.example","supersetDomain":"$undef"}`, `{"resolvePermalinkUrl":"$fn","iframeTitle":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var over map[string]any
		if json.Unmarshal(data, &over) != nil || over == nil {
			return
		}
		arg := map[string]any{
			"id":              "abc-123",
			"supersetDomain":  "https://bi.example.com",
			"mountPoint":      jsvalue.Handle{Kind: jsvalue.KindElement, Name: "HTMLDivElement", Connected: true},
			"fetchGuestToken": jsvalue.Handle{Kind: jsvalue.KindFunction, Name: "fetchGuestToken"},
		}
		for k, v := range fuzzTree(over).(map[string]any) {
			arg[k] = v
		}
		p, err := Parse(arg)
		if err != nil {
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option == "" || oe.Problem == "" {
				t.Fatalf("Parse(%s): error %T %v, want an *OptionError naming an option", data, err, err)
			}
			// The name is quoted as Go quotes it, so that a key holding
			// control characters still reads as one name.
			if !strings.HasPrefix(err.Error(), "dashembed: option "+strconv.Quote(oe.Option)+" ") {
				t.Fatalf("Parse(%s): message %q does not start with the option", data, err)
			}
			return
		}
		checkDomain(t, p.Domain, p.Domain, p.Origin)
	})
}

// FuzzParseDomain: a supersetDomain is refused with a problem, or it is a
// URL net/url reads with the same scheme and host, and its origin is what
// a browser writes for it.
func FuzzParseDomain(f *testing.F) {
	for _, seed := range []string{
		"https://bi.example.com/", "HTTP://X:80", "http://[::1]:8088/", "https://x:", "https://a@b", "https://x:99999",
		"https://[1::2]x", "https://bücher.example", "http://x:08088", "https://x/\n", "https://x?q", "https://%41",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		domain, origin, problem := parseDomain(raw)
		if problem != "" {
			if domain != "" || origin != "" {
				t.Fatalf("parseDomain(%q): a problem and a result", raw)
			}
			return
		}
		checkDomain(t, raw, domain, origin)
	})
}

func checkDomain(t *testing.T, raw, domain, origin string) {
	t.Helper()
	if strings.HasSuffix(domain, "/") && !strings.HasSuffix(raw, "//") {
		t.Fatalf("%q: domain %q keeps its trailing /", raw, domain)
	}
	// Only the scheme and authority make the origin; browsers are more
	// lenient than net/url about the path (a lone "%", say).
	scheme, rest, _ := strings.Cut(domain, "://")
	authority, _, _ := strings.Cut(rest, "/")
	u, err := url.Parse(scheme + "://" + authority)
	if err != nil && strings.Contains(err.Error(), "in host name") {
		// net/url refuses host characters such as "{" that the URL
		// standard, and so the browser, accepts.
		return
	}
	if err != nil {
		t.Fatalf("%q: accepted, but net/url says %v", raw, err)
	}
	want := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname())
	if strings.Contains(u.Hostname(), ":") {
		want = strings.ToLower(u.Scheme) + "://[" + strings.ToLower(u.Hostname()) + "]"
	}
	port := u.Port()
	if trimmed := strings.TrimLeft(port, "0"); trimmed != "" || port == "" {
		port = trimmed
	} else {
		port = "0"
	}
	if port != "" &&
		!(u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443") {
		want += ":" + port
	}
	if origin != want {
		t.Fatalf("%q: origin %q, want %q", raw, origin, want)
	}
}
