// Package httpkit is the HTTP plumbing the mock BI host and the demo host
// app share, so both answer like Superset does at the edges.
//
// A request reaches a Router, which picks the most specific route by method
// and path segments and stores the captured segments as path values; a path
// it knows with the wrong method gets 405 JSON with an Allow header, an
// unknown path 404 JSON, never net/http's plain text. Middleware wraps the
// writer in a StatusRecorder to learn the status a handler chose (for logs
// and the event feed) without hiding Flush or the websocket's Hijack.
// ServeFile serves a page's own script and style from an embedded file
// system, from an allow list only.
package httpkit
