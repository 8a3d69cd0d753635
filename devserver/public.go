package devserver

import (
	"github.com/dashembed/dashembed/devserver/internal/devcontrols"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// The guest token's claims, as VerifyGuestToken returns them. The types live
// with the code that signs and checks them (internal/guest); these names are
// how callers outside the dev server refer to them.
type (
	// GuestClaims are the claims of a guest token, exactly Superset's set:
	// User, Resources, RLSRules, IssuedAt and ExpiresAt (seconds since the
	// epoch, as floats), Audience and Type. Expiry returns ExpiresAt as a
	// time.
	GuestClaims = guest.Claims
	// GuestUser is the user claim of a guest token.
	GuestUser = guest.User
	// GuestResource is one entry of the resources claim: what the guest may
	// see.
	GuestResource = guest.Resource
	// RLSRule is one row-level-security rule of a guest token. Dataset nil
	// means the rule applies to every dataset.
	RLSRule = guest.RLSRule
)

// Faults are failures the BI host injects on purpose, so a host app can see
// how its embed behaves when the BI side misbehaves: TokenLifetime,
// GuestTokenFail, GuestTokenHang, NoHandshake, API401, Slow and DropFraming.
// The zero value injects nothing; String writes the ?faults= syntax.
type Faults = devcontrols.Faults

// ParseFaults reads the ?faults= syntax: comma-separated key=value items,
// booleans written as a bare key, durations in Go syntax ("10s", "500ms") or
// as plain seconds. Example: "token_lifetime=20s,guest_token_fail=2,slow=300ms".
func ParseFaults(spec string) (Faults, error) { return devcontrols.ParseFaults(spec) }

// Event is one entry of the BI host's event feed: what happened (Kind), when,
// and the details a developer needs to see it (tokens minted, pages loaded,
// handshakes, API calls with the RLS in force, faults, reloads).
type Event = devcontrols.Event
