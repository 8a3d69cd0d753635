// Package options turns the argument of embedDashboard into validated
// Params. The browser edge has already copied the JavaScript object into a
// jsvalue tree; Parse reads it option by option, in the documented order,
// and returns the first problem as an *OptionError that names the option by
// its full path:
//
//	jsvalue tree ──Parse──▶ Params ──iframe.New──▶ the iframe to mount
//
// The JavaScript semantics the SDK must reproduce exactly — how String()
// writes a number, the order in which an object's keys enumerate, how a
// browser reads an origin — live here too, next to the rules that use them.
package options

import (
	"slices"
	"time"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// Params is the validated argument of embedDashboard.
type Params struct {
	// ID is the dashboard's embed id.
	ID string
	// Domain is supersetDomain (or an alias) with one trailing "/" stripped;
	// it may include a path prefix.
	Domain string
	// Origin is scheme://host[:port] of Domain as the browser writes an
	// origin: the postMessage target origin.
	Origin string
	// MountPoint is the element whose children the iframe replaces.
	MountPoint jsvalue.Handle
	// FetchGuestToken is the caller's () => Promise<string>.
	FetchGuestToken jsvalue.Handle
	// UIConfig is dashboardUiConfig.
	UIConfig UIConfig
	// Debug turns on console logging.
	Debug bool
	// IframeTitle is the iframe's title, "Embedded Dashboard" by default.
	IframeTitle string
	// SandboxExtras are sandbox tokens added to the upstream ones.
	SandboxExtras []string
	// AllowExtras are permissions-policy directives added to the upstream ones.
	AllowExtras []string
	// ReferrerPolicy is the iframe's referrerPolicy, "" when absent.
	ReferrerPolicy string
	// ResolvePermalinkURL is the caller's resolvePermalinkUrl, nil when absent.
	ResolvePermalinkURL *jsvalue.Handle
	// GuestTokenFetchTimeout bounds each fetchGuestToken call; 0 disables it.
	GuestTokenFetchTimeout time.Duration
	// HandshakeTimeout is how long a loaded iframe may take to answer
	// (option handshakeTimeoutMs).
	HandshakeTimeout time.Duration
	// AutoResize is the autoResize option.
	AutoResize AutoResize
	// UnknownKeys lists, sorted, the top-level keys that are not options.
	// They are ignored, since host apps pass extra things, but debug mode
	// warns about them as they are often misspelt options.
	UnknownKeys []string
}

// UIConfig is dashboardUiConfig.
type UIConfig struct {
	// Set says dashboardUiConfig was given; upstream adds uiConfig=<n> to
	// the iframe URL only then.
	Set bool
	// HideTitle hides the dashboard title (uiConfig bit 1).
	HideTitle bool
	// HideTab hides the top-level tabs (uiConfig bit 2).
	HideTab bool
	// HideChartControls hides each chart's menu (uiConfig bit 8).
	HideChartControls bool
	// EmitDataMasks makes the page emit observeDataMask (uiConfig bit 16).
	EmitDataMasks bool
	// ShowRowLimitWarning shows the row-limit warning (uiConfig bit 32).
	ShowRowLimitWarning bool
	// FiltersVisible is filters.visible (URL parameter show_filters), nil
	// when absent.
	FiltersVisible *bool
	// FiltersExpanded is filters.expanded (URL parameter expand_filters),
	// nil when absent.
	FiltersExpanded *bool
	// URLParams is urlParams in JavaScript enumeration order as far as the
	// copied object allows: array-index keys ascending, then the rest
	// sorted, since a copied object does not keep insertion order.
	URLParams []Param
}

// Param is one URL query parameter.
type Param struct {
	// Key is the parameter's name.
	Key string
	// Value is the parameter's value, already turned into a string.
	Value string
}

// AutoResize is the autoResize option.
type AutoResize struct {
	// Enabled says the iframe follows the dashboard's scroll height.
	Enabled bool
	// MinHeight is the least height in CSS pixels.
	MinHeight float64
	// MaxHeight is the greatest height in CSS pixels; 0 means no limit.
	MaxHeight float64
}

const (
	// DefaultIframeTitle is the iframe's title when iframeTitle is absent.
	DefaultIframeTitle            = "Embedded Dashboard"
	defaultGuestTokenFetchTimeout = 30 * time.Second
	defaultHandshakeTimeout       = 5 * time.Second
	// MaxTimerMs is the longest delay browsers' setTimeout honours; a
	// longer one fires at once, so longer timeouts are refused.
	MaxTimerMs = 2147483647
)

var (
	// TopLevel lists every option embedDashboard reads.
	TopLevel = []string{
		"id", "supersetDomain", "calabiiqDomain", "presetDomain", "mountPoint",
		"fetchGuestToken", "dashboardUiConfig", "debug", "iframeTitle",
		"iframeSandboxExtras", "iframeAllowExtras", "referrerPolicy",
		"resolvePermalinkUrl", "guestTokenFetchTimeoutMs", "handshakeTimeoutMs",
		"autoResize",
	}
	// DomainOptions are supersetDomain and the names vendors' docs use for it.
	DomainOptions = []string{"supersetDomain", "calabiiqDomain", "presetDomain"}
	// UIConfigKeys lists the keys of dashboardUiConfig.
	UIConfigKeys = []string{
		"hideTitle", "hideTab", "hideChartControls", "emitDataMasks",
		"showRowLimitWarning", "filters", "urlParams",
	}
	// AutoResizeKeys lists the keys of an autoResize object.
	AutoResizeKeys = []string{"minHeight", "maxHeight"}
	// FilterKeys lists the keys of dashboardUiConfig.filters.
	FilterKeys = []string{"visible", "expanded"}
	// ReferrerPolicies lists the values referrerPolicy accepts ("" is the
	// browser's default).
	ReferrerPolicies = []string{
		"", "no-referrer", "no-referrer-when-downgrade", "origin",
		"origin-when-cross-origin", "same-origin", "strict-origin",
		"strict-origin-when-cross-origin", "unsafe-url",
	}
)

// Parse validates the copied argument of embedDashboard and fills in
// the defaults. It returns the first problem found, in option order, as an
// *OptionError.
//
// Every optional option treats null like undefined, as upstream does where
// it works at all (a null dashboardUiConfig, debug or referrerPolicy).
func Parse(v any) (Params, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Params{}, optionTypeError("params", "a plain object", v)
	}
	var r optionReader
	id := r.id(m["id"])
	domain, origin := r.domain(m)
	p := Params{
		ID:                     id,
		Domain:                 domain,
		Origin:                 origin,
		MountPoint:             r.handle("mountPoint", m["mountPoint"], jsvalue.KindElement, "an HTML element"),
		FetchGuestToken:        r.handle("fetchGuestToken", m["fetchGuestToken"], jsvalue.KindFunction, "a function returning a Promise of a guest token"),
		UIConfig:               r.uiConfig(m["dashboardUiConfig"]),
		Debug:                  r.boolean("debug", m["debug"]),
		IframeTitle:            r.str("iframeTitle", m["iframeTitle"], DefaultIframeTitle),
		SandboxExtras:          r.list("iframeSandboxExtras", m["iframeSandboxExtras"], isSandboxToken, "a sandbox token without spaces"),
		AllowExtras:            r.list("iframeAllowExtras", m["iframeAllowExtras"], isAllowDirective, `a permissions-policy directive without ";"`),
		ReferrerPolicy:         r.referrerPolicy(m["referrerPolicy"]),
		ResolvePermalinkURL:    r.function("resolvePermalinkUrl", m["resolvePermalinkUrl"]),
		GuestTokenFetchTimeout: r.millis("guestTokenFetchTimeoutMs", m["guestTokenFetchTimeoutMs"], defaultGuestTokenFetchTimeout, false),
		HandshakeTimeout:       r.millis("handshakeTimeoutMs", m["handshakeTimeoutMs"], defaultHandshakeTimeout, true),
		AutoResize:             r.autoResize(m["autoResize"]),
	}
	if r.err != nil {
		return Params{}, r.err
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(TopLevel, k) {
			p.UnknownKeys = append(p.UnknownKeys, k)
		}
	}
	return p, nil
}
