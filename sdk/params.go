package sdk

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
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
	MountPoint Handle
	// FetchGuestToken is the caller's () => Promise<string>.
	FetchGuestToken Handle
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
	ResolvePermalinkURL *Handle
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
	defaultIframeTitle            = "Embedded Dashboard"
	defaultGuestTokenFetchTimeout = 30 * time.Second
	defaultHandshakeTimeout       = 5 * time.Second
	// maxTimerMs is the longest delay browsers' setTimeout honours; a
	// longer one fires at once.
	maxTimerMs = 2147483647
)

var (
	topLevelOptions = []string{
		"id", "supersetDomain", "calabiiqDomain", "presetDomain", "mountPoint",
		"fetchGuestToken", "dashboardUiConfig", "debug", "iframeTitle",
		"iframeSandboxExtras", "iframeAllowExtras", "referrerPolicy",
		"resolvePermalinkUrl", "guestTokenFetchTimeoutMs", "handshakeTimeoutMs",
		"autoResize",
	}
	// domainOptions are supersetDomain and the names vendors' docs use for it.
	domainOptions   = []string{"supersetDomain", "calabiiqDomain", "presetDomain"}
	uiConfigOptions = []string{
		"hideTitle", "hideTab", "hideChartControls", "emitDataMasks",
		"showRowLimitWarning", "filters", "urlParams",
	}
	referrerPolicies = []string{
		"", "no-referrer", "no-referrer-when-downgrade", "origin",
		"origin-when-cross-origin", "same-origin", "strict-origin",
		"strict-origin-when-cross-origin", "unsafe-url",
	}
)

// ParseParams validates the copied argument of embedDashboard and fills in
// the defaults. It returns the first problem found, in option order, as an
// *OptionError.
//
// Every optional option treats null like undefined, as upstream does where
// it works at all (a null dashboardUiConfig, debug or referrerPolicy).
func ParseParams(v any) (Params, error) {
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
		MountPoint:             r.handle("mountPoint", m["mountPoint"], KindElement, "an HTML element"),
		FetchGuestToken:        r.handle("fetchGuestToken", m["fetchGuestToken"], KindFunction, "a function returning a Promise of a guest token"),
		UIConfig:               r.uiConfig(m["dashboardUiConfig"]),
		Debug:                  r.boolean("debug", m["debug"]),
		IframeTitle:            r.str("iframeTitle", m["iframeTitle"], defaultIframeTitle),
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
	for _, k := range sortedJSKeys(m) {
		if !slices.Contains(topLevelOptions, k) {
			p.UnknownKeys = append(p.UnknownKeys, k)
		}
	}
	return p, nil
}

// optionReader reads options one by one, keeping the first error so that
// ParseParams reads as a plain list of options.
type optionReader struct {
	err error
}

// fail records err unless an earlier option already failed.
func (r *optionReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// absentValue says v means "use the default": undefined or null.
func absentValue(v any) bool {
	_, null := v.(Null)
	return v == nil || null
}

// id reads the required id. A number is accepted because upstream builds
// the URL with a template string, where one works; only integers make sense.
func (r *optionReader) id(v any) string {
	const want = "a non-empty string or an integer"
	switch v := v.(type) {
	case string:
		if v != "" {
			return v
		}
		r.fail(optionError("id", "must be "+want+`, got ""`))
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= 1<<53-1 {
			return formatJSNumber(v)
		}
		r.fail(optionError("id", "must be "+want+", got "+formatJSNumber(v)))
	default:
		r.fail(optionTypeError("id", want, v))
	}
	return ""
}

// domain reads supersetDomain or one of its aliases; two of them with
// different values are a mistake, as it is unclear which one is meant.
func (r *optionReader) domain(m map[string]any) (domain, origin string) {
	name := ""
	for _, k := range domainOptions {
		if t, ok := m[k].(Thrown); ok {
			r.fail(optionTypeError(k, "", t))
			return "", ""
		}
		if absentValue(m[k]) {
			continue
		}
		if name == "" {
			name = k
			continue
		}
		a, aok := m[name].(string)
		b, bok := m[k].(string)
		if !aok || !bok || a != b {
			r.fail(optionError(name, "conflicts with option "+strconv.Quote(k)+" ("+describeValue(m[name])+
				" vs "+describeValue(m[k])+"): give only one"))
			return "", ""
		}
	}
	const want = "an absolute http(s) URL"
	if name == "" {
		r.fail(optionTypeError("supersetDomain", want, m["supersetDomain"]))
		return "", ""
	}
	s, ok := m[name].(string)
	if !ok {
		r.fail(optionTypeError(name, want, m[name]))
		return "", ""
	}
	domain, origin, problem := parseDomain(s)
	if problem != "" {
		r.fail(optionError(name, problem))
	}
	return domain, origin
}

// describeValue shows a value in a message: strings quoted, numbers as
// JavaScript writes them, anything else by its type.
func describeValue(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case float64:
		return formatJSNumber(v)
	}
	return TypeName(v)
}

// handle reads a required function or element.
func (r *optionReader) handle(path string, v any, kind HandleKind, want string) Handle {
	h, ok := v.(Handle)
	if !ok || h.Kind != kind {
		r.fail(optionTypeError(path, want, v))
		return Handle{}
	}
	return h
}

// function reads an optional function.
func (r *optionReader) function(path string, v any) *Handle {
	if absentValue(v) {
		return nil
	}
	h := r.handle(path, v, KindFunction, "a function")
	return &h
}

// boolean reads an optional boolean, false when absent. Truthy strings are
// refused: upstream would read "false" as true.
func (r *optionReader) boolean(path string, v any) bool {
	b := r.optionalBool(path, v)
	return b != nil && *b
}

// optionalBool reads an optional boolean, nil when absent.
func (r *optionReader) optionalBool(path string, v any) *bool {
	switch v := v.(type) {
	case bool:
		return &v
	case nil, Null:
		return nil
	}
	r.fail(optionTypeError(path, "a boolean", v))
	return nil
}

// str reads an optional string.
func (r *optionReader) str(path string, v any, def string) string {
	if absentValue(v) {
		return def
	}
	s, ok := v.(string)
	if !ok {
		r.fail(optionTypeError(path, "a string", v))
	}
	return s
}

// object reads an optional plain object; ok is false when it is absent or
// wrong.
func (r *optionReader) object(path string, v any) (m map[string]any, ok bool) {
	if absentValue(v) {
		return nil, false
	}
	m, ok = v.(map[string]any)
	if !ok {
		r.fail(optionTypeError(path, "a plain object", v))
	}
	return m, ok
}

// onlyKeys refuses keys that are not options: upstream silently ignores
// them, or worse, so a typo would otherwise go unnoticed.
func (r *optionReader) onlyKeys(path string, m map[string]any, known []string) {
	for _, k := range sortedJSKeys(m) {
		if slices.Contains(known, k) {
			continue
		}
		problem := "is not known (known: " + strings.Join(known, ", ") + ")"
		if k == "hideFilters" {
			// A frequent guess; the filter bar is hidden another way.
			problem += "; to hide the filter bar use filters: {visible: false}"
		}
		r.fail(optionError(path+"."+k, problem))
		return
	}
}

// uiConfig reads dashboardUiConfig.
func (r *optionReader) uiConfig(v any) UIConfig {
	const path = "dashboardUiConfig"
	m, ok := r.object(path, v)
	if !ok {
		return UIConfig{}
	}
	r.onlyKeys(path, m, uiConfigOptions)
	u := UIConfig{
		Set:                 true,
		HideTitle:           r.boolean(path+".hideTitle", m["hideTitle"]),
		HideTab:             r.boolean(path+".hideTab", m["hideTab"]),
		HideChartControls:   r.boolean(path+".hideChartControls", m["hideChartControls"]),
		EmitDataMasks:       r.boolean(path+".emitDataMasks", m["emitDataMasks"]),
		ShowRowLimitWarning: r.boolean(path+".showRowLimitWarning", m["showRowLimitWarning"]),
	}
	if f, ok := r.object(path+".filters", m["filters"]); ok {
		// Upstream turns any other key into a parameter named "undefined".
		r.onlyKeys(path+".filters", f, []string{"visible", "expanded"})
		u.FiltersVisible = r.optionalBool(path+".filters.visible", f["visible"])
		u.FiltersExpanded = r.optionalBool(path+".filters.expanded", f["expanded"])
	}
	if q, ok := r.object(path+".urlParams", m["urlParams"]); ok {
		for _, k := range sortedJSKeys(q) {
			if s, ok := r.urlParamValue(path+".urlParams."+k, q[k]); ok {
				u.URLParams = append(u.URLParams, Param{Key: k, Value: s})
			}
		}
	}
	return u
}

// urlParamValue turns a urlParams value into its string as
// URLSearchParams would. Values that would come out as "[object Object]",
// "null", "NaN" or a function's source are refused; an undefined one is
// left out, like every other undefined option, instead of becoming
// "undefined".
func (r *optionReader) urlParamValue(path string, v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", false
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			return formatJSNumber(v), true
		}
		r.fail(optionError(path, "must be a string, a finite number or a boolean, got "+formatJSNumber(v)))
		return "", false
	}
	r.fail(optionTypeError(path, "a string, a finite number or a boolean", v))
	return "", false
}

// list reads an optional array of strings, each of which must pass ok.
func (r *optionReader) list(path string, v any, ok func(string) bool, want string) []string {
	if absentValue(v) {
		return nil
	}
	a, isArray := v.([]any)
	if !isArray {
		r.fail(optionTypeError(path, "an array of strings", v))
		return nil
	}
	out := make([]string, 0, len(a))
	for i, e := range a {
		at := path + "[" + strconv.Itoa(i) + "]"
		s, isString := e.(string)
		if !isString {
			r.fail(optionTypeError(at, want, e))
			return nil
		}
		if !ok(s) {
			r.fail(optionError(at, "must be "+want+", got "+strconv.Quote(s)))
			return nil
		}
		out = append(out, s)
	}
	return out
}

// isSandboxToken accepts what DOMTokenList.add accepts; it throws on an
// empty token or one with whitespace.
func isSandboxToken(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t\n\f\r")
}

// isAllowDirective accepts one permissions-policy directive. Spaces are
// allowed, since a directive may carry an allow-list ("camera 'self'"); a
// ";" would smuggle in further directives.
func isAllowDirective(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.Contains(s, ";")
}

// referrerPolicy reads referrerPolicy. Case does not matter, as for the
// browser's enumerated attribute; the canonical lower-case token is kept.
func (r *optionReader) referrerPolicy(v any) string {
	if absentValue(v) {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(optionTypeError("referrerPolicy", "a string", v))
		return ""
	}
	if policy := strings.ToLower(s); slices.Contains(referrerPolicies, policy) {
		return policy
	}
	r.fail(optionError("referrerPolicy", `must be one of "`+strings.Join(referrerPolicies, `", "`)+`", got `+strconv.Quote(s)))
	return ""
}

// millis reads an optional duration in milliseconds. With positive unset,
// zero or less turns the limit off.
func (r *optionReader) millis(path string, v any, def time.Duration, positive bool) time.Duration {
	if absentValue(v) {
		return def
	}
	ms, ok := v.(float64)
	switch {
	case !ok:
		r.fail(optionTypeError(path, "a number of milliseconds", v))
	case math.IsNaN(ms) || math.IsInf(ms, 0):
		r.fail(optionError(path, "must be a finite number of milliseconds, got "+formatJSNumber(ms)))
	case positive && ms <= 0:
		r.fail(optionError(path, "must be a number of milliseconds > 0, got "+formatJSNumber(ms)))
	case ms > maxTimerMs:
		r.fail(optionError(path, "must be at most 2147483647 (the longest browser timer), got "+formatJSNumber(ms)))
	case ms <= 0:
		return 0
	default:
		return time.Duration(ms * float64(time.Millisecond))
	}
	return 0
}

// autoResize reads autoResize: false or absent, true, or
// {minHeight?, maxHeight?}.
func (r *optionReader) autoResize(v any) AutoResize {
	const path = "autoResize"
	switch v := v.(type) {
	case nil, Null:
		return AutoResize{}
	case bool:
		return AutoResize{Enabled: v}
	case map[string]any:
		r.onlyKeys(path, v, []string{"minHeight", "maxHeight"})
		a := AutoResize{
			Enabled:   true,
			MinHeight: r.height(path+".minHeight", v["minHeight"], false),
			MaxHeight: r.height(path+".maxHeight", v["maxHeight"], true),
		}
		if a.MaxHeight > 0 && a.MinHeight > a.MaxHeight {
			r.fail(optionError(path+".minHeight", "must not exceed autoResize.maxHeight ("+
				formatJSNumber(a.MaxHeight)+"), got "+formatJSNumber(a.MinHeight)))
		}
		return a
	}
	r.fail(optionTypeError(path, "a boolean or a plain object {minHeight, maxHeight}", v))
	return AutoResize{}
}

// height reads an optional height in CSS pixels, 0 when absent. A maximum
// of 0 is refused: it would mean an invisible dashboard, and 0 already
// stands for "no maximum".
func (r *optionReader) height(path string, v any, positive bool) float64 {
	if absentValue(v) {
		return 0
	}
	h, ok := v.(float64)
	want := "a number of pixels >= 0"
	if positive {
		want = "a number of pixels > 0"
	}
	switch {
	case !ok:
		r.fail(optionTypeError(path, want, v))
	case math.IsNaN(h) || math.IsInf(h, 0) || h < 0 || positive && h == 0:
		r.fail(optionError(path, "must be a finite "+strings.TrimPrefix(want, "a ")+", got "+formatJSNumber(h)))
	default:
		return h
	}
	return 0
}
