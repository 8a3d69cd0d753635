// Package vendors is the mock's stand-in for the token APIs of products
// other than Superset: Preset's Manager API and Luzmo's embed authorization.
//
// Preset: a backend trades an API token name and secret for a Manager
// access token (POST /v1/auth/, minted by package auth as a token type of
// its own), then asks a workspace for a guest token
// (POST /v1/teams/<team>/workspaces/<ws>/guest-token/) with Superset's body;
// package guest validates and signs it exactly as for Superset, and the
// answer is wrapped in Preset's {payload: ...}. Luzmo: a backend sends its
// API key and token with the viewer's properties and access rights
// (POST /0.1.0/authorization); the request is validated as Luzmo documents
// it and answered with {id, token, ...}, plus a "dashembed" field showing
// how the rights map onto Superset-style guest-token resources. Both mints
// join the event feed.
package vendors

import (
	"log/slog"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/auth"
	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/devcontrols"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// APIKey is a name/secret pair of a vendor API (Preset's token name and
// secret, Luzmo's key and token).
type APIKey struct {
	// Name is the public half (Preset "name", Luzmo "key").
	Name string
	// Secret is the private half (Preset "secret", Luzmo "token").
	Secret string
}

// Config is who may call the vendor APIs and what they use.
type Config struct {
	// PresetTokens are accepted by /v1/auth/.
	PresetTokens []APIKey
	// LuzmoKeys are accepted by /0.1.0/authorization.
	LuzmoKeys []APIKey

	// The host's clock, log, and faults and event feed, and the
	// packages this one consults.
	Now        func() time.Time
	Log        *slog.Logger
	Auth       *auth.Service
	Guests     *guest.Service
	Dashboards *dashboards.Store
	Controls   *devcontrols.Controls
}

// API serves the vendor endpoints.
type API struct {
	cfg Config
}

// New returns the API.
func New(cfg Config) *API { return &API{cfg: cfg} }
