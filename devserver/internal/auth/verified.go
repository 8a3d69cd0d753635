package auth

import (
	"sync"
	"time"
)

// verifiedTokens caches service tokens that passed verification, until they
// expire. A backend calls guest_token with the same access token many times,
// and checking its signature and claims again each time was the largest
// single cost of that endpoint. Bounded: it starts afresh when full.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[string]*serviceClaims
}

// maxVerified bounds the cache.
const maxVerified = 4096

func (v *verifiedTokens) get(tok string, now time.Time) (*serviceClaims, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	c, ok := v.m[tok]
	if !ok || c.ExpiresAt == nil || !now.Before(c.ExpiresAt.Time) {
		return nil, false
	}
	return c, true
}

func (v *verifiedTokens) put(tok string, c *serviceClaims) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil || len(v.m) >= maxVerified {
		v.m = map[string]*serviceClaims{}
	}
	v.m[tok] = c
}
