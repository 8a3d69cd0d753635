package devserver

import (
	"sync"
	"testing"
	"time"
)

// An access token is verified once and then served from the cache, but never
// past its expiry: the same token that minted a guest token a moment ago is
// refused once it has expired.
func TestVerifiedAccessTokenExpires(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	_, srv := testHost(t, func(c *Config) {
		c.Now = clock
		c.AccessTokenLifetime = time.Minute
	})
	access := login(t, srv.URL)
	url := srv.URL + "/api/v1/security/guest_token/"
	for i := 0; i < 2; i++ { // the second call is answered from the cache
		do(t, "POST", url, guestBody(), "Authorization", "Bearer "+access).Want(t, 200)
	}
	mu.Lock()
	now = now.Add(time.Minute + time.Second)
	mu.Unlock()
	r := do(t, "POST", url, guestBody(), "Authorization", "Bearer "+access).Want(t, 401)
	// The JWT layer answers before the endpoint, in its own shape.
	if r.JSON["msg"] != "Token has expired" {
		t.Errorf("401 without flask-jwt-extended's message: %s", r.Body)
	}
}
