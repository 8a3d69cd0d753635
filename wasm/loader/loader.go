// Package loader holds the SDK's JavaScript loader: the code that fetches and
// starts the wasm, the glue Go calls into, and one entry per output format.
// The build program (../bundle) bundles it with esbuild.
package loader

import "embed"

// Files are the loader's sources. wasm_exec.js is not among them: the build
// takes it from the Go toolchain that compiles the wasm, so the two match.
//
//go:embed *.js
var Files embed.FS
