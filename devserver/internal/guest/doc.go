// Package guest is the mock's guest tokens: the JWTs a host app's backend
// mints for its viewers, and that the embedded page sends back with every
// API call.
//
// In: POST /api/v1/security/guest_token/ (and Preset's endpoint, through
// MintFromBody) with an account from package auth and a body in Superset's
// GuestTokenCreateSchema: the user, the dashboards it opens (resources) and
// the row-level-security rules. The body is checked field by field with
// marshmallow's messages, each resource must be an embedded dashboard, the
// guest-token faults may fail, hang or shorten the mint, and the token is
// signed with exactly Superset's claims (user, resources, rls_rules, iat,
// exp, aud, type). Each mint joins the event feed.
//
// Out: the embedded page sends the token in the configured header. API
// verifies it as Superset does (signature and algorithm, audience, expiry,
// non-null claims, type "guest") and hands the claims to the wrapped
// handler, which checks what the guest may see with Access and applies its
// RLS rules to the data; the call is published with its status, its RLS and
// whatever the handler noted with Note.
package guest
