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
// Two handlers are offered: [NewBIHost] (the BI product) and [NewHostApp] (a
// small demo host app on a second origin that embeds a dashboard through the
// SDK). Both are plain [net/http.Handler]s, so Go tests can mount them with
// net/http/httptest.
package devserver
