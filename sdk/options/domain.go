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

// isIPv6Literal checks what stands between "[" and "]" as the URL
// standard's IPv6 parser does: up to eight groups of one to four hex digits,
// at most one "::" standing for the groups left out, and optionally a
// dotted IPv4 address for the last two.
func isIPv6Literal(s string) bool {
	groups, compressed := 0, false
	if strings.HasPrefix(s, "::") {
		compressed, s = true, s[2:]
		if s == "" {
			return true
		}
	} else if strings.HasPrefix(s, ":") {
		return false
	}
	for s != "" {
		field, rest, more := strings.Cut(s, ":")
		if strings.Contains(field, ".") {
			if more || !isIPv4(field) {
				return false
			}
			groups += 2
			break
		}
		if len(field) == 0 || len(field) > 4 || strings.Trim(field, "0123456789abcdefABCDEF") != "" {
			return false
		}
		groups++
		s = rest
		if more && strings.HasPrefix(s, ":") {
			if compressed {
				return false
			}
			compressed, s = true, s[1:]
		} else if more && s == "" {
			return false
		}
	}
	return groups == 8 && !compressed || groups < 8 && compressed
}

// isIPv4 checks a dotted IPv4 address inside an IPv6 literal: four decimal
// parts of at most 255, without leading zeros.
func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || len(p) > 1 && p[0] == '0' || p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}
