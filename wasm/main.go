//go:build js && wasm

// Command wasm is the SDK compiled to WebAssembly: it connects to the
// loader's glue and serves embedDashboard until the page goes away.
package main

import "github.com/dashembed/dashembed/sdk/jsedge"

func main() {
	jsedge.Serve()
}
