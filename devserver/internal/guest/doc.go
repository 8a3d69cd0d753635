// Package guest is the mock's guest tokens: the JWTs a host app's backend
// mints for its viewers, and that the embedded page sends back with every
// API call.
//
// In: POST /api/v1/security/guest_token/ (and Preset's endpoint, through
// MintFromBody) with an account from package auth and a body in Superset's
// GuestTokenCreateSchema: the user, the dashboards it opens (resources) and
// the row-level-security rules. The body is loaded as marshmallow loads it
// (its coercions and messages), each resource must name a dashboard (by id,
// slug or embedded UUID, as Superset accepts), the guest-token faults may
// fail, hang or shorten the mint, and the token is
// signed with exactly Superset's claims (user, resources, rls_rules, iat,
// exp, aud, type). Each mint joins the event feed.
//
// Out: the embedded page sends the token in the configured header (or, for a
// form such as a CSV export, in a guest_token field). API verifies it as
// Superset does (signature and algorithm, audience, expiry when present,
// non-null claims, type "guest") and hands the claims to the wrapped
// handler, which checks what the guest may see with Access (a dashboard
// named by id or embedded UUID) and applies its RLS rules to the data; the
// call is published with its status, its RLS and whatever the handler noted
// with Note. APIOrAccount also lets an account's Bearer token through, for the
// routes Superset serves to logged-in users too.
package guest
