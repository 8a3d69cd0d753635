package options

import (
	"strconv"
	"strings"
)

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
