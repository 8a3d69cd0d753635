package options

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// optionReader reads options one by one, keeping the first error so that
// Parse reads as a plain list of options.
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
	_, null := v.(jsvalue.Null)
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
			return formatNumber(v)
		}
		r.fail(optionError("id", "must be "+want+", got "+formatNumber(v)))
	default:
		r.fail(optionTypeError("id", want, v))
	}
	return ""
}

// domain reads supersetDomain or one of its aliases; two of them with
// different values are a mistake, as it is unclear which one is meant.
func (r *optionReader) domain(m map[string]any) (domain, origin string) {
	name := ""
	for _, k := range DomainOptions {
		if t, ok := m[k].(jsvalue.Thrown); ok {
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
		return formatNumber(v)
	}
	return jsvalue.TypeName(v)
}

// handle reads a required function or element.
func (r *optionReader) handle(path string, v any, kind jsvalue.HandleKind, want string) jsvalue.Handle {
	h, ok := v.(jsvalue.Handle)
	if !ok || h.Kind != kind {
		r.fail(optionTypeError(path, want, v))
		return jsvalue.Handle{}
	}
	return h
}

// function reads an optional function.
func (r *optionReader) function(path string, v any) *jsvalue.Handle {
	if absentValue(v) {
		return nil
	}
	h := r.handle(path, v, jsvalue.KindFunction, "a function")
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
	case nil, jsvalue.Null:
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
	for _, k := range sortedKeys(m) {
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
	r.onlyKeys(path, m, UIConfigKeys)
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
		r.onlyKeys(path+".filters", f, FilterKeys)
		u.FiltersVisible = r.optionalBool(path+".filters.visible", f["visible"])
		u.FiltersExpanded = r.optionalBool(path+".filters.expanded", f["expanded"])
	}
	if q, ok := r.object(path+".urlParams", m["urlParams"]); ok {
		for _, k := range sortedKeys(q) {
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
			return formatNumber(v), true
		}
		r.fail(optionError(path, "must be a string, a finite number or a boolean, got "+formatNumber(v)))
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
	if policy := strings.ToLower(s); slices.Contains(ReferrerPolicies, policy) {
		return policy
	}
	r.fail(optionError("referrerPolicy", `must be one of "`+strings.Join(ReferrerPolicies, `", "`)+`", got `+strconv.Quote(s)))
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
		r.fail(optionError(path, "must be a finite number of milliseconds, got "+formatNumber(ms)))
	case positive && ms <= 0:
		r.fail(optionError(path, "must be a number of milliseconds > 0, got "+formatNumber(ms)))
	case ms > MaxTimerMs:
		r.fail(optionError(path, "must be at most 2147483647 (the longest browser timer), got "+formatNumber(ms)))
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
	case nil, jsvalue.Null:
		return AutoResize{}
	case bool:
		return AutoResize{Enabled: v}
	case map[string]any:
		r.onlyKeys(path, v, AutoResizeKeys)
		a := AutoResize{
			Enabled:   true,
			MinHeight: r.height(path+".minHeight", v["minHeight"], false),
			MaxHeight: r.height(path+".maxHeight", v["maxHeight"], true),
		}
		if a.MaxHeight > 0 && a.MinHeight > a.MaxHeight {
			r.fail(optionError(path+".minHeight", "must not exceed autoResize.maxHeight ("+
				formatNumber(a.MaxHeight)+"), got "+formatNumber(a.MinHeight)))
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
		r.fail(optionError(path, "must be a finite "+strings.TrimPrefix(want, "a ")+", got "+formatNumber(h)))
	default:
		return h
	}
	return 0
}
