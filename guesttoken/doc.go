// Package guesttoken is the server-side half of dashboard embedding: the
// client a host app's backend uses to mint the short-lived tokens that let a
// browser show an embedded dashboard.
//
// Four BI hosts are supported:
//
//   - Apache Superset ([NewSuperset]): logs in as a service account, caches the
//     access token until shortly before it expires, renews it with the refresh
//     token (or a new login when that fails) and calls
//     POST /api/v1/security/guest_token/. Stock Superset also wants a CSRF
//     token and session cookie on that call; enable [WithCSRF] unless the
//     deployment exempts the endpoint.
//   - CalabiIQ ([NewCalabiIQ]): the same guest-token API, authenticated with an
//     API key instead of a login.
//   - Preset ([NewPreset]): the Manager API, which trades an API key pair for
//     an access token and mints guest tokens per workspace.
//   - Luzmo ([NewLuzmo]): embed authorizations, returned as the id/token pair
//     Luzmo's frontend components take as authKey and authToken.
//
// A typical handler behind the frontend's fetchGuestToken callback:
//
//	bi, err := guesttoken.NewSuperset("https://bi.example.com",
//		guesttoken.Credentials{Username: "embedder", Password: secret})
//	...
//	clause, err := guesttoken.ClauseEquals("tenant_id", session.TenantID)
//	...
//	tok, err := bi.GuestToken(r.Context(), guesttoken.GuestTokenRequest{
//		User:      guesttoken.User{Username: session.UserID},
//		Resources: []guesttoken.Resource{{ID: embeddedDashboardUUID}},
//		RLS:       []guesttoken.RLSRule{{Clause: clause}},
//	})
//
// # Reliability
//
// Every call takes a context, which bounds the whole call including retries;
// each HTTP exchange is further bounded by [WithAttemptTimeout]. Network
// errors, attempt timeouts, 429 and 5xx answers are retried with exponential
// backoff and jitter ([WithRetry]); 4xx answers are not, since the same
// request would be refused again. Clients are safe for concurrent use and
// meant to be shared: concurrent callers needing a new access token wait for
// a single login instead of each logging in.
//
// Requests are validated before anything is sent ([ValidationError]). An
// error answer from the BI host is an [*APIError] carrying its status and
// message; a success answer without the expected token is a [*ResponseError].
//
// # Row-level security and SQL injection
//
// An [RLSRule] clause is raw SQL. The BI host pastes it, in parentheses, into
// the WHERE clause of every query the guest runs, and the guest token is the
// only thing standing between one tenant and another's rows. A clause built
// by concatenating a value that a user can influence (a tenant name, an
// e-mail address, a query parameter, a header) lets that user rewrite the
// filter: the value
//
//	' OR 1=1 --
//
// turns tenant = '<value>' into a clause that matches every row. Build clauses
// from constant SQL and values quoted with [QuoteLiteral] (or
// [QuoteLiteralBackslash] for engines where a backslash escapes inside
// strings), or with [ClauseEquals], which also checks the column name. Prefer
// values the backend controls, such as ids from its own session store, over
// anything taken from the request.
package guesttoken
