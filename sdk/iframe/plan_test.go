package iframe

import (
	"slices"
	"testing"

	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
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
		{"null dashboardUiConfig, no query", map[string]any{"dashboardUiConfig": jsvalue.Null{}}, base},
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
			p, err := options.Parse(sdktest.Options(tt.over))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := New(p).Src; got != tt.want {
				t.Errorf("IframeURL\n got %s\nwant %s", got, tt.want)
			}
		})
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
			p := options.Params{SandboxExtras: tt.extras}
			got := New(p).Sandbox
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sandbox = %q, want %q", got, tt.want)
			}
			// The result must not share the package's base list.
			got[0] = "changed"
			if again := New(p).Sandbox; again[0] != "allow-same-origin" {
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
		if got := New(options.Params{AllowExtras: tt.extras}).Allow; got != tt.want {
			t.Errorf("%s: Allow = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIframeFromParsedParams(t *testing.T) {
	p, err := options.Parse(sdktest.Options(map[string]any{
		"iframeSandboxExtras": []any{"allow-popups-to-escape-sandbox", "allow-popups"},
		"iframeAllowExtras":   []any{"clipboard-read"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	wantSandbox := []string{"allow-same-origin", "allow-scripts", "allow-presentation", "allow-downloads",
		"allow-forms", "allow-popups", "allow-popups-to-escape-sandbox"}
	if got := New(p).Sandbox; !slices.Equal(got, wantSandbox) {
		t.Errorf("Sandbox = %q, want %q", got, wantSandbox)
	}
	if got, want := New(p).Allow, "fullscreen; clipboard-write; clipboard-read"; got != want {
		t.Errorf("Allow = %q, want %q", got, want)
	}
}
