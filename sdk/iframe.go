package sdk

import (
	"slices"
	"strconv"
	"strings"
)

// baseSandbox is what the upstream SDK always grants the dashboard:
// same-origin and scripts for the page and postMessage to work,
// presentation for fullscreen charts, downloads for chart images, forms,
// and popups for CSV exports.
var baseSandbox = []string{
	"allow-same-origin", "allow-scripts", "allow-presentation",
	"allow-downloads", "allow-forms", "allow-popups",
}

// baseAllow is the permissions policy the dashboard always gets, for its
// fullscreen and copy-to-clipboard buttons.
var baseAllow = []string{"fullscreen", "clipboard-write"}

// IframeURL is the iframe's src: {Domain}/embedded/{id}?{query}, with the
// query left out when there are no parameters, as upstream does.
func (p Params) IframeURL() string {
	u := p.Domain + "/embedded/" + encodeURIComponent(p.ID)
	if q := p.query(); len(q) > 0 {
		u += "?" + encodeQuery(q)
	}
	return u
}

// query lists the iframe URL's parameters in upstream's order: uiConfig,
// then the filter switches, then urlParams, a later entry replacing an
// earlier one in place; JavaScript then enumerates array-index keys first.
func (p Params) query() []Param {
	var q []Param
	u := p.UIConfig
	if u.Set {
		q = setParam(q, "uiConfig", strconv.Itoa(u.number()))
	}
	if u.FiltersVisible != nil {
		q = setParam(q, "show_filters", strconv.FormatBool(*u.FiltersVisible))
	}
	if u.FiltersExpanded != nil {
		q = setParam(q, "expand_filters", strconv.FormatBool(*u.FiltersExpanded))
	}
	for _, kv := range u.URLParams {
		q = setParam(q, kv.Key, kv.Value)
	}
	slices.SortStableFunc(q, func(a, b Param) int { return compareJSKeys(a.Key, b.Key) })
	return q
}

// number sums the flags into upstream's uiConfig bit set.
func (u UIConfig) number() int {
	n := 0
	for _, f := range []struct {
		on  bool
		bit int
	}{{u.HideTitle, 1}, {u.HideTab, 2}, {u.HideChartControls, 8}, {u.EmitDataMasks, 16}, {u.ShowRowLimitWarning, 32}} {
		if f.on {
			n += f.bit
		}
	}
	return n
}

// Sandbox is the iframe's sandbox tokens: upstream's six, then the extras,
// without duplicates (callers often repeat "allow-same-origin").
func (p Params) Sandbox() []string {
	return appendNew(slices.Clone(baseSandbox), p.SandboxExtras)
}

// Allow is the iframe's allow attribute: "fullscreen; clipboard-write" and
// the extras, without repeated directives, joined by "; ".
func (p Params) Allow() string {
	return strings.Join(appendNew(slices.Clone(baseAllow), p.AllowExtras), "; ")
}

// appendNew appends the items of more that list does not hold yet.
func appendNew(list, more []string) []string {
	for _, s := range more {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// parseDomain checks a supersetDomain value and returns it with one trailing
// "/" stripped, and its origin: the lower-cased scheme and host, and the
// port unless it is the scheme's default, which is how the browser writes
// the origin it compares postMessage targets and event.origin against.
// problem is "" when raw is fine, else the OptionError problem.
//
// A host outside ASCII is kept as written; the browser converts it to
// punycode when it parses the URL.
func parseDomain(raw string) (domain, origin, problem string) {
	bad := func(why string) (string, string, string) {
		return "", "", "must be an absolute http(s) URL" + why + ", got " + strconv.Quote(raw)
	}
	for i := 0; i < len(raw); i++ {
		// Browsers silently drop some of these and reinterpret others; a
		// value carrying them (often a stray newline from an environment
		// variable) is a mistake worth saying so.
		if c := raw[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return bad(" without spaces, control characters or backslashes")
		}
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	scheme = strings.ToLower(scheme)
	if !ok || scheme != "http" && scheme != "https" {
		return bad("")
	}
	if strings.ContainsAny(raw, "?#") {
		return bad(" without a query or fragment")
	}
	authority, _, _ := strings.Cut(rest, "/")
	if strings.Contains(authority, "@") {
		return bad(" without a user name or password")
	}
	host, port := authority, ""
	hasPort := false
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 || !isIPv6Literal(host[1:end]) {
			return bad(" with a valid host")
		}
		if after := host[end+1:]; after != "" {
			if after[0] != ':' {
				return bad(" with a valid host")
			}
			port, hasPort = after[1:], true
		}
		host = host[:end+1]
	} else {
		host, port, hasPort = strings.Cut(host, ":")
		if host == "" {
			return bad(" with a host")
		}
		if strings.ContainsAny(host, "<>[]^|%") {
			return bad(" with a valid host")
		}
	}
	portNum := 0
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' || portNum > 65535 {
			return bad(" with a valid port")
		}
		portNum = portNum*10 + int(port[i]-'0')
	}
	if portNum > 65535 {
		return bad(" with a valid port")
	}
	origin = scheme + "://" + strings.ToLower(host)
	// An empty port ("https://host:") means the default one, as in browsers.
	if hasPort && port != "" && !(scheme == "http" && portNum == 80 || scheme == "https" && portNum == 443) {
		origin += ":" + strconv.Itoa(portNum)
	}
	return strings.TrimSuffix(raw, "/"), origin, ""
}

// isIPv6Literal is a loose check of what may stand between "[" and "]".
func isIPv6Literal(s string) bool {
	if !strings.Contains(s, ":") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == ':' || c == '.') {
			return false
		}
	}
	return true
}
