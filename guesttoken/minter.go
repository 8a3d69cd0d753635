package guesttoken

import "context"

// Minter mints Superset-style guest tokens. *Superset, *CalabiIQ and *Preset
// implement it, so a host backend can switch BI host by configuration and
// tests can substitute a fake.
type Minter interface {
	// GuestToken validates req and returns a guest token for the embedded
	// SDK's fetchGuestToken callback.
	GuestToken(ctx context.Context, req GuestTokenRequest) (string, error)
}

var (
	_ Minter = (*Superset)(nil)
	_ Minter = (*CalabiIQ)(nil)
	_ Minter = (*Preset)(nil)
)
