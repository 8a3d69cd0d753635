package doctor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options say which deployment to check and how to authenticate. Each field
// names the dashembed-doctor flag that sets it.
type Options struct {
	// BI is the BI host's base URL (-bi), e.g. https://bi.example.com.
	BI string
	// HostOrigin is the origin of the app that embeds the dashboard
	// (-host-origin), e.g. https://app.example.com.
	HostOrigin string
	// Dashboard is the dashboard's id, slug or embedded UUID (-dashboard).
	Dashboard string

	// Username and Password log in a Superset service account (-user,
	// -password); Provider is "db" (default) or "ldap" (-provider).
	Username, Password, Provider string
	// APIKey authenticates with a CalabiIQ API key instead (-api-key).
	APIKey string
	// PresetToken and PresetSecret are a Preset API key pair
	// (-preset-token, -preset-secret) for the workspace PresetWorkspace of
	// team PresetTeam (-preset-team, -preset-workspace); PresetAPI is the
	// Manager API's address (-preset-api, default Preset's).
	PresetToken, PresetSecret, PresetTeam, PresetWorkspace, PresetAPI string

	// TokenHeader is the header the embedded page sends the guest token in
	// (-token-header; Superset's GUEST_TOKEN_HEADER_NAME, default
	// X-GuestToken).
	TokenHeader string
	// SDK is where the host app loads the SDK from (-sdk): the URL of its
	// script, or a directory holding a build (dashembed.js, dashembed.wasm).
	// Empty means the BI host's /static/assets/embedded.js.
	SDK string
	// Timeout bounds every probe (-timeout); default 10 s.
	Timeout time.Duration
	// NoBrowser leaves out the browser check (-no-browser).
	NoBrowser bool
	// Browser, when set, is a chromedp browser context to open the browser
	// check's tab in, instead of starting Chromium.
	Browser context.Context
	// HTTPClient sends every probe; nil uses a client with no cookie jar
	// and no redirects followed.
	HTTPClient *http.Client
	// Now is the local clock, for tests; nil uses time.Now.
	Now func() time.Time
}

// OptionError is an option that is missing or malformed. Flag names the
// dashembed-doctor flag that sets it.
type OptionError struct {
	Flag    string
	Problem string
}

// Error says which flag is wrong and why.
func (e *OptionError) Error() string {
	return "doctor: -" + e.Flag + ": " + e.Problem
}

// authMode is how the service account authenticates.
type authMode string

const (
	authLogin  authMode = "login"
	authAPIKey authMode = "api key"
	authPreset authMode = "preset"
)

// validate checks the options and returns them with defaults filled in.
func (o Options) validate() (Options, authMode, error) {
	bi, err := baseURL(o.BI)
	if err != nil {
		return o, "", &OptionError{"bi", err.Error()}
	}
	o.BI = bi
	if _, err := parseOrigin(o.HostOrigin); err != nil {
		return o, "", &OptionError{"host-origin", err.Error()}
	}
	o.HostOrigin = strings.TrimSuffix(o.HostOrigin, "/")
	o.Dashboard = strings.TrimSpace(o.Dashboard)
	if o.Dashboard == "" {
		return o, "", &OptionError{"dashboard", "missing: give the dashboard's id, slug or embedded UUID"}
	}
	var modes []authMode
	if o.Username != "" || o.Password != "" {
		if o.Username == "" || o.Password == "" {
			return o, "", &OptionError{"user", "-user and -password go together"}
		}
		modes = append(modes, authLogin)
	}
	if o.APIKey != "" {
		modes = append(modes, authAPIKey)
	}
	if o.PresetToken != "" || o.PresetSecret != "" {
		if o.PresetToken == "" || o.PresetSecret == "" || o.PresetTeam == "" || o.PresetWorkspace == "" {
			return o, "", &OptionError{"preset-token", "Preset needs -preset-token, -preset-secret, -preset-team and -preset-workspace"}
		}
		modes = append(modes, authPreset)
	}
	if len(modes) != 1 {
		return o, "", &OptionError{"user", fmt.Sprintf("give exactly one of -user/-password, -api-key or -preset-token/-preset-secret (got %d)", len(modes))}
	}
	if o.Provider != "" && o.Provider != "db" && o.Provider != "ldap" {
		return o, "", &OptionError{"provider", fmt.Sprintf("%q is not db or ldap", o.Provider)}
	}
	if o.TokenHeader == "" {
		o.TokenHeader = "X-GuestToken"
	}
	if o.SDK == "" {
		o.SDK = o.BI + "/static/assets/embedded.js"
	} else if strings.Contains(o.SDK, "://") {
		if _, err := baseURL(o.SDK); err != nil {
			return o, "", &OptionError{"sdk", err.Error()}
		}
	} else if _, err := os.Stat(filepath.Join(o.SDK, "dashembed.js")); err != nil {
		return o, "", &OptionError{"sdk", fmt.Sprintf("%q is neither a URL nor a directory holding a built SDK (dashembed.js)", o.SDK)}
	}
	if o.Timeout < 0 {
		return o, "", &OptionError{"timeout", "must not be negative"}
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, modes[0], nil
}

// baseURL checks an http(s) URL and drops its trailing slash.
func baseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q has a query or fragment", s)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}
