// Command dist builds the SDK into a directory (dist/ by default): the wasm
// and the loader bundles next to the hand-written package.json and types.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dashembed/dashembed/wasm/bundle"
)

func main() {
	out := flag.String("out", "dist", "directory to write the built files to")
	noMinify := flag.Bool("no-minify", false, "keep the JavaScript readable")
	flag.Parse()
	if err := bundle.Build(bundle.Options{OutDir: *out, NoMinify: *noMinify}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, name := range []string{bundle.WasmFile, bundle.ScriptFile, bundle.ESMFile, bundle.CJSFile} {
		if info, err := os.Stat(filepath.Join(*out, name)); err == nil {
			fmt.Printf("%-16s %9d bytes\n", name, info.Size())
		}
	}
}
