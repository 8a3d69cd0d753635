// Package devserver is a mock BI host for developing and testing dashboard
// embeds on a single machine.
//
// It stands in for Apache Superset (and CalabiIQ, which keeps Superset's API),
// Preset's Manager API and Luzmo's authorization API: a host app's backend mints
// guest tokens against it exactly as it would against the real product, and
// the host app's frontend embeds its /embedded pages with the SDK. Where a real
// product is lenient or quirky, the mock follows it and says so in a warning
// log line rather than silently differing.
//
// [NewBIHost] returns the host as a plain [net/http.Handler], so Go tests can
// mount it with net/http/httptest. A request passes the middleware (recover,
// body limit, the slow fault, a log line) and the router, then reaches the
// package that owns its concept, under internal/: auth (service login,
// access tokens, CSRF), guest (guest tokens minted and verified), embedded
// (the framed pages, allowed domains and framing headers), data (the demo
// warehouse and the API the page reads it through, with RLS), vendors
// (Preset and Luzmo), assets (the built SDK) and devcontrols (faults and the
// event feed every package publishes to). The dashboards they all consult
// live in internal/dashboards. This package wires them together and keeps
// the permalinks.
//
// A Config is built in Go, or read from a dashembed-dev configuration file
// (TOML) by [LoadConfigFile]: allowed origins, accounts and roles, vendor
// keys, guest-token signing, and dashboards over datasets of the user's own
// data. Every mistake in a file is a [ConfigFileError] naming the file, the
// line and the key, and the host never starts half-configured.
//
// The demo host app that embeds a dashboard from this host is a separate
// package, devserver/hostapp, which talks to the host over HTTP only;
// devserver/devtest starts the host inside a host app's Go test.
package devserver
