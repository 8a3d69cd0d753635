// Package bundle builds the SDK's distributable files: the wasm, compiled by
// the Go toolchain, and the JavaScript loader in three formats, bundled with
// esbuild's Go API.
package bundle

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	gzName, err := writeWasmGzip(opts.OutDir)
	if err != nil {
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
		if err := bundleJS(out.entry, filepath.Join(opts.OutDir, out.file), out.format, goroot, gzName, !opts.NoMinify); err != nil {
			return err
		}
	}
	return buildComponents(opts, goroot)
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

// WasmGzipName is the name of the gzip-compressed copy of wasm: it carries
// the first 16 hex digits of the wasm's SHA-256, so that a server can let
// browsers cache it for ever (Cache-Control: immutable) and a new build is
// a new name.
func WasmGzipName(wasm []byte) string {
	sum := sha256.Sum256(wasm)
	return strings.TrimSuffix(WasmFile, ".wasm") + "." + hex.EncodeToString(sum[:8]) + ".wasm.gz"
}

// writeWasmGzip writes the gzip-compressed copy of the built wasm next to
// it and returns its name. Many servers compress nothing of type
// application/wasm (Superset's, nginx's defaults); the script tag's loader
// fetches this copy and decompresses it in the browser, so the SDK is
// small on the wire from any server.
func writeWasmGzip(dir string) (string, error) {
	wasm, err := os.ReadFile(filepath.Join(dir, WasmFile))
	if err != nil {
		return "", err
	}
	old, _ := filepath.Glob(filepath.Join(dir, strings.TrimSuffix(WasmFile, ".wasm")+".*.wasm.gz"))
	for _, f := range old {
		_ = os.Remove(f) // a previous build's: only one may be found next to the script
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(wasm); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	name := WasmGzipName(wasm)
	return name, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644)
}

// ScriptFiles lists the files the script-tag bundle (ScriptFile) loads from
// dir, a build's output directory: the script, the gzip-compressed wasm it
// fetches first, and the plain wasm it falls back to.
func ScriptFiles(dir string) ([]string, error) {
	wasm, err := os.ReadFile(filepath.Join(dir, WasmFile))
	if err != nil {
		return nil, err
	}
	return []string{ScriptFile, WasmGzipName(wasm), WasmFile}, nil
}

func goEnv(key string) (string, error) {
	b, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", errors.New("bundle: go env " + key + ": " + err.Error())
	}
	return strings.TrimSpace(string(b)), nil
}

// bundleJS runs esbuild on one loader entry. The loader's sources come from
// the embedded loader.Files; wasm_exec.js from the Go toolchain's GOROOT;
// BuildModule from this build (gzName: the compressed wasm's name).
func bundleJS(entry, out string, format api.Format, goroot, gzName string, minify bool) error {
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
		Plugins:           []api.Plugin{buildValues(gzName), loaderSources(goroot)},
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

// BuildModule is the import path under which the loader reads what only a
// build knows, as a JSON module: {"wasmGzFile": WasmGzipName(the wasm)}.
const BuildModule = "dashembed:build"

// buildValues serves BuildModule.
func buildValues(gzName string) api.Plugin {
	return api.Plugin{
		Name: "dashembed-build",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: "^" + BuildModule + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: BuildModule, Namespace: "build"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "build"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
				data, err := json.Marshal(map[string]string{"wasmGzFile": gzName})
				text := string(data)
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderJSON}, err
			})
		},
	}
}

// goRuntimeModule wraps Go's wasm_exec.js in a function of the global
// object it is to use: `globalThis` in its source then names that
// parameter, so that the names it defines land there and not on the page
// (boot.js passes a shadow of the page's global object). The function
// returns the Go class.
func goRuntimeModule(src []byte) string {
	return "export default function goRuntime(globalThis) {\n" + string(src) + "\nreturn globalThis.Go;\n}\n"
}

// loaderSources resolves the loader's relative imports to loader.Files,
// ./wasm_exec.js to the toolchain's copy (wrapped by goRuntimeModule), and
// SpecModule to spec.JSON().
func loaderSources(goroot string) api.Plugin {
	return api.Plugin{
		Name: "dashembed-loader",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^(\./)?wasm_exec\.js$`}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"), Namespace: "goruntime"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "goruntime"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := os.ReadFile(args.Path)
				text := goRuntimeModule(src)
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderJS}, err
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
