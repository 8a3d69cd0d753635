// Package contract holds the lists that the SDK's Go code, its JavaScript
// shell and its TypeScript types must agree on: the methods of the object
// embedDashboard resolves to, the lifecycle events, and the error codes.
//
// Each list is written here once. The Go packages use the constants; the
// build (wasm/bundle) writes the lists into the JavaScript shell as a
// generated module, and a test checks dist/index.d.ts against them, so a
// method, event or code cannot be added in one place and forgotten in
// another.
package contract
