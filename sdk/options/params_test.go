package options

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// wantParams is what sdktest.Options(nil) parses to, with change applied.
func wantParams(change func(*Params)) Params {
	p := Params{
		ID:                     "abc-123",
		Domain:                 "https://bi.example.com",
		Origin:                 "https://bi.example.com",
		MountPoint:             sdktest.Element,
		FetchGuestToken:        sdktest.Function,
		IframeTitle:            "Embedded Dashboard",
		GuestTokenFetchTimeout: 30 * time.Second,
		HandshakeTimeout:       5 * time.Second,
	}
	if change != nil {
		change(&p)
	}
	return p
}

func ptr[T any](v T) *T { return &v }

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		over map[string]any
		want Params
	}{
		{"defaults", nil, wantParams(nil)},
		{"nulls mean defaults", map[string]any{
			"dashboardUiConfig": jsvalue.Null{}, "debug": jsvalue.Null{}, "iframeTitle": jsvalue.Null{},
			"iframeSandboxExtras": jsvalue.Null{}, "iframeAllowExtras": jsvalue.Null{}, "referrerPolicy": jsvalue.Null{},
			"resolvePermalinkUrl": jsvalue.Null{}, "guestTokenFetchTimeoutMs": jsvalue.Null{},
			"handshakeTimeoutMs": jsvalue.Null{}, "autoResize": jsvalue.Null{},
		}, wantParams(nil)},
		{"undefined means defaults", map[string]any{
			"dashboardUiConfig": nil, "debug": nil, "iframeTitle": nil, "iframeSandboxExtras": nil,
			"iframeAllowExtras": nil, "referrerPolicy": nil, "resolvePermalinkUrl": nil,
			"guestTokenFetchTimeoutMs": nil, "handshakeTimeoutMs": nil, "autoResize": nil,
		}, wantParams(nil)},
		{"integer id", map[string]any{"id": 42.0}, wantParams(func(p *Params) { p.ID = "42" })},
		{"negative integer id", map[string]any{"id": -7.0}, wantParams(func(p *Params) { p.ID = "-7" })},
		{"largest safe integer id", map[string]any{"id": 9007199254740991.0},
			wantParams(func(p *Params) { p.ID = "9007199254740991" })},
		{"trailing slash stripped once", map[string]any{"supersetDomain": "https://bi.example.com//"},
			wantParams(func(p *Params) { p.Domain = "https://bi.example.com/" })},
		{"path prefix", map[string]any{"supersetDomain": "http://Host.Example:8088/superset/"},
			wantParams(func(p *Params) {
				p.Domain = "http://Host.Example:8088/superset"
				p.Origin = "http://host.example:8088"
			})},
		{"calabiiqDomain alias", map[string]any{"supersetDomain": sdktest.Drop{}, "calabiiqDomain": "https://c.example/"},
			wantParams(func(p *Params) { p.Domain, p.Origin = "https://c.example", "https://c.example" })},
		{"presetDomain alias", map[string]any{"supersetDomain": sdktest.Drop{}, "presetDomain": "https://p.example"},
			wantParams(func(p *Params) { p.Domain, p.Origin = "https://p.example", "https://p.example" })},
		{"alias equal to supersetDomain", map[string]any{"calabiiqDomain": "https://bi.example.com"}, wantParams(nil)},
		{"null supersetDomain and an alias", map[string]any{"supersetDomain": jsvalue.Null{}, "presetDomain": "https://p.example"},
			wantParams(func(p *Params) { p.Domain, p.Origin = "https://p.example", "https://p.example" })},
		{"detached mount point", map[string]any{"mountPoint": jsvalue.Handle{Kind: jsvalue.KindElement}},
			wantParams(func(p *Params) { p.MountPoint = jsvalue.Handle{Kind: jsvalue.KindElement} })},
		{"empty dashboardUiConfig", map[string]any{"dashboardUiConfig": map[string]any{}},
			wantParams(func(p *Params) { p.UIConfig.Set = true })},
		{"full dashboardUiConfig", map[string]any{"dashboardUiConfig": map[string]any{
			"hideTitle": true, "hideTab": true, "hideChartControls": true, "emitDataMasks": true,
			"showRowLimitWarning": true,
			"filters":             map[string]any{"visible": false, "expanded": true},
			"urlParams": map[string]any{
				"b": "x", "a": 1.5, "10": true, "2": false, "skipped": nil, "n": -0.0,
			},
		}}, wantParams(func(p *Params) {
			p.UIConfig = UIConfig{
				Set: true, HideTitle: true, HideTab: true, HideChartControls: true,
				EmitDataMasks: true, ShowRowLimitWarning: true,
				FiltersVisible: ptr(false), FiltersExpanded: ptr(true),
				URLParams: []Param{{"2", "false"}, {"10", "true"}, {"a", "1.5"}, {"b", "x"}, {"n", "0"}},
			}
		})},
		{"undefined and null flags are false", map[string]any{"dashboardUiConfig": map[string]any{
			"hideTitle": nil, "hideTab": jsvalue.Null{}, "filters": map[string]any{"visible": nil}, "urlParams": jsvalue.Null{},
		}}, wantParams(func(p *Params) { p.UIConfig.Set = true })},
		{"null filters", map[string]any{"dashboardUiConfig": map[string]any{"filters": jsvalue.Null{}}},
			wantParams(func(p *Params) { p.UIConfig.Set = true })},
		{"debug", map[string]any{"debug": true}, wantParams(func(p *Params) { p.Debug = true })},
		{"empty iframeTitle kept", map[string]any{"iframeTitle": ""}, wantParams(func(p *Params) { p.IframeTitle = "" })},
		{"iframeTitle", map[string]any{"iframeTitle": "Sales"}, wantParams(func(p *Params) { p.IframeTitle = "Sales" })},
		{"extras", map[string]any{
			"iframeSandboxExtras": []any{"allow-top-navigation", "allow-same-origin"},
			"iframeAllowExtras":   []any{"camera 'self'", "fullscreen"},
		}, wantParams(func(p *Params) {
			p.SandboxExtras = []string{"allow-top-navigation", "allow-same-origin"}
			p.AllowExtras = []string{"camera 'self'", "fullscreen"}
		})},
		{"empty extras", map[string]any{"iframeSandboxExtras": []any{}},
			wantParams(func(p *Params) { p.SandboxExtras = []string{} })},
		{"empty referrerPolicy", map[string]any{"referrerPolicy": ""}, wantParams(nil)},
		{"referrerPolicy any case", map[string]any{"referrerPolicy": "Strict-Origin-When-Cross-Origin"},
			wantParams(func(p *Params) { p.ReferrerPolicy = "strict-origin-when-cross-origin" })},
		{"resolvePermalinkUrl", map[string]any{"resolvePermalinkUrl": sdktest.Resolve},
			wantParams(func(p *Params) { p.ResolvePermalinkURL = &sdktest.Resolve })},
		{"fetch timeout", map[string]any{"guestTokenFetchTimeoutMs": 1500.5},
			wantParams(func(p *Params) { p.GuestTokenFetchTimeout = 1500500 * time.Microsecond })},
		{"fetch timeout zero disables", map[string]any{"guestTokenFetchTimeoutMs": 0.0},
			wantParams(func(p *Params) { p.GuestTokenFetchTimeout = 0 })},
		{"fetch timeout negative disables", map[string]any{"guestTokenFetchTimeoutMs": -1.0},
			wantParams(func(p *Params) { p.GuestTokenFetchTimeout = 0 })},
		{"fetch timeout at the timer limit", map[string]any{"guestTokenFetchTimeoutMs": 2147483647.0},
			wantParams(func(p *Params) { p.GuestTokenFetchTimeout = 2147483647 * time.Millisecond })},
		{"handshake timeout", map[string]any{"handshakeTimeoutMs": 250.0},
			wantParams(func(p *Params) { p.HandshakeTimeout = 250 * time.Millisecond })},
		{"autoResize false", map[string]any{"autoResize": false}, wantParams(nil)},
		{"autoResize true", map[string]any{"autoResize": true},
			wantParams(func(p *Params) { p.AutoResize = AutoResize{Enabled: true} })},
		{"autoResize empty object", map[string]any{"autoResize": map[string]any{}},
			wantParams(func(p *Params) { p.AutoResize = AutoResize{Enabled: true} })},
		{"autoResize bounds", map[string]any{"autoResize": map[string]any{"minHeight": 200.0, "maxHeight": 800.0}},
			wantParams(func(p *Params) { p.AutoResize = AutoResize{Enabled: true, MinHeight: 200, MaxHeight: 800} })},
		{"autoResize min equal to max", map[string]any{"autoResize": map[string]any{"minHeight": 300.0, "maxHeight": 300.0}},
			wantParams(func(p *Params) { p.AutoResize = AutoResize{Enabled: true, MinHeight: 300, MaxHeight: 300} })},
		{"autoResize min only", map[string]any{"autoResize": map[string]any{"minHeight": 0.0, "maxHeight": nil}},
			wantParams(func(p *Params) { p.AutoResize = AutoResize{Enabled: true} })},
		{"unknown top-level keys kept for debug", map[string]any{"zeta": 1.0, "supersetDomian": "x", "1": jsvalue.Thrown{Message: "no"}},
			wantParams(func(p *Params) { p.UnknownKeys = []string{"1", "supersetDomian", "zeta"} })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(sdktest.Options(tt.over))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	const (
		uiKeys    = "(known: hideTitle, hideTab, hideChartControls, emitDataMasks, showRowLimitWarning, filters, urlParams)"
		policies  = `"", "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"`
		urlWanted = "must be a string, a finite number or a boolean"
	)
	ui := func(v map[string]any) map[string]any { return map[string]any{"dashboardUiConfig": v} }
	tests := []struct {
		name string
		over map[string]any
		want string
	}{
		// id
		{"id missing", map[string]any{"id": sdktest.Drop{}}, `option "id" must be a non-empty string or an integer, got undefined`},
		{"id empty", map[string]any{"id": ""}, `option "id" must be a non-empty string or an integer, got ""`},
		{"id null", map[string]any{"id": jsvalue.Null{}}, `option "id" must be a non-empty string or an integer, got null`},
		{"id fraction", map[string]any{"id": 1.5}, `option "id" must be a non-empty string or an integer, got 1.5`},
		{"id NaN", map[string]any{"id": nan()}, `option "id" must be a non-empty string or an integer, got NaN`},
		{"id unsafe integer", map[string]any{"id": 1e20}, `option "id" must be a non-empty string or an integer, got 100000000000000000000`},
		{"id object", map[string]any{"id": map[string]any{}}, `option "id" must be a non-empty string or an integer, got an object`},
		{"id threw", map[string]any{"id": jsvalue.Thrown{Message: "boom"}}, `option "id" could not be read (reading it threw: boom)`},
		// the domain
		{"domain missing", map[string]any{"supersetDomain": sdktest.Drop{}}, `option "supersetDomain" must be an absolute http(s) URL, got undefined`},
		{"domain null", map[string]any{"supersetDomain": jsvalue.Null{}}, `option "supersetDomain" must be an absolute http(s) URL, got null`},
		{"domain number", map[string]any{"supersetDomain": 8088.0}, `option "supersetDomain" must be an absolute http(s) URL, got a number`},
		{"domain relative", map[string]any{"supersetDomain": "foo"}, `option "supersetDomain" must be an absolute http(s) URL, got "foo"`},
		{"domain threw", map[string]any{"supersetDomain": jsvalue.Thrown{Message: "nope"}, "presetDomain": "https://p.example"},
			`option "supersetDomain" could not be read (reading it threw: nope)`},
		{"alias invalid", map[string]any{"supersetDomain": sdktest.Drop{}, "calabiiqDomain": "ftp://c.example"},
			`option "calabiiqDomain" must be an absolute http(s) URL, got "ftp://c.example"`},
		{"alias conflict", map[string]any{"calabiiqDomain": "https://other.example"},
			`option "supersetDomain" conflicts with option "calabiiqDomain" ("https://bi.example.com" vs "https://other.example"): give only one`},
		{"alias conflict with trailing slash", map[string]any{"presetDomain": "https://bi.example.com/"},
			`option "supersetDomain" conflicts with option "presetDomain" ("https://bi.example.com" vs "https://bi.example.com/"): give only one`},
		{"alias conflict of types", map[string]any{"supersetDomain": sdktest.Drop{}, "calabiiqDomain": 1.0, "presetDomain": "https://p.example"},
			`option "calabiiqDomain" conflicts with option "presetDomain" (1 vs "https://p.example"): give only one`},
		// mountPoint and fetchGuestToken
		{"mountPoint missing", map[string]any{"mountPoint": sdktest.Drop{}}, `option "mountPoint" must be an HTML element, got undefined`},
		{"mountPoint id string", map[string]any{"mountPoint": "root"}, `option "mountPoint" must be an HTML element, got a string`},
		{"mountPoint other object", map[string]any{"mountPoint": jsvalue.Handle{Kind: jsvalue.KindObject, Name: "jQuery"}},
			`option "mountPoint" must be an HTML element, got an object (jQuery)`},
		{"mountPoint plain object", map[string]any{"mountPoint": map[string]any{"current": jsvalue.Null{}}},
			`option "mountPoint" must be an HTML element, got an object`},
		{"fetchGuestToken missing", map[string]any{"fetchGuestToken": sdktest.Drop{}},
			`option "fetchGuestToken" must be a function returning a Promise of a guest token, got undefined`},
		{"fetchGuestToken string", map[string]any{"fetchGuestToken": "eyJ..."},
			`option "fetchGuestToken" must be a function returning a Promise of a guest token, got a string`},
		// dashboardUiConfig
		{"uiConfig array", map[string]any{"dashboardUiConfig": []any{}}, `option "dashboardUiConfig" must be a plain object, got an array`},
		{"uiConfig true", map[string]any{"dashboardUiConfig": true}, `option "dashboardUiConfig" must be a plain object, got a boolean`},
		{"uiConfig hideFilters", ui(map[string]any{"hideFilters": true}),
			`option "dashboardUiConfig.hideFilters" is not known ` + uiKeys + `; to hide the filter bar use filters: {visible: false}`},
		{"uiConfig unknown key", ui(map[string]any{"hideTitel": true}), `option "dashboardUiConfig.hideTitel" is not known ` + uiKeys},
		{"uiConfig first unknown key in order", ui(map[string]any{"zz": 1.0, "aa": 1.0}), `option "dashboardUiConfig.aa" is not known ` + uiKeys},
		{"hideTitle string", ui(map[string]any{"hideTitle": "false"}), `option "dashboardUiConfig.hideTitle" must be a boolean, got a string`},
		{"hideTab number", ui(map[string]any{"hideTab": 1.0}), `option "dashboardUiConfig.hideTab" must be a boolean, got a number`},
		{"hideChartControls", ui(map[string]any{"hideChartControls": jsvalue.Null{}, "emitDataMasks": "yes"}),
			`option "dashboardUiConfig.emitDataMasks" must be a boolean, got a string`},
		{"showRowLimitWarning", ui(map[string]any{"showRowLimitWarning": []any{}}),
			`option "dashboardUiConfig.showRowLimitWarning" must be a boolean, got an array`},
		{"hideChartControls threw", ui(map[string]any{"hideChartControls": jsvalue.Thrown{Message: "x"}}),
			`option "dashboardUiConfig.hideChartControls" could not be read (reading it threw: x)`},
		{"filters boolean", ui(map[string]any{"filters": false}), `option "dashboardUiConfig.filters" must be a plain object, got a boolean`},
		{"filters unknown key", ui(map[string]any{"filters": map[string]any{"visble": false}}),
			`option "dashboardUiConfig.filters.visble" is not known (known: visible, expanded)`},
		{"filters.visible string", ui(map[string]any{"filters": map[string]any{"visible": "false"}}),
			`option "dashboardUiConfig.filters.visible" must be a boolean, got a string`},
		{"filters.expanded number", ui(map[string]any{"filters": map[string]any{"expanded": 0.0}}),
			`option "dashboardUiConfig.filters.expanded" must be a boolean, got a number`},
		{"urlParams array", ui(map[string]any{"urlParams": []any{"a"}}),
			`option "dashboardUiConfig.urlParams" must be a plain object, got an array`},
		{"urlParams object value", ui(map[string]any{"urlParams": map[string]any{"native_filters": map[string]any{}}}),
			`option "dashboardUiConfig.urlParams.native_filters" ` + urlWanted + `, got an object`},
		{"urlParams array value", ui(map[string]any{"urlParams": map[string]any{"ids": []any{1.0}}}),
			`option "dashboardUiConfig.urlParams.ids" ` + urlWanted + `, got an array`},
		{"urlParams null value", ui(map[string]any{"urlParams": map[string]any{"a": jsvalue.Null{}}}),
			`option "dashboardUiConfig.urlParams.a" ` + urlWanted + `, got null`},
		{"urlParams function value", ui(map[string]any{"urlParams": map[string]any{"f": sdktest.Function}}),
			`option "dashboardUiConfig.urlParams.f" ` + urlWanted + `, got a function`},
		{"urlParams NaN value", ui(map[string]any{"urlParams": map[string]any{"n": nan()}}),
			`option "dashboardUiConfig.urlParams.n" ` + urlWanted + `, got NaN`},
		{"urlParams Infinity value", ui(map[string]any{"urlParams": map[string]any{"n": inf()}}),
			`option "dashboardUiConfig.urlParams.n" ` + urlWanted + `, got Infinity`},
		{"urlParams value threw", ui(map[string]any{"urlParams": map[string]any{"t": jsvalue.Thrown{Message: "bad getter"}}}),
			`option "dashboardUiConfig.urlParams.t" could not be read (reading it threw: bad getter)`},
		// the other options
		{"debug string", map[string]any{"debug": "true"}, `option "debug" must be a boolean, got a string`},
		{"debug threw", map[string]any{"debug": jsvalue.Thrown{Message: "d"}}, `option "debug" could not be read (reading it threw: d)`},
		{"iframeTitle number", map[string]any{"iframeTitle": 1.0}, `option "iframeTitle" must be a string, got a number`},
		{"sandbox extras string", map[string]any{"iframeSandboxExtras": "allow-popups"},
			`option "iframeSandboxExtras" must be an array of strings, got a string`},
		{"sandbox extra empty", map[string]any{"iframeSandboxExtras": []any{"allow-modals", ""}},
			`option "iframeSandboxExtras[1]" must be a sandbox token without spaces, got ""`},
		{"sandbox extra with space", map[string]any{"iframeSandboxExtras": []any{"allow-modals allow-popups"}},
			`option "iframeSandboxExtras[0]" must be a sandbox token without spaces, got "allow-modals allow-popups"`},
		{"sandbox extra with tab", map[string]any{"iframeSandboxExtras": []any{"allow-modals\t"}},
			`option "iframeSandboxExtras[0]" must be a sandbox token without spaces, got "allow-modals\t"`},
		{"sandbox extra number", map[string]any{"iframeSandboxExtras": []any{1.0}},
			`option "iframeSandboxExtras[0]" must be a sandbox token without spaces, got a number`},
		{"allow extras object", map[string]any{"iframeAllowExtras": map[string]any{}},
			`option "iframeAllowExtras" must be an array of strings, got an object`},
		{"allow extra blank", map[string]any{"iframeAllowExtras": []any{" "}},
			`option "iframeAllowExtras[0]" must be a permissions-policy directive without ";", got " "`},
		{"allow extra with semicolon", map[string]any{"iframeAllowExtras": []any{"camera; microphone"}},
			`option "iframeAllowExtras[0]" must be a permissions-policy directive without ";", got "camera; microphone"`},
		{"allow extra threw", map[string]any{"iframeAllowExtras": []any{jsvalue.Thrown{Message: "t"}}},
			`option "iframeAllowExtras[0]" could not be read (reading it threw: t)`},
		{"referrerPolicy unknown", map[string]any{"referrerPolicy": "none"},
			`option "referrerPolicy" must be one of ` + policies + `, got "none"`},
		{"referrerPolicy boolean", map[string]any{"referrerPolicy": false}, `option "referrerPolicy" must be a string, got a boolean`},
		{"resolvePermalinkUrl string", map[string]any{"resolvePermalinkUrl": "https://x"},
			`option "resolvePermalinkUrl" must be a function, got a string`},
		{"fetch timeout string", map[string]any{"guestTokenFetchTimeoutMs": "30000"},
			`option "guestTokenFetchTimeoutMs" must be a number of milliseconds, got a string`},
		{"fetch timeout NaN", map[string]any{"guestTokenFetchTimeoutMs": nan()},
			`option "guestTokenFetchTimeoutMs" must be a finite number of milliseconds, got NaN`},
		{"fetch timeout Infinity", map[string]any{"guestTokenFetchTimeoutMs": inf()},
			`option "guestTokenFetchTimeoutMs" must be a finite number of milliseconds, got Infinity`},
		{"fetch timeout too long", map[string]any{"guestTokenFetchTimeoutMs": 2147483648.0},
			`option "guestTokenFetchTimeoutMs" must be at most 2147483647 (the longest browser timer), got 2147483648`},
		{"handshake timeout zero", map[string]any{"handshakeTimeoutMs": 0.0},
			`option "handshakeTimeoutMs" must be a number of milliseconds > 0, got 0`},
		{"handshake timeout negative", map[string]any{"handshakeTimeoutMs": -5.0},
			`option "handshakeTimeoutMs" must be a number of milliseconds > 0, got -5`},
		{"handshake timeout boolean", map[string]any{"handshakeTimeoutMs": true},
			`option "handshakeTimeoutMs" must be a number of milliseconds, got a boolean`},
		{"handshake timeout too long", map[string]any{"handshakeTimeoutMs": 1e10},
			`option "handshakeTimeoutMs" must be at most 2147483647 (the longest browser timer), got 10000000000`},
		{"autoResize string", map[string]any{"autoResize": "true"},
			`option "autoResize" must be a boolean or a plain object {minHeight, maxHeight}, got a string`},
		{"autoResize unknown key", map[string]any{"autoResize": map[string]any{"max": 5.0}},
			`option "autoResize.max" is not known (known: minHeight, maxHeight)`},
		{"autoResize negative min", map[string]any{"autoResize": map[string]any{"minHeight": -1.0}},
			`option "autoResize.minHeight" must be a finite number of pixels >= 0, got -1`},
		{"autoResize string min", map[string]any{"autoResize": map[string]any{"minHeight": "100px"}},
			`option "autoResize.minHeight" must be a number of pixels >= 0, got a string`},
		{"autoResize zero max", map[string]any{"autoResize": map[string]any{"maxHeight": 0.0}},
			`option "autoResize.maxHeight" must be a finite number of pixels > 0, got 0`},
		{"autoResize infinite max", map[string]any{"autoResize": map[string]any{"maxHeight": inf()}},
			`option "autoResize.maxHeight" must be a finite number of pixels > 0, got Infinity`},
		{"autoResize min above max", map[string]any{"autoResize": map[string]any{"minHeight": 900.0, "maxHeight": 600.5}},
			`option "autoResize.minHeight" must not exceed autoResize.maxHeight (600.5), got 900`},
		// the first problem in option order wins
		{"first error wins", map[string]any{"debug": "x", "id": sdktest.Drop{}, "mountPoint": sdktest.Drop{}},
			`option "id" must be a non-empty string or an integer, got undefined`},
		{"domain before mountPoint", map[string]any{"supersetDomain": "x", "mountPoint": sdktest.Drop{}},
			`option "supersetDomain" must be an absolute http(s) URL, got "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(sdktest.Options(tt.over))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", p, "dashembed: "+tt.want)
			}
			var oe *OptionError
			if !errors.As(err, &oe) {
				t.Fatalf("error %T is not an *OptionError", err)
			}
			if got := err.Error(); got != "dashembed: "+tt.want {
				t.Errorf("error\n got %s\nwant %s", got, "dashembed: "+tt.want)
			}
			if !reflect.DeepEqual(p, Params{}) {
				t.Errorf("Parse returned %+v with an error, want the zero Params", p)
			}
		})
	}
}

func TestParseNotAnObject(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{nil, `dashembed: option "params" must be a plain object, got undefined`},
		{jsvalue.Null{}, `dashembed: option "params" must be a plain object, got null`},
		{"abc", `dashembed: option "params" must be a plain object, got a string`},
		{[]any{}, `dashembed: option "params" must be a plain object, got an array`},
		{jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Map"}, `dashembed: option "params" must be a plain object, got an object (Map)`},
		{jsvalue.Thrown{Message: "revoked"}, `dashembed: option "params" could not be read (reading it threw: revoked)`},
	} {
		_, err := Parse(tt.v)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%#v) error = %v, want %s", tt.v, err, tt.want)
		}
	}
}

func TestOptionErrorFields(t *testing.T) {
	_, err := Parse(sdktest.Options(map[string]any{"dashboardUiConfig": map[string]any{"filters": map[string]any{"visble": true}}}))
	var oe *OptionError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v is not an *OptionError", err)
	}
	if oe.Option != "dashboardUiConfig.filters.visble" || oe.Problem != "is not known (known: visible, expanded)" {
		t.Errorf("OptionError = %+v", *oe)
	}
}
