package doctor

import (
	"net/http"
	"strings"
)

// frameAncestorLists returns the frame-ancestors source list of every
// policy that has one. A response may carry several policies (several
// headers, or one header with comma-separated policies); the browser
// enforces all of them.
func frameAncestorLists(h http.Header) [][]string {
	var out [][]string
	for _, header := range h.Values("Content-Security-Policy") {
		for _, policy := range strings.Split(header, ",") {
			for _, dir := range strings.Split(policy, ";") {
				f := strings.Fields(dir)
				if len(f) > 0 && strings.EqualFold(f[0], "frame-ancestors") {
					out = append(out, f[1:])
				}
			}
		}
	}
	return out
}

// sourceAllows reports whether one CSP source expression admits the host
// origin as an ancestor of a page served from self.
func sourceAllows(src string, host, self origin) bool {
	s := strings.ToLower(src)
	switch {
	case s == "*":
		return host.scheme == "http" || host.scheme == "https"
	case s == "'self'":
		return host == self
	case strings.HasPrefix(s, "'"):
		return false // 'none' and keywords that do not apply here
	case strings.HasSuffix(s, ":") && !strings.Contains(s, "/"):
		// A scheme source; http: also admits https (CSP's upgrade rule).
		scheme := strings.TrimSuffix(s, ":")
		return scheme == host.scheme || (scheme == "http" && host.scheme == "https")
	}
	scheme, rest, hasScheme := strings.Cut(s, "://")
	if !hasScheme {
		rest, scheme = s, ""
	}
	hostport, _, _ := strings.Cut(rest, "/")
	h, port := hostport, ""
	if i := strings.LastIndex(hostport, ":"); i >= 0 && !strings.HasSuffix(hostport, "]") {
		h, port = hostport[:i], hostport[i+1:]
	}
	switch {
	case scheme == "":
		// No scheme: the protected page's scheme, or its https upgrade.
		if host.scheme != self.scheme && !(self.scheme == "http" && host.scheme == "https") {
			return false
		}
	case scheme != host.scheme && !(scheme == "http" && host.scheme == "https"):
		return false
	}
	switch {
	case h == "*":
	case strings.HasPrefix(h, "*."):
		if !strings.HasSuffix(host.host, h[1:]) {
			return false
		}
	case h != host.host:
		return false
	}
	switch port {
	case "*":
		return true
	case "":
		return host.port == defaultPort(host.scheme)
	}
	return port == host.port
}

// listAllows reports whether a frame-ancestors list admits the host origin.
func listAllows(list []string, host, self origin) bool {
	for _, src := range list {
		if sourceAllows(src, host, self) {
			return true
		}
	}
	return false
}
