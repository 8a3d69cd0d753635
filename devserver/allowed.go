package devserver

import (
	"net"
	"net/url"
	"strings"
)

// origin is a normalised scheme/host/port triple. scheme is empty for a
// CalabiIQ-style allowed-domain entry written without one.
type origin struct {
	scheme, host, port string
}

// String writes the origin as a browser would (scheme://host[:port]).
func (o origin) String() string {
	s := o.host
	if o.port != "" && o.port != defaultPort(o.scheme) {
		s = net.JoinHostPort(o.host, o.port)
	}
	if o.scheme == "" {
		return s
	}
	return o.scheme + "://" + s
}

// defaultPort is the port a scheme implies.
func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// parseOrigin reads a URL or origin ("https://a.example:8443/path" →
// https, a.example, 8443). The default port is filled in so that
// "https://a.example" and "https://a.example:443" compare equal.
func parseOrigin(s string) (origin, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return origin{}, false
	}
	o := origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if o.port == "" {
		o.port = defaultPort(o.scheme)
	}
	return o, true
}

// parseAllowedEntry reads one allowed-domain entry. Entries with a scheme
// are full origins; entries without one ("portal.example.com",
// "localhost:8080"), as CalabiIQ's guide writes them, leave scheme (and port,
// when absent) empty, meaning "any".
func parseAllowedEntry(s string) (origin, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return origin{}, false
	}
	if strings.Contains(s, "://") {
		return parseOrigin(s)
	}
	hostport, _, _ := strings.Cut(s, "/")
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, ""
	}
	return origin{host: strings.ToLower(host), port: port}, host != ""
}

// matches reports whether a concrete origin o satisfies the entry e.
func (e origin) matches(o origin) bool {
	if e.host != o.host {
		return false
	}
	if e.scheme != "" && e.scheme != o.scheme {
		return false
	}
	return e.port == "" || e.port == o.port
}

// allowedByList reports whether the origin of rawURL (a Referer or an
// Origin header) is in the allowed list. An empty list allows anything; a
// non-empty list rejects a missing or unparsable URL. lenient reports that
// a scheme-less entry did the matching, which stock Superset would not do.
func allowedByList(rawURL string, allowed []string) (ok, lenient bool) {
	if len(allowed) == 0 {
		return true, false
	}
	o, parsed := parseOrigin(rawURL)
	if !parsed {
		return false, false
	}
	for _, a := range allowed {
		e, valid := parseAllowedEntry(a)
		if valid && e.matches(o) {
			return true, e.scheme == ""
		}
	}
	return false, false
}

// frameAncestors is the CSP frame-ancestors source list for allowed
// domains: any origin for an empty list, else 'self' plus each entry as a
// CSP host-source.
func frameAncestors(allowed []string) string {
	if len(allowed) == 0 {
		return "frame-ancestors *"
	}
	parts := []string{"frame-ancestors", "'self'"}
	for _, a := range allowed {
		e, ok := parseAllowedEntry(a)
		if !ok {
			continue
		}
		src := e.host
		if e.port != "" && e.port != defaultPort(e.scheme) {
			src = net.JoinHostPort(e.host, e.port)
		}
		if e.scheme != "" {
			src = e.scheme + "://" + src
		}
		parts = append(parts, src)
	}
	return strings.Join(parts, " ")
}
