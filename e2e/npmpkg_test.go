package e2e

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/wasm/bundle"
)

// The npm consumer's path, end to end: the package as `npm pack` makes it,
// installed into a fresh app, bundled by esbuild and by Vite, served, and
// embedding a dashboard in Chromium.

// appRoots maps a bundler's name to the directory its build went to; the
// host origin serves it under /e2e/app/<name>/.
var appRoots struct {
	sync.Mutex
	dirs map[string]string
}

func init() {
	hostPages["GET /e2e/app/{kind}/{path...}"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := r.PathValue("kind")
		appRoots.Lock()
		dir := appRoots.dirs[kind]
		appRoots.Unlock()
		if dir == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		http.StripPrefix("/e2e/app/"+kind, http.FileServer(http.Dir(dir))).ServeHTTP(w, r)
	})
}

func serveApp(t *testing.T, kind, dir string) {
	appRoots.Lock()
	defer appRoots.Unlock()
	if appRoots.dirs == nil {
		appRoots.dirs = map[string]string{}
	}
	appRoots.dirs[kind] = dir
	t.Cleanup(func() {
		appRoots.Lock()
		delete(appRoots.dirs, kind)
		appRoots.Unlock()
	})
}

// The scratch app: a page with a mount point and the host's token fetcher,
// and an entry that imports the SDK the way the README shows.
const (
	appHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>npm consumer</title></head>
<body>
<div id="mount" style="width:800px;height:600px"></div>
<script>
  window.fetchToken = () =>
    fetch('/api/guest-token', {method: 'POST'}).then((r) => r.json()).then((j) => j.token);
</script>
<script type="module" src="./main.js"></script>
</body></html>
`
	appEntry = `import { embedDashboard } from 'dashembed';

window.embedDashboard = embedDashboard;
`
)

func TestNPMPackageConsumers(t *testing.T) {
	requireNPM(t)
	tmp := t.TempDir()

	// The package directory as `make dist` leaves it.
	pkg := filepath.Join(tmp, "package")
	if err := bundle.Build(bundle.Options{OutDir: pkg}); err != nil {
		t.Fatalf("building the SDK: %v", err)
	}
	copyHandWritten(t, pkg)
	command(t, pkg, "npm", "pack", "--pack-destination", tmp)
	tarballs, _ := filepath.Glob(filepath.Join(tmp, "dashembed-*.tgz"))
	if len(tarballs) != 1 {
		t.Fatalf("npm pack made %v, want one dashembed-<version>.tgz", tarballs)
	}
	tarball := tarballs[0]
	files := tarballFiles(t, tarball)
	for _, want := range []string{"package.json", "README.md", "index.d.ts", "index.mjs", "index.cjs", "dashembed.js", "dashembed.wasm"} {
		if !slices.Contains(files, want) {
			t.Errorf("the tarball lacks %s (it has %v)", want, files)
		}
	}

	// A fresh app installs the tarball, and nothing else, without the
	// network.
	app := filepath.Join(tmp, "app")
	writeFile(t, filepath.Join(app, "package.json"), `{"name": "scratch-app", "version": "1.0.0", "private": true, "type": "module"}`+"\n")
	writeFile(t, filepath.Join(app, "index.html"), appHTML)
	writeFile(t, filepath.Join(app, "main.js"), appEntry)
	command(t, app, "npm", "install", "--offline", "--no-audit", "--no-fund", tarball)
	if _, err := os.Stat(filepath.Join(app, "node_modules", "dashembed", "dashembed.wasm")); err != nil {
		t.Fatalf("the installed package has no wasm: %v", err)
	}

	// esbuild keeps new URL('./dashembed.wasm', import.meta.url) for the
	// browser to resolve against the bundle: the app ships the wasm next to
	// it.
	esOut := filepath.Join(app, "out-esbuild")
	command(t, app, nodeBin(t, "esbuild"), "main.js", "--bundle", "--format=esm", "--outdir="+esOut, "--log-level=warning")
	copyFile(t, filepath.Join(app, "index.html"), filepath.Join(esOut, "index.html"))
	copyFile(t, filepath.Join(app, "node_modules", "dashembed", "dashembed.wasm"), filepath.Join(esOut, "dashembed.wasm"))
	if js := readFile(t, filepath.Join(esOut, "main.js")); !regexp.MustCompile(`new URL\(["']\./dashembed\.wasm["'], import\.meta\.url\)`).MatchString(js) {
		t.Errorf("the esbuild bundle does not locate the wasm with new URL('./dashembed.wasm', import.meta.url)")
	}

	// Vite recognises the same expression and emits the wasm as a hashed
	// asset that the bundle points at.
	viteOut := filepath.Join(app, "out-vite")
	command(t, app, nodeBin(t, "vite"), "build", "--base=./", "--outDir="+viteOut, "--emptyOutDir", "--logLevel=warn")
	wasms, _ := filepath.Glob(filepath.Join(viteOut, "assets", "dashembed-*.wasm"))
	if len(wasms) != 1 {
		t.Fatalf("vite build emitted wasm assets %v, want one assets/dashembed-<hash>.wasm", wasms)
	}
	asset := filepath.Base(wasms[0])
	jsFiles, _ := filepath.Glob(filepath.Join(viteOut, "assets", "*.js"))
	var referenced bool
	for _, f := range jsFiles {
		if regexp.MustCompile(`new URL\(["'](\./)?(assets/)?` + regexp.QuoteMeta(asset) + `["'],\s*import\.meta\.url\)`).MatchString(readFile(t, f)) {
			referenced = true
		}
	}
	if !referenced {
		t.Errorf("no JavaScript in %s locates %s with new URL(..., import.meta.url)", viteOut, asset)
	}

	serveApp(t, "esbuild", esOut)
	serveApp(t, "vite", viteOut)
	for _, kind := range []string{"esbuild", "vite"} {
		t.Run(kind, func(t *testing.T) {
			ctx := newTab(t)
			base := hostURL + "/e2e/app/" + kind + "/"
			navigate(t, ctx, base)
			waitTop(t, ctx, `typeof window.embedDashboard === "function"`)
			eval(t, ctx, `window.embedDashboard({id: "`+devserver.DemoDashboardUUID+`", supersetDomain: "`+biURL+`",
				mountPoint: document.getElementById("mount"), fetchGuestToken: window.fetchToken}).then((d) => { window.dash = d; return true; })`, nil)
			waitFrame(t, ctx, demoFrame(), `document.body.dataset.tokenCount === "1"`)
			var size map[string]float64
			eval(t, ctx, `window.dash.getScrollSize()`, &size)
			if size["height"] <= 0 {
				t.Errorf("getScrollSize() = %v", size)
			}
			// The wasm came from the app's own build, where the bundler
			// put it. (getScrollSize may have been answered before it
			// arrived: the loader carries bare calls itself meanwhile.)
			waitTop(t, ctx, `window.dash && performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm"))`)
			var loaded []string
			eval(t, ctx, `performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".wasm"))`, &loaded)
			want := base + "dashembed.wasm"
			if kind == "vite" {
				want = base + "assets/" + asset
			}
			if !slices.Contains(loaded, want) {
				t.Errorf("the page loaded wasm from %v, want %s", loaded, want)
			}
		})
	}
}

func tarballFiles(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, strings.TrimPrefix(h.Name, "package/"))
	}
	sort.Strings(names)
	return names
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
