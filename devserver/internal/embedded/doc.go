// Package embedded is what a host app frames: the embedded dashboard pages,
// the allowed domains that say who may frame them, and the framing headers
// the browser enforces.
//
// A deployer enables embedding and sets the allowed domains through the
// embedded-config API (/api/v1/dashboard/<key>/embedded), which writes to
// the dashboards store. When the SDK frames /embedded/<uuid> (or the legacy
// and CalabiIQ routes), the page handler resolves the dashboard, compares
// the Referer with its allowed domains on scheme, host and port (403 with
// an explanation otherwise), sets Content-Security-Policy frame-ancestors,
// stock Superset's X-Frame-Options or nothing, applies the framing and
// handshake faults, and renders a shell whose script (web/embedded.js)
// speaks the switchboard protocol with the host, waits for a guest token
// and calls the API with it. Each load and refusal joins the event feed.
// The same allowed-domain rules decide which browser origins may watch the
// event feed (FeedOriginAllowed).
package embedded
