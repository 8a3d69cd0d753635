package embedded

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/dashboards"
)

// origin is a normalised scheme/host/port triple. scheme is empty for a
// CalabiIQ-style allowed-domain entry written without one.
type origin struct {
	scheme, host, port string
}

// String writes the origin as a browser would (scheme://host[:port]), or as
// a CSP host-source for a scheme-less entry.
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
		if e, ok := parseAllowedEntry(a); ok {
			parts = append(parts, e.String())
		}
	}
	return strings.Join(parts, " ")
}

// FeedOriginAllowed checks a browser Origin that wants the event feed
// against the BI host's own origin (from the Host header), the extra event
// origins ("*" allows any) and every dashboard's allowed domains: whoever
// may embed a dashboard may watch what happens to it.
func FeedOriginAllowed(r *http.Request, o string, eventOrigins []string, ds []dashboards.Dashboard) bool {
	po, ok := parseOrigin(o)
	if !ok {
		return false
	}
	if strings.EqualFold(net.JoinHostPort(po.host, po.port), hostWithPort(r)) {
		return true
	}
	for _, e := range eventOrigins {
		if e == "*" {
			return true
		}
	}
	if ok, _ := allowedByList(o, eventOrigins); ok && len(eventOrigins) > 0 {
		return true
	}
	for _, d := range ds {
		if len(d.AllowedDomains) == 0 {
			continue
		}
		if ok, _ := allowedByList(o, d.AllowedDomains); ok {
			return true
		}
	}
	return false
}

// hostWithPort returns the request's Host with an explicit port.
func hostWithPort(r *http.Request) string {
	host := strings.ToLower(r.Host)
	if h, p, err := net.SplitHostPort(host); err == nil {
		return net.JoinHostPort(h, p)
	}
	host = strings.Trim(host, "[]")
	if r.TLS != nil {
		return net.JoinHostPort(host, "443")
	}
	return net.JoinHostPort(host, "80")
}
