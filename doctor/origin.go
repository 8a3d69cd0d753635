package doctor

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// origin is a browser origin with its port made explicit, so that
// https://a.example and https://a.example:443 compare equal.
type origin struct {
	scheme, host, port string
}

// String writes the origin as a browser does, without a default port.
func (o origin) String() string {
	if o.port == defaultPort(o.scheme) {
		return o.scheme + "://" + hostForURL(o.host)
	}
	return o.scheme + "://" + net.JoinHostPort(o.host, o.port)
}

// hostForURL brackets an IPv6 literal.
func hostForURL(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

// defaultPort is the port a scheme implies.
func defaultPort(scheme string) string {
	switch scheme {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// parseOrigin reads an origin: an http(s) scheme, a host, an optional port,
// and nothing after but an optional "/".
func parseOrigin(s string) (origin, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return origin{}, fmt.Errorf("%q is not an origin like https://app.example.com", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return origin{}, errors.New("an origin is scheme://host[:port] only, without a path: " + u.Scheme + "://" + u.Host)
	}
	return originOf(u), nil
}

// originOf is the origin of a parsed URL.
func originOf(u *url.URL) origin {
	o := origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if o.port == "" {
		o.port = defaultPort(o.scheme)
	}
	return o
}

// trustworthy reports whether content from o may load in an https page:
// https, or http on a loopback host, which browsers treat as secure.
func (o origin) trustworthy() bool {
	if o.scheme == "https" || o.host == "localhost" || strings.HasSuffix(o.host, ".localhost") {
		return true
	}
	ip := net.ParseIP(o.host)
	return ip != nil && ip.IsLoopback()
}

// originPart is the scheme://host[:port] of a URL known to be valid.
func originPart(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Scheme + "://" + u.Host
}
