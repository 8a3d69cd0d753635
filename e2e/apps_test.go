package e2e

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/wasm/bundle"
)

// Real apps, built as a new user builds them: each folder of e2e/apps is an
// app with its package.json and package-lock.json, depending on the packed
// package (file:../../../dist/dashembed-<version>.tgz). The test packs the
// SDK, installs each app with npm ci and runs its build script, then loads
// the build in Chromium from the host origin and checks that the dashboard
// gets its token. The lock files pin every registry package; the SDK's own
// tarball carries no integrity there, since every build of the SDK changes
// it.

// packSDK builds the SDK into dir with the package's hand-written files
// and returns the tarball npm pack makes of it, in dir.
func packSDK(t *testing.T, dir string) string {
	t.Helper()
	if err := bundle.Build(bundle.Options{OutDir: dir}); err != nil {
		t.Fatalf("building the SDK: %v", err)
	}
	copyHandWritten(t, dir)
	command(t, dir, "npm", "pack")
	tarballs, _ := filepath.Glob(filepath.Join(dir, "dashembed-*.tgz"))
	if len(tarballs) != 1 {
		t.Fatalf("npm pack made %v, want one dashembed-<version>.tgz", tarballs)
	}
	return tarballs[0]
}

// copyHandWritten copies the package's hand-written files (package.json,
// README.md, the types) from the repository's dist/ to dir.
func copyHandWritten(t *testing.T, dir string) {
	t.Helper()
	names := []string{"package.json", "README.md"}
	for _, pattern := range []string{"*.d.ts", "*.d.cts"} {
		m, _ := filepath.Glob(filepath.Join("..", "dist", pattern))
		for _, p := range m {
			names = append(names, filepath.Base(p))
		}
	}
	for _, name := range names {
		copyFile(t, filepath.Join("..", "dist", name), filepath.Join(dir, name))
	}
}

// An app and what its build leaves to serve.
type builtApp struct {
	dir string // the app's copy, installed and built
	err error
}

// buildApps installs and builds the apps two at a time (the machines that
// run this have two cores), logging how long each step takes.
func buildApps(t *testing.T, root string, names []string) map[string]builtApp {
	t.Helper()
	var (
		mu    sync.Mutex
		out   = map[string]builtApp{}
		wg    sync.WaitGroup
		slots = make(chan struct{}, 2)
	)
	for _, name := range names {
		app := filepath.Join(root, "e2e", "apps", name)
		copyTree(t, filepath.Join("apps", name), app, "node_modules", "dist", ".next")
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			err := timed(t, name+": npm ci", func() error {
				_, err := runCommand(app, 4*time.Minute, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
				return err
			})
			if err == nil {
				err = timed(t, name+": build", func() error {
					_, err := runCommand(app, 4*time.Minute, "npm", "run", "build")
					return err
				})
			}
			mu.Lock()
			out[name] = builtApp{dir: app, err: err}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func timed(t *testing.T, what string, f func() error) error {
	start := time.Now()
	err := f()
	t.Logf("%s: %.1f s", what, time.Since(start).Seconds())
	return err
}

func TestApps(t *testing.T) {
	requireNPM(t) // npm on PATH, or a clear failure
	tmp := t.TempDir()
	// The layout the apps' package.json files expect: the tarball in
	// dist/, three levels above each app.
	packSDK(t, filepath.Join(tmp, "dist"))
	// Next.js prerenders the page with the dashboard's id and domain,
	// which it inlines at build time.
	t.Setenv("NEXT_PUBLIC_BI_URL", biURL)
	t.Setenv("NEXT_PUBLIC_DASHBOARD_ID", devserver.DemoDashboardUUID)
	t.Setenv("NEXT_TELEMETRY_DISABLED", "1")
	// The slowest first, so that the others build beside it.
	apps := buildApps(t, tmp, []string{"nextjs", "types", "vite", "webpack", "esbuild", "rollup"})
	built := func(t *testing.T, name string) string {
		t.Helper()
		a := apps[name]
		if a.err != nil {
			t.Fatal(a.err)
		}
		serveApp(t, name, filepath.Join(a.dir, "dist"))
		return hostURL + "/e2e/app/" + name + "/"
	}
	query := "?bi=" + biURL + "&id=" + devserver.DemoDashboardUUID
	// openApp loads an app's build in a new tab and waits for its
	// dashboard to hold a token.
	openApp := func(t *testing.T, name string) (context.Context, string) {
		t.Helper()
		base := built(t, name)
		ctx := newTab(t)
		navigate(t, ctx, base+query)
		waitFrame(t, ctx, demoFrame(), `document.body.dataset.tokenCount === "1"`)
		return ctx, base
	}
	// The same BI host written another way (the SDK strips one trailing
	// "/"): a domain change, for the components to embed again.
	otherBI := biURL + "/"

	t.Run("types", func(t *testing.T) {
		a := apps["types"]
		if a.err != nil {
			t.Fatal(a.err)
		}
		// The build script ran tsc --strict under each configuration; the
		// CommonJS file must have been checked against the .d.cts files.
		for _, mode := range []string{"node16", "nodenext"} {
			files := command(t, a.dir, filepath.Join("node_modules", ".bin", "tsc"), "-p", "tsconfig."+mode+".json", "--listFilesOnly")
			for _, want := range []string{"index.d.cts", "react.d.cts", "element.d.cts", "index.d.ts", "react.d.ts"} {
				if !strings.Contains(files, filepath.Join("node_modules", "dashembed", want)) {
					t.Errorf("under %s, tsc did not read dashembed/%s", mode, want)
				}
			}
		}
	})

	t.Run("vite", func(t *testing.T) {
		ctx, base := openApp(t, "vite")
		waitTop(t, ctx, `window.events.includes("ready 0")`)
		// StrictMode mounted the component twice: one embed, one fetch.
		var n struct{ Fetches, Frames int }
		eval(t, ctx, `({fetches: window.tokenFetches, frames: document.querySelectorAll("iframe").length})`, &n)
		if n.Fetches != 1 || n.Frames != 1 {
			t.Errorf("under StrictMode: %d token fetches and %d iframes, want 1 and 1", n.Fetches, n.Frames)
		}
		// Re-rendering hands it a new fetchGuestToken each time: the
		// iframe stays.
		eval(t, ctx, `(() => { document.querySelector("iframe").dataset.mark = "first"; app.rerender(); app.rerender(); return true; })()`, nil)
		waitTop(t, ctx, `document.querySelector("main").dataset.renders === "2"`)
		var kept bool
		eval(t, ctx, `document.querySelectorAll("iframe").length === 1 && document.querySelector("iframe").dataset.mark === "first" && window.tokenFetches === 1`, &kept)
		if !kept {
			t.Error("re-rendering with new callbacks replaced the iframe or fetched a token again")
		}
		// The ref is the dashboard.
		var size map[string]float64
		eval(t, ctx, `app.dashboard.current.getScrollSize()`, &size)
		if size["height"] <= 0 {
			t.Errorf("ref.current.getScrollSize() = %v", size)
		}
		// A new domain embeds again, once.
		eval(t, ctx, `(app.setDomain(`+jsString(otherBI)+`), true)`, nil)
		waitTop(t, ctx, `window.events.includes("ready 2") && document.querySelectorAll("iframe").length === 1 && !document.querySelector("iframe").dataset.mark`)
		waitFrame(t, ctx, demoFrame(), `document.body.dataset.tokenCount === "1"`)
		eval(t, ctx, `window.tokenFetches`, &n.Fetches)
		if n.Fetches != 2 {
			t.Errorf("after the domain changed: %d token fetches, want 2", n.Fetches)
		}
		wantWasm(t, ctx, base+"assets/", filepath.Join(apps["vite"].dir, "dist", "assets"))
		// A domain the SDK rejects reaches onError with the SDK's code.
		eval(t, ctx, `(app.setDomain("ftp://bi.example.com"), true)`, nil)
		waitTop(t, ctx, `window.events.includes("error INVALID_OPTION") && document.querySelectorAll("iframe").length === 0`)
	})

	t.Run("webpack", func(t *testing.T) {
		ctx, base := openApp(t, "webpack")
		waitTop(t, ctx, `window.dashboard`)
		var size map[string]float64
		eval(t, ctx, `window.dashboard.getScrollSize()`, &size)
		var n struct{ Fetches, Frames int }
		eval(t, ctx, `({fetches: window.tokenFetches, frames: document.querySelectorAll("iframe").length})`, &n)
		if n.Fetches != 1 || n.Frames != 1 || size["height"] <= 0 {
			t.Errorf("React 18 StrictMode: %d token fetches, %d iframes, getScrollSize() %v; want 1, 1 and a height", n.Fetches, n.Frames, size)
		}
		wantWasm(t, ctx, base, filepath.Join(apps["webpack"].dir, "dist"))
		// On the server, <Dashboard> renders its empty container.
		if out := strings.TrimSpace(command(t, apps["webpack"].dir, "npm", "run", "--silent", "ssr")); out != `<div class="dashboard"></div>` {
			t.Errorf("server rendering gave %q", out)
		}
	})

	t.Run("esbuild", func(t *testing.T) {
		ctx, base := openApp(t, "esbuild")
		waitTop(t, ctx, `window.events.some((e) => e.name === "ready")`)
		// The dashboard's methods are the element's, and ui-config reached
		// the iframe.
		var got struct {
			Height float64
			Src    string
		}
		eval(t, ctx, `(async () => { const el = document.getElementById("dashboard");
			return {height: (await el.getScrollSize()).height, src: el.shadowRoot.querySelector("iframe").src}; })()`, &got)
		if got.Height <= 0 || !strings.Contains(got.Src, "uiConfig=1") {
			t.Errorf("getScrollSize().height %v, iframe src %s", got.Height, got.Src)
		}
		wantWasm(t, ctx, base, filepath.Join(apps["esbuild"].dir, "dist"))

		// A new domain embeds again; leaving the document unmounts.
		eval(t, ctx, `(() => { const el = document.getElementById("dashboard");
			el.shadowRoot.querySelector("iframe").dataset.mark = "first"; el.setAttribute("domain", `+jsString(otherBI)+`); return true; })()`, nil)
		waitTop(t, ctx, `window.events.filter((e) => e.name === "ready").length === 2`)
		waitFrame(t, ctx, demoFrame(), `document.body.dataset.tokenCount === "1"`)
		var frames []string
		eval(t, ctx, `[...document.getElementById("dashboard").shadowRoot.querySelectorAll("iframe")].map((f) => f.dataset.mark || "new")`, &frames)
		if !slices.Equal(frames, []string{"new"}) {
			t.Errorf("iframes after the domain changed: %v, want one new one", frames)
		}
		var cleaned bool
		eval(t, ctx, `(() => { const el = document.getElementById("dashboard"); el.remove(); return el.dashboard === null && el.shadowRoot.querySelector("iframe") === null; })()`, &cleaned)
		if !cleaned {
			t.Error("the element kept its dashboard after leaving the document")
		}
		for deadline := time.Now().Add(5 * time.Second); evalFrame(ctx, embeddedFrame(), `true`, nil) == nil; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("an embedded frame is left after the element left the document")
			}
		}

		// Bad input is the SDK's typed error, as an error event; a method
		// with nothing embedded fails with UNMOUNTED.
		var bad struct{ Code, Option, Message, Unmounted string }
		eval(t, ctx, `new Promise((resolve) => {
			const el = document.createElement("dashembed-dashboard");
			el.setAttribute("dashboard-id", "x");
			el.setAttribute("domain", `+jsString(biURL)+`);
			el.setAttribute("ui-config", "{hideTitle: true}");
			el.addEventListener("error", (e) => document.createElement("dashembed-dashboard").getScrollSize().catch((u) =>
				resolve({code: e.detail.code, option: e.detail.option, message: e.detail.message, unmounted: u.code})));
			el.fetchGuestToken = () => Promise.resolve("t");
			document.body.append(el);
		})`, &bad)
		if bad.Code != "INVALID_OPTION" || bad.Option != "dashboardUiConfig" || bad.Unmounted != "UNMOUNTED" {
			t.Errorf("bad ui-config: %+v; want INVALID_OPTION for dashboardUiConfig, and UNMOUNTED", bad)
		}

		// Without the copy step, the wasm is missing: an error event says
		// which URL failed and what fixes it.
		noWasm := filepath.Join(t.TempDir(), "dist")
		copyTree(t, filepath.Join(apps["esbuild"].dir, "dist"), noWasm, "dashembed.wasm")
		serveApp(t, "esbuild-nowasm", noWasm)
		navigate(t, ctx, hostURL+"/e2e/app/esbuild-nowasm/"+query)
		waitTop(t, ctx, `window.events.some((e) => e.name === "error")`)
		var failed struct{ Code, Message string }
		eval(t, ctx, `window.events.find((e) => e.name === "error")`, &failed)
		if failed.Code != "WASM_LOAD_FAILED" || !strings.Contains(failed.Message, hostURL+"/e2e/app/esbuild-nowasm/dashembed.wasm") {
			t.Errorf("a missing wasm: %+v; want WASM_LOAD_FAILED naming the URL", failed)
		}
	})

	t.Run("rollup", func(t *testing.T) {
		ctx, base := openApp(t, "rollup")
		var size map[string]float64
		eval(t, ctx, `window.embedded.then((d) => d.getScrollSize())`, &size)
		if size["height"] <= 0 {
			t.Errorf("getScrollSize() = %v", size)
		}
		wantWasm(t, ctx, base+"assets/", filepath.Join(apps["rollup"].dir, "dist", "assets"))
	})

	t.Run("nextjs", func(t *testing.T) {
		a := apps["nextjs"]
		if a.err != nil {
			t.Fatal(a.err)
		}
		// next build prerendered the page: <Dashboard>'s container, no
		// iframe.
		html := readFile(t, filepath.Join(a.dir, ".next", "server", "app", "index.html"))
		if !strings.Contains(html, `<div class="dashboard"`) || strings.Contains(html, "<iframe") {
			t.Errorf("the prerendered page lacks the dashboard's empty container:\n%s", html)
		}
		port := freePort(t)
		startProcess(t, a.dir, []string{"DASHEMBED_BACKEND_URL=" + hostURL, "NO_COLOR=1"},
			regexp.MustCompile(`http://\S+:`+port), "npm", "run", "start", "--", "--port", port)
		url := "http://127.0.0.1:" + port + "/"

		ctx := newTab(t)
		navigate(t, ctx, url)
		waitFrame(t, ctx, demoFrame(), `document.body.dataset.tokenCount === "1"`)
		waitTop(t, ctx, `document.body.dataset.ready === "true"`)
		var n struct {
			Fetches, Frames int
			Error           string
		}
		eval(t, ctx, `({fetches: window.tokenFetches, frames: document.querySelectorAll("iframe").length, error: document.body.dataset.error || ""})`, &n)
		if n.Fetches != 1 || n.Frames != 1 || n.Error != "" {
			t.Errorf("after hydration: %d token fetches, %d iframes, error %q; want 1, 1 and none", n.Fetches, n.Frames, n.Error)
		}
		wantWasm(t, ctx, url+"_next/static/media/", filepath.Join(a.dir, ".next", "static", "media"))
	})

	// The element's script-tag build, loaded twice after dashembed.js, as
	// the package installed in an app ships them.
	t.Run("element-script", func(t *testing.T) {
		a := apps["esbuild"]
		if a.err != nil {
			t.Fatal(a.err)
		}
		dir := t.TempDir()
		copyTree(t, filepath.Join(a.dir, "node_modules", "dashembed"), dir)
		writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html>
<html><head><meta charset="utf-8"><script>window.errors = []; addEventListener("error", (e) => errors.push(e.message));</script></head>
<body>
<dashembed-dashboard dashboard-id="`+devserver.DemoDashboardUUID+`" domain="`+biURL+`" style="width:800px;height:600px"></dashembed-dashboard>
<script src="dashembed.js"></script>
<script src="dashembed-element.js"></script>
<script src="dashembed-element.js?again"></script>
<script>
  document.querySelector("dashembed-dashboard").fetchGuestToken = () =>
    fetch("/api/guest-token", {method: "POST"}).then((r) => r.json()).then((j) => j.token);
</script>
</body></html>
`)
		serveApp(t, "element-script", dir)
		ctx := newTab(t)
		navigate(t, ctx, hostURL+"/e2e/app/element-script/")
		waitFrame(t, ctx, demoFrame(), `document.body.dataset.tokenCount === "1"`)
		var errs []string
		eval(t, ctx, `window.errors`, &errs)
		if len(errs) != 0 {
			t.Errorf("loading the element's script twice: %v", errs)
		}
	})
}

// wantWasm checks that the page loaded the one wasm the build emitted into
// dir, from where the build put it (prefix).
func wantWasm(t *testing.T, ctx context.Context, prefix, dir string) {
	t.Helper()
	wasms, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
	if len(wasms) != 1 {
		t.Fatalf("the build emitted %v, want one wasm", wasms)
	}
	waitTop(t, ctx, `performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm"))`)
	var loaded []string
	eval(t, ctx, `performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".wasm"))`, &loaded)
	if want := prefix + filepath.Base(wasms[0]); !slices.Contains(loaded, want) {
		t.Errorf("the page loaded wasm from %v, want %s", loaded, want)
	}
}
