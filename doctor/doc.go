// Package doctor checks a dashboard-embedding deployment from the host app's
// point of view and says, for everything that would leave an embedded
// dashboard blank, what to change in the BI host's configuration.
//
// From inside the host page an SDK can only see that the dashboard's page
// never answered. The causes are almost always configuration: framing
// headers (X-Frame-Options, a CSP frame-ancestors that leaves the app out),
// allowed domains, CSRF on the guest-token endpoint, a service account
// without the grant permission, a guest token the API refuses (audience,
// secret, clock), a guest role without data access, and the SDK's own files
// served with the wrong type, without CORS or without compression. Run makes
// the calls a host app and a browser would make, in order, and returns a
// Report with one Result per check.
//
// Nothing Run does changes the deployment: it reads the embedded
// configuration and mints short-lived guest tokens for a throw-away user,
// which is all it creates. Every HTTP probe is bounded by Options.Timeout.
//
// The command dashembed-doctor (doctor/cmd/dashembed-doctor) wraps Run; a
// host app can also call Run from its own tests against a staging host.
package doctor
