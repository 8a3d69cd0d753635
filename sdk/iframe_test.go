package sdk

import (
	"slices"
	"testing"
)

func TestIframeURL(t *testing.T) {
	ui := func(v map[string]any) map[string]any { return map[string]any{"dashboardUiConfig": v} }
	const base = "https://bi.example.com/embedded/abc-123"
	tests := []struct {
		name string
		over map[string]any
		want string
	}{
		{"no dashboardUiConfig, no query", nil, base},
		{"null dashboardUiConfig, no query", map[string]any{"dashboardUiConfig": Null{}}, base},
		{"empty dashboardUiConfig", ui(map[string]any{}), base + "?uiConfig=0"},
		{"hideTitle", ui(map[string]any{"hideTitle": true}), base + "?uiConfig=1"},
		{"hideTab", ui(map[string]any{"hideTab": true}), base + "?uiConfig=2"},
		{"hideChartControls", ui(map[string]any{"hideChartControls": true}), base + "?uiConfig=8"},
		{"emitDataMasks", ui(map[string]any{"emitDataMasks": true}), base + "?uiConfig=16"},
		{"showRowLimitWarning", ui(map[string]any{"showRowLimitWarning": true}), base + "?uiConfig=32"},
		{"all flags", ui(map[string]any{
			"hideTitle": true, "hideTab": true, "hideChartControls": true, "emitDataMasks": true, "showRowLimitWarning": true,
		}), base + "?uiConfig=59"},
		{"false flags", ui(map[string]any{"hideTitle": false, "hideTab": false}), base + "?uiConfig=0"},
		{"filters", ui(map[string]any{"hideTitle": true, "filters": map[string]any{"expanded": false, "visible": true}}),
			base + "?uiConfig=1&show_filters=true&expand_filters=false"},
		{"one filter", ui(map[string]any{"filters": map[string]any{"expanded": true}}), base + "?uiConfig=0&expand_filters=true"},
		{"urlParams after the rest", ui(map[string]any{
			"filters":   map[string]any{"visible": false},
			"urlParams": map[string]any{"standalone": 1.0, "foo": "bar"},
		}), base + "?uiConfig=0&show_filters=false&foo=bar&standalone=1"},
		{"urlParams override in place", ui(map[string]any{
			"hideTab":   true,
			"filters":   map[string]any{"visible": false, "expanded": false},
			"urlParams": map[string]any{"show_filters": "1", "uiConfig": 3.0, "extra": true},
		}), base + "?uiConfig=3&show_filters=1&expand_filters=false&extra=true"},
		{"urlParams encoding", ui(map[string]any{"urlParams": map[string]any{
			"a b": "x y", "amp": "1&2", "eq": "k=v", "plus": "1+1", "path": "a/b", "uni": "日本", "pct": "100%",
		}}), base + "?uiConfig=0&a+b=x+y&amp=1%262&eq=k%3Dv&path=a%2Fb&pct=100%25&plus=1%2B1&uni=%E6%97%A5%E6%9C%AC"},
		{"urlParams numbers", ui(map[string]any{"urlParams": map[string]any{"i": 3.0, "f": 0.5, "big": 1e21, "neg": -0.0}}),
			base + "?uiConfig=0&big=1e%2B21&f=0.5&i=3&neg=0"},
		{"array-index keys first, as JavaScript enumerates them", ui(map[string]any{
			"hideTitle": true, "urlParams": map[string]any{"z": "1", "10": "b", "2": "a"},
		}), base + "?2=a&10=b&uiConfig=1&z=1"},
		{"undefined urlParam left out", ui(map[string]any{"urlParams": map[string]any{"gone": nil, "kept": ""}}),
			base + "?uiConfig=0&kept="},
		{"empty urlParams", ui(map[string]any{"urlParams": map[string]any{}}), base + "?uiConfig=0"},
		{"path prefix, trailing slash", map[string]any{"supersetDomain": "https://x.example/bi/"},
			"https://x.example/bi/embedded/abc-123"},
		{"number id", map[string]any{"id": 17.0}, "https://bi.example.com/embedded/17"},
		{"id escaped", map[string]any{"id": "a/b c?d"}, "https://bi.example.com/embedded/a%2Fb%20c%3Fd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseParams(testParams(tt.over))
			if err != nil {
				t.Fatalf("ParseParams: %v", err)
			}
			if got := p.IframeURL(); got != tt.want {
				t.Errorf("IframeURL\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseDomain(t *testing.T) {
	tests := []struct {
		raw, domain, origin, problem string
	}{
		{"https://bi.example.com", "https://bi.example.com", "https://bi.example.com", ""},
		{"https://bi.example.com/", "https://bi.example.com", "https://bi.example.com", ""},
		{"HTTPS://BI.Example.COM/Path/", "HTTPS://BI.Example.COM/Path", "https://bi.example.com", ""},
		{"http://localhost:8088", "http://localhost:8088", "http://localhost:8088", ""},
		{"http://localhost:80/", "http://localhost:80", "http://localhost", ""},
		{"https://x.example:443", "https://x.example:443", "https://x.example", ""},
		{"https://x.example:80", "https://x.example:80", "https://x.example:80", ""},
		{"http://x.example:443", "http://x.example:443", "http://x.example:443", ""},
		{"http://x.example:08088", "http://x.example:08088", "http://x.example:8088", ""},
		{"https://x.example:", "https://x.example:", "https://x.example", ""},
		{"http://127.0.0.1:9000/a/b", "http://127.0.0.1:9000/a/b", "http://127.0.0.1:9000", ""},
		{"http://[::1]:8088/", "http://[::1]:8088", "http://[::1]:8088", ""},
		{"https://[2001:DB8::1]", "https://[2001:DB8::1]", "https://[2001:db8::1]", ""},
		{"https://bücher.example", "https://bücher.example", "https://bücher.example", ""},
		{"foo", "", "", `must be an absolute http(s) URL, got "foo"`},
		{"", "", "", `must be an absolute http(s) URL, got ""`},
		{"bi.example.com", "", "", `must be an absolute http(s) URL, got "bi.example.com"`},
		{"//bi.example.com", "", "", `must be an absolute http(s) URL, got "//bi.example.com"`},
		{"ftp://bi.example.com", "", "", `must be an absolute http(s) URL, got "ftp://bi.example.com"`},
		{"https:bi.example.com", "", "", `must be an absolute http(s) URL, got "https:bi.example.com"`},
		{"https://", "", "", `must be an absolute http(s) URL with a host, got "https://"`},
		{"https:///path", "", "", `must be an absolute http(s) URL with a host, got "https:///path"`},
		{"https://:8080", "", "", `must be an absolute http(s) URL with a host, got "https://:8080"`},
		{"https://bi.example.com?x=1", "", "", `must be an absolute http(s) URL without a query or fragment, got "https://bi.example.com?x=1"`},
		{"https://bi.example.com/#top", "", "", `must be an absolute http(s) URL without a query or fragment, got "https://bi.example.com/#top"`},
		{"https://user:pw@bi.example.com", "", "", `must be an absolute http(s) URL without a user name or password, got "https://user:pw@bi.example.com"`},
		{"https://bi.example.com\n", "", "", `must be an absolute http(s) URL without spaces, control characters or backslashes, got "https://bi.example.com\n"`},
		{" https://bi.example.com", "", "", `must be an absolute http(s) URL without spaces, control characters or backslashes, got " https://bi.example.com"`},
		{`https:\\bi.example.com`, "", "", `must be an absolute http(s) URL without spaces, control characters or backslashes, got "https:\\\\bi.example.com"`},
		{"https://bi.example.com:99999", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:99999"`},
		{"https://bi.example.com:123456789012345678901", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:123456789012345678901"`},
		{"https://bi.example.com:80a", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:80a"`},
		{"https://bi.example.com:1:2", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:1:2"`},
		{"https://bi%2Eexample.com", "", "", `must be an absolute http(s) URL with a valid host, got "https://bi%2Eexample.com"`},
		{"https://bi|example.com", "", "", `must be an absolute http(s) URL with a valid host, got "https://bi|example.com"`},
		{"https://[::1", "", "", `must be an absolute http(s) URL with a valid host, got "https://[::1"`},
		{"https://[zz]", "", "", `must be an absolute http(s) URL with a valid host, got "https://[zz]"`},
		{"https://[::1]x", "", "", `must be an absolute http(s) URL with a valid host, got "https://[::1]x"`},
	}
	for _, tt := range tests {
		domain, origin, problem := parseDomain(tt.raw)
		if domain != tt.domain || origin != tt.origin || problem != tt.problem {
			t.Errorf("parseDomain(%q) = %q, %q, %q\nwant %q, %q, %q", tt.raw, domain, origin, problem, tt.domain, tt.origin, tt.problem)
		}
	}
}

func TestSandbox(t *testing.T) {
	upstream := []string{"allow-same-origin", "allow-scripts", "allow-presentation", "allow-downloads", "allow-forms", "allow-popups"}
	tests := []struct {
		name   string
		extras []string
		want   []string
	}{
		{"none", nil, upstream},
		{"extras appended in order", []string{"allow-top-navigation", "allow-modals"},
			append(slices.Clone(upstream), "allow-top-navigation", "allow-modals")},
		{"duplicates dropped", []string{"allow-scripts", "allow-modals", "allow-same-origin", "allow-modals"},
			append(slices.Clone(upstream), "allow-modals")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Params{SandboxExtras: tt.extras}
			got := p.Sandbox()
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sandbox = %q, want %q", got, tt.want)
			}
			// The result must not share the package's base list.
			got[0] = "changed"
			if again := p.Sandbox(); again[0] != "allow-same-origin" {
				t.Errorf("Sandbox shares its backing array: %q", again)
			}
		})
	}
}

func TestAllow(t *testing.T) {
	tests := []struct {
		name   string
		extras []string
		want   string
	}{
		{"none", nil, "fullscreen; clipboard-write"},
		{"extras", []string{"camera 'self'", "geolocation"}, "fullscreen; clipboard-write; camera 'self'; geolocation"},
		{"duplicates dropped", []string{"fullscreen", "geolocation", "geolocation", "clipboard-write"},
			"fullscreen; clipboard-write; geolocation"},
	}
	for _, tt := range tests {
		if got := (Params{AllowExtras: tt.extras}).Allow(); got != tt.want {
			t.Errorf("%s: Allow = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIframeFromParsedParams(t *testing.T) {
	p, err := ParseParams(testParams(map[string]any{
		"iframeSandboxExtras": []any{"allow-popups-to-escape-sandbox", "allow-popups"},
		"iframeAllowExtras":   []any{"clipboard-read"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	wantSandbox := []string{"allow-same-origin", "allow-scripts", "allow-presentation", "allow-downloads",
		"allow-forms", "allow-popups", "allow-popups-to-escape-sandbox"}
	if got := p.Sandbox(); !slices.Equal(got, wantSandbox) {
		t.Errorf("Sandbox = %q, want %q", got, wantSandbox)
	}
	if got, want := p.Allow(), "fullscreen; clipboard-write; clipboard-read"; got != want {
		t.Errorf("Allow = %q, want %q", got, want)
	}
}
