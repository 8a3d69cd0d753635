package devserver

import (
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/auth"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/embedded"
	"github.com/dashembed/dashembed/devserver/internal/vendors"
)

// Config describes one mock BI host: how it signs guest tokens, which
// dashboards it embeds, who may log in, and which SDK build it serves.
type Config struct {
	// Secret is the HMAC secret guest tokens are signed with (Superset's
	// GUEST_TOKEN_JWT_SECRET).
	Secret string
	// Algorithm is the JWT signing algorithm: HS256 (default), HS384 or HS512.
	Algorithm string
	// Audience is the guest token's aud claim (Superset's
	// GUEST_TOKEN_JWT_AUDIENCE); default "superset".
	Audience string
	// TokenLifetime is how long a guest token lives; default 300 s.
	TokenLifetime time.Duration
	// TokenHeader is the request header the embedded page sends the guest
	// token in (Superset's GUEST_TOKEN_HEADER_NAME); default "X-GuestToken".
	TokenHeader string
	// Dashboards are the dashboards the host knows. A dashboard with a UUID
	// has embedding enabled; the embedded-config API can change that at run
	// time. An AllowedDomains list holding "*" allows any origin.
	Dashboards []Dashboard
	// Accounts are the service accounts that may log in and mint tokens.
	Accounts []Account
	// Datasets, when not empty, replace the demo data: each is loaded into
	// the host's SQLite from its Source at start-up. Charts are then the
	// charts dashboards may show (Dashboard.Charts picks them); with
	// Datasets empty they must be empty too, and every dashboard shows the
	// demo charts.
	Datasets []Dataset
	Charts   []Chart
	// Assets is the built SDK directory (dashembed.js, dashembed.wasm, ...).
	// nil makes /static/assets/* answer 404 JSON.
	Assets fs.FS
	// Logger receives request and warning logs; nil logs nowhere.
	Logger *slog.Logger

	// StrictCSRF makes the guest-token endpoint require X-CSRFToken and the
	// session cookie, as stock Superset does unless the deployer exempts the
	// endpoint (most do; the default here is exempt).
	StrictCSRF bool
	// Framing selects the framing headers of embedded pages: FramingCSP
	// (default), FramingStock or FramingNone.
	Framing FramingMode
	// MaxBodyBytes bounds every request body; larger bodies get 413.
	// Default 1 MiB.
	MaxBodyBytes int64
	// EventOrigins are extra browser origins allowed to open the event feed
	// websocket (the BI host's own origin and every dashboard's allowed
	// domains always are). "*" allows any origin.
	EventOrigins []string
	// PresetTokens are the Preset Manager API tokens accepted by /v1/auth/.
	PresetTokens []APIKey
	// LuzmoKeys are the Luzmo API key/token pairs accepted by
	// /0.1.0/authorization.
	LuzmoKeys []APIKey
	// AccessTokenLifetime is the lifetime of login access tokens; default
	// 15 minutes (flask-jwt-extended's default).
	AccessTokenLifetime time.Duration
	// ReloadPoll is how often Assets is checked for a changed SDK bundle
	// (live reload); default 500 ms. Negative disables the watcher.
	ReloadPoll time.Duration
	// Now replaces the clock, for tests; nil uses time.Now.
	Now func() time.Time
	// file, when the Config was read from a configuration file, turns an
	// error about a dataset or chart into one naming the file's key and line.
	file *fileIndex

	// The misconfigurations below let a host app (and dashembed-doctor) see
	// what a wrongly configured deployment does; all are off by default.

	// FrameAncestors, when set, replaces the frame-ancestors source list
	// built from the allowed domains (e.g. "'self'"), as a
	// TALISMAN_CONFIG content_security_policy that leaves the app out does.
	FrameAncestors string
	// VerifyAudience, when set, is the audience the embedded page's API
	// accepts instead of Audience: workers that disagree on
	// GUEST_TOKEN_JWT_AUDIENCE.
	VerifyAudience string
	// ClockSkew moves the host's clock (guest tokens' iat and exp, the Date
	// header) away from this machine's.
	ClockSkew time.Duration
	// GuestRoleWithoutData gives guests a role (GUEST_ROLE_NAME) without
	// datasource access: chart data answers 403.
	GuestRoleWithoutData bool
	// WasmContentType, when set, replaces application/wasm on .wasm assets.
	WasmContentType string
	// StaticNoCORS drops Access-Control-Allow-Origin from the SDK's assets,
	// as stock Superset's /static/ route does.
	StaticNoCORS bool
	// StaticNoCompression serves the SDK's assets uncompressed, as a server
	// whose compression list leaves them out.
	StaticNoCompression bool
}

// Dashboard is one dashboard of the mock host: its numeric ID, optional
// Slug, embedded UUID (empty: embedding off), Title, and AllowedDomains (the
// origins that may embed it; empty allows any; entries without a scheme,
// CalabiIQ style, match any scheme). All dashboards show the same demo
// charts over the seeded orders data.
type Dashboard = dashboards.Dashboard

// Account is a service account of the BI host: Username and Password for
// POST /api/v1/security/login, Superset's CanGrantGuestToken permission, its
// Admin role (needed to change embedding and to read the dashboard API with
// a Bearer token), and an optional APIKey accepted as a Bearer token in place
// of a login access token (CalabiIQ's API keys).
type Account = auth.Account

// APIKey is a name/secret pair of a vendor API: Preset's token name and
// secret, Luzmo's key and token.
type APIKey = vendors.APIKey

// FramingMode selects which framing headers embedded pages carry.
type FramingMode = embedded.FramingMode

const (
	// FramingCSP sends Content-Security-Policy: frame-ancestors 'self' plus
	// the dashboard's allowed domains (any origin when the list is empty).
	FramingCSP = embedded.FramingCSP
	// FramingStock sends X-Frame-Options: SAMEORIGIN, as stock Superset
	// behind its security-headers layer does; it blocks every cross-origin
	// embed, which lets a host app see and diagnose that failure.
	FramingStock = embedded.FramingStock
	// FramingNone sends no framing header at all.
	FramingNone = embedded.FramingNone
)

// Demo values of DefaultConfig, exported so tests and the demo host app can
// refer to them.
const (
	DemoDashboardUUID = "5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c"
	DemoDashboardID   = 1
	DemoDashboardSlug = "sales"
	DemoUsername      = "admin"
	DemoPassword      = "admin"
	DemoSecret        = "dashembed-dev-secret-change-me"
	DemoAPIKey        = "calabi-demo-api-key"
	// DemoGammaUsername and DemoGammaPassword log in an account like
	// Superset's Gamma: authenticated, but without the grant-guest-token
	// permission, so the guest-token endpoint answers it 403.
	DemoGammaUsername = "gamma"
	DemoGammaPassword = "gamma"
)

// DefaultConfig returns a ready-to-run configuration: one embeddable demo
// dashboard with a fixed UUID (any origin may embed it), the service account
// admin/admin (an admin with the grant-guest-token permission), gamma/gamma
// (an account without that permission), a demo secret, a Preset
// token demo/demo and a Luzmo key demo-key/demo-token.
func DefaultConfig() Config {
	return Config{
		Secret:        DemoSecret,
		Algorithm:     "HS256",
		Audience:      "superset",
		TokenLifetime: 300 * time.Second,
		TokenHeader:   "X-GuestToken",
		Dashboards: []Dashboard{{
			ID:    DemoDashboardID,
			Slug:  DemoDashboardSlug,
			UUID:  DemoDashboardUUID,
			Title: "Sales overview",
		}},
		Accounts: []Account{{
			Username:           DemoUsername,
			Password:           DemoPassword,
			CanGrantGuestToken: true,
			Admin:              true,
			APIKey:             DemoAPIKey,
		}, {
			Username: DemoGammaUsername,
			Password: DemoGammaPassword,
		}},
		Framing:      FramingCSP,
		MaxBodyBytes: 1 << 20,
		PresetTokens: []APIKey{{Name: "demo", Secret: "demo"}},
		LuzmoKeys:    []APIKey{{Name: "demo-key", Secret: "demo-token"}},
	}
}

// errConfig is an error in a Config, prefixed with the package name in this
// one place.
func errConfig(format string, a ...any) error {
	return fmt.Errorf("devserver: "+format, a...)
}

// withDefaults fills zero fields and checks the rest, so that a Config built
// by hand with only a few fields set behaves like DefaultConfig.
func (c Config) withDefaults() (Config, error) {
	if c.Secret == "" {
		return c, errConfig("Config.Secret is empty")
	}
	if c.Algorithm == "" {
		c.Algorithm = "HS256"
	}
	switch c.Algorithm {
	case "HS256", "HS384", "HS512":
	default:
		return c, errConfig("unsupported Config.Algorithm %q (want HS256, HS384 or HS512)", c.Algorithm)
	}
	if c.Audience == "" {
		c.Audience = "superset"
	}
	if c.TokenLifetime == 0 {
		c.TokenLifetime = 300 * time.Second
	}
	if c.TokenLifetime < 0 {
		return c, errConfig("Config.TokenLifetime is negative")
	}
	if c.TokenHeader == "" {
		c.TokenHeader = "X-GuestToken"
	}
	if c.Framing == "" {
		c.Framing = FramingCSP
	}
	switch c.Framing {
	case FramingCSP, FramingStock, FramingNone:
	default:
		return c, errConfig("unknown Config.Framing %q", c.Framing)
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.AccessTokenLifetime <= 0 {
		c.AccessTokenLifetime = 15 * time.Minute
	}
	if c.ReloadPoll == 0 {
		c.ReloadPoll = 500 * time.Millisecond
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if skew := c.ClockSkew; skew != 0 {
		now := c.Now
		c.Now = func() time.Time { return now().Add(skew) }
	}
	// Copy the slice: defaults are written into it and the caller's array
	// must stay untouched.
	c.Dashboards = append([]Dashboard(nil), c.Dashboards...)
	seen := map[string]bool{}
	for i, d := range c.Dashboards {
		if d.ID <= 0 {
			return c, errConfig("dashboard %d has no positive ID", i)
		}
		if slices.Contains(d.AllowedDomains, "*") {
			// "*" is how a configuration says "any origin", which
			// Superset writes as an empty list.
			c.Dashboards[i].AllowedDomains = nil
		}
		keys := []string{fmt.Sprint(d.ID)}
		if d.Slug != "" {
			keys = append(keys, d.Slug)
		}
		if d.UUID != "" {
			keys = append(keys, strings.ToLower(d.UUID))
		}
		for _, k := range keys {
			if seen[k] {
				return c, errConfig("dashboard key %q is used twice", k)
			}
			seen[k] = true
		}
		if d.Title == "" {
			c.Dashboards[i].Title = fmt.Sprintf("Dashboard %d", d.ID)
		}
	}
	return c, nil
}
