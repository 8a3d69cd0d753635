// Package token is the guest token's side of an embed: reading the claims
// of the JWT the host app's fetchGuestToken returns, deciding when the next
// one is due, and sharing one fetch among embeds that use the same function.
//
//	fetchGuestToken ──▶ ParseClaims ──▶ RefreshPolicy.Plan ──▶ when to fetch again
//	                                   RefreshPolicy.Retry ──▶ backoff after a failure
//	                                   HiddenRefreshAt     ──▶ earlier in a throttled hidden page
//
// Nothing here reads a clock or starts a timer: the embed passes the time
// in, so every schedule is tested without waiting.
package token
