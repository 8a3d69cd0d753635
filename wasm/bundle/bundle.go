// Package bundle builds the SDK's distributable files: the wasm, compiled by
// the Go toolchain, and the JavaScript loader in three formats, bundled with
// esbuild's Go API.
package bundle

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/dashembed/dashembed/wasm/loader"
	"github.com/dashembed/dashembed/wasm/spec"
)

// File names written into the output directory.
const (
	WasmFile   = spec.WasmFile  // the SDK
	ScriptFile = "dashembed.js" // IIFE for a <script> tag: sets the globals
	ESMFile    = "index.mjs"    // ES module entry
	CJSFile    = "index.cjs"    // CommonJS entry
)

// wasmPackage is the Go package compiled to the wasm.
const wasmPackage = "github.com/dashembed/dashembed/wasm"

// Options says where to build and how.
type Options struct {
	// OutDir receives the built files; it is created if needed.
	OutDir string
	// NoMinify keeps the JavaScript readable (for debugging the loader).
	NoMinify bool
}

// Build compiles the wasm and bundles the loader into opts.OutDir.
func Build(opts Options) error {
	if opts.OutDir == "" {
		return errors.New("bundle: OutDir is required")
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return err
	}
	if err := buildWasm(filepath.Join(opts.OutDir, WasmFile)); err != nil {
		return err
	}
	goroot, err := goEnv("GOROOT")
	if err != nil {
		return err
	}
	for _, out := range []struct {
		entry, file string
		format      api.Format
	}{
		{"entry-script.js", ScriptFile, api.FormatIIFE},
		{"entry-esm.js", ESMFile, api.FormatESModule},
		{"entry-cjs.js", CJSFile, api.FormatCommonJS},
	} {
		if err := bundleJS(out.entry, filepath.Join(opts.OutDir, out.file), out.format, goroot, !opts.NoMinify); err != nil {
			return err
		}
	}
	return nil
}

// buildWasm compiles the SDK with the flags that make it smallest: no paths,
// no symbol table, no DWARF.
func buildWasm(out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", abs, wasmPackage)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return errors.New("bundle: go build of the wasm failed: " + err.Error() + "\n" + string(b))
	}
	return nil
}

func goEnv(key string) (string, error) {
	b, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", errors.New("bundle: go env " + key + ": " + err.Error())
	}
	return strings.TrimSpace(string(b)), nil
}

// bundleJS runs esbuild on one loader entry. The loader's sources come from
// the embedded loader.Files; wasm_exec.js from the Go toolchain's GOROOT.
func bundleJS(entry, out string, format api.Format, goroot string, minify bool) error {
	result := api.Build(api.BuildOptions{
		EntryPoints:       []string{entry},
		Bundle:            true,
		Format:            format,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		Outfile:           out,
		Write:             true,
		LogLevel:          api.LogLevelSilent,
		MinifyWhitespace:  minify,
		MinifySyntax:      minify,
		MinifyIdentifiers: minify,
		LegalComments:     api.LegalCommentsNone,
		Plugins:           []api.Plugin{loaderSources(goroot)},
	})
	if len(result.Errors) > 0 {
		var msgs []string
		for _, m := range result.Errors {
			msgs = append(msgs, m.Text)
		}
		return errors.New("bundle: esbuild " + entry + ": " + strings.Join(msgs, "; "))
	}
	return nil
}

// SpecModule is the import path under which the loader reads the spec
// (package spec), as a JSON module.
const SpecModule = "dashembed:spec"

// loaderSources resolves the loader's relative imports to loader.Files,
// ./wasm_exec.js to the toolchain's copy, and SpecModule to spec.JSON().
func loaderSources(goroot string) api.Plugin {
	return api.Plugin{
		Name: "dashembed-loader",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^(\./)?wasm_exec\.js$`}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: filepath.Join(goroot, "lib", "wasm", "wasm_exec.js")}, nil
			})
			b.OnResolve(api.OnResolveOptions{Filter: "^" + SpecModule + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: SpecModule, Namespace: "spec"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "spec"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
				data, err := spec.JSON()
				if err != nil {
					return api.OnLoadResult{}, err
				}
				text := string(data)
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderJSON}, nil
			})
			b.OnResolve(api.OnResolveOptions{Filter: `^(\./)?[a-z-]+\.js$`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: path.Clean(args.Path), Namespace: "loader"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "loader"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := fs.ReadFile(loader.Files, args.Path)
				if err != nil {
					return api.OnLoadResult{}, err
				}
				text := string(src)
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderJS}, nil
			})
		},
	}
}
