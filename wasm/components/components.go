// Package components holds the sources of the package's framework bindings:
// the <dashembed-dashboard> custom element and the React component. Both are
// thin wrappers over the SDK's public embedDashboard, which they import from
// "dashembed" so that a page runs one SDK whatever it embeds with. The build
// (../bundle, components.go) bundles them with esbuild.
package components

import "embed"

// Files are the components' sources.
//
//go:embed *.js
var Files embed.FS
