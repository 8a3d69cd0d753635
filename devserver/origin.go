package devserver

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckOrigin checks one allowed-origin entry as a configuration file or
// -allow flag gives it: "*" (any origin), a browser origin such as
// http://localhost:3000 (a trailing / is tolerated, a path is not), or a
// host[:port] without a scheme, as CalabiIQ's guide writes them.
func CheckOrigin(s string) error {
	if s == "*" {
		return nil
	}
	if strings.TrimSpace(s) != s || s == "" {
		return fmt.Errorf("%q is empty or has spaces around it", s)
	}
	if !strings.Contains(s, "://") {
		host, port, err := net.SplitHostPort(s)
		if err != nil {
			host, port = s, ""
		}
		if host == "" || strings.ContainsAny(host, "/?#@ ") || strings.Trim(port, "0123456789") != "" {
			return fmt.Errorf("%q is not an origin", s)
		}
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not an origin: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http or https origin", s)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q is not an origin (scheme://host[:port], nothing after it)", s)
	}
	return nil
}
