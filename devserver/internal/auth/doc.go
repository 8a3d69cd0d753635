// Package auth is the mock's service-account security: how a host app's
// backend proves who it is before it may mint guest tokens or change a
// dashboard's embedding.
//
// A backend logs in with a username and password (POST
// /api/v1/security/login) and gets a short-lived access token and, on
// request, a refresh token that buys new access tokens
// (/api/v1/security/refresh); a CalabiIQ-style backend sends an account's API
// key instead. Tokens are JWTs shaped like flask-jwt-extended's, signed with
// a key of their own so a guest token never passes for one. The other
// packages hand a request to Authenticate to learn its account, and to
// CheckCSRF where stock Superset wants a CSRF token bound to a session
// cookie (GET /api/v1/security/csrf_token/), which only the strict mode
// enforces. Preset's Manager access tokens are minted and checked here too,
// as a token type of their own.
//
// Refusals come in two shapes, as in Superset: its JWT layer
// (flask-jwt-extended) answers a missing, expired or unusable Bearer token
// with {"msg": ...} and 401 or 422 (JWTError, WriteError), and an
// authenticated account without the permission an endpoint needs gets 403
// {"message": "Forbidden"} (WriteForbidden).
package auth
