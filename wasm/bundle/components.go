package bundle

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/dashembed/dashembed/wasm/components"
)

// The framework bindings (wasm/components), each importing the SDK as the
// package "dashembed" so that a page runs one SDK however it embeds.
const (
	ElementESMFile    = "element.mjs"          // import 'dashembed/element'
	ElementCJSFile    = "element.cjs"          // require('dashembed/element')
	ElementScriptFile = "dashembed-element.js" // <script> after dashembed.js
	ReactESMFile      = "react.mjs"            // import { Dashboard } from 'dashembed/react'
	ReactCJSFile      = "react.cjs"            // require('dashembed/react')
)

// sdkGlobal stands in for "dashembed" in the element's script-tag build: the
// API dashembed.js defines, looked up at each call so the two scripts may
// load in either order.
const sdkGlobal = `export const embedDashboard = (params) => globalThis.dashembed.embedDashboard(params);`

// buildComponents bundles the custom element and the React component next
// to the SDK's own files.
func buildComponents(opts Options, goroot string) error {
	for _, out := range []struct {
		entry, file string
		format      api.Format
		banner      string
	}{
		{"element.js", ElementESMFile, api.FormatESModule, ""},
		{"element.js", ElementCJSFile, api.FormatCommonJS, ""},
		{"element.js", ElementScriptFile, api.FormatIIFE, ""},
		// Next.js's App Router renders a module's components on the client
		// only when it says so; esbuild drops a directive it bundles, so the
		// output carries it as a banner.
		{"react.js", ReactESMFile, api.FormatESModule, `"use client";`},
		{"react.js", ReactCJSFile, api.FormatCommonJS, `"use client";`},
	} {
		result := api.Build(api.BuildOptions{
			EntryPoints:       []string{out.entry},
			Bundle:            true,
			Format:            out.format,
			Platform:          api.PlatformBrowser,
			Target:            api.ES2020,
			Outfile:           filepath.Join(opts.OutDir, out.file),
			Write:             true,
			LogLevel:          api.LogLevelSilent,
			MinifyWhitespace:  !opts.NoMinify,
			MinifySyntax:      !opts.NoMinify,
			MinifyIdentifiers: !opts.NoMinify,
			LegalComments:     api.LegalCommentsNone,
			Banner:            map[string]string{"js": out.banner},
			External:          []string{"react"},
			// Ours first: it claims the components' files; the loader's
			// plugin then serves dashembed:spec.
			Plugins: []api.Plugin{componentSources(out.format == api.FormatIIFE), loaderSources(goroot)},
		})
		if len(result.Errors) > 0 {
			var msgs []string
			for _, m := range result.Errors {
				msgs = append(msgs, m.Text)
			}
			return errors.New("bundle: esbuild " + out.file + ": " + strings.Join(msgs, "; "))
		}
	}
	return nil
}

// componentSources resolves the components' relative imports to
// components.Files, and "dashembed" to the package itself (left for the
// app's bundler or Node) or, in a script, to the global.
func componentSources(script bool) api.Plugin {
	return api.Plugin{
		Name: "dashembed-components",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^dashembed$`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				if script {
					return api.OnResolveResult{Path: args.Path, Namespace: "sdk-global"}, nil
				}
				return api.OnResolveResult{Path: args.Path, External: true}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "sdk-global"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
				text := sdkGlobal
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderJS}, nil
			})
			b.OnResolve(api.OnResolveOptions{Filter: `^(\./)?[a-z-]+\.js$`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: path.Clean(args.Path), Namespace: "components"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "components"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := fs.ReadFile(components.Files, args.Path)
				if err != nil {
					return api.OnLoadResult{}, err
				}
				text := string(src)
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderJS}, nil
			})
		},
	}
}
