package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
	"github.com/dashembed/dashembed/internal/chromium"
)

// The examples run as their READMEs say, pointed at this suite's BI host:
// the Go ones built with go build and started on a port of their choosing,
// the npm one packed, installed, type-checked, bundled by Vite and served by
// vite preview. Chromium then checks that each embeds the dashboard.

// embeddedFrame is the URL prefix of every embedded dashboard's iframe.
func embeddedFrame() string { return biURL + "/embedded/" }

// buildExample builds examples/<name> into a temporary directory.
func buildExample(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	command(t, "..", "go", "build", "-o", bin, "./examples/"+name)
	return bin
}

// exampleURL matches the address an example prints once it listens.
var exampleURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

// startProcess starts a program in its own process group and stops the
// group when the test ends (npm and Vite start helpers of their own). It
// returns the first line of output matching ready, or fails after a while.
func startProcess(t *testing.T, dir string, env []string, ready *regexp.Regexp, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		out bytes.Buffer
	)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			out.WriteString(line + "\n")
			mu.Unlock()
			if m := ready.FindString(line); m != "" {
				select {
				case found <- m:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		pw.Close()
		if t.Failed() {
			mu.Lock()
			t.Logf("output of %s:\n%s", name, out.String())
			mu.Unlock()
		}
	})
	select {
	case m := <-found:
		return m
	case <-time.After(30 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%s did not start within 30 s; its output:\n%s", name, out.String())
		return ""
	}
}

// frameClaims decodes the guest token the embedded page holds.
func frameClaims(t *testing.T, ctx context.Context) map[string]any {
	t.Helper()
	var tok string
	if err := evalFrame(ctx, embeddedFrame(), `document.body.dataset.lastToken || ""`, &tok); err != nil {
		t.Fatal(err)
	}
	return decodeClaims(t, tok)
}

// rlsClauses lists the RLS clauses of decoded claims.
func rlsClauses(claims map[string]any) []string {
	out := []string{}
	rules, _ := claims["rls_rules"].([]any)
	for _, r := range rules {
		m, _ := r.(map[string]any)
		c, _ := m["clause"].(string)
		out = append(out, c)
	}
	return out
}

// totalRevenue waits for the big-number chart of the demo dashboard and
// returns what it shows.
func totalRevenue(t *testing.T, ctx context.Context) string {
	t.Helper()
	waitFrame(t, ctx, embeddedFrame(), `document.querySelector("#chart-1") && document.querySelector("#chart-1").dataset.status === "ready"`)
	var text string
	if err := evalFrame(ctx, embeddedFrame(), `document.querySelector("#chart-1 .body").textContent.trim()`, &text); err != nil {
		t.Fatal(err)
	}
	if text == "" {
		t.Fatal("the total revenue chart shows nothing")
	}
	return text
}

func TestExampleScriptTag(t *testing.T) {
	bin := buildExample(t, "script-tag")
	url := startProcess(t, "..", nil, exampleURL, bin, "-addr", "127.0.0.1:0", "-bi", biURL)

	ctx := newTab(t)
	navigate(t, ctx, url)
	waitFrame(t, ctx, embeddedFrame(), `Number(document.body.dataset.tokenCount) >= 1`)
	waitTop(t, ctx, `document.getElementById("status").dataset.state === "ready"`)
	if got := rlsClauses(frameClaims(t, ctx)); !slices.Equal(got, []string{"tenant = 'acme'"}) {
		t.Errorf("RLS clauses %q, want the -tenant default acme", got)
	}

	// dashboardUiConfig reached the iframe's URL, and autoResize fitted the
	// iframe to the dashboard, saying so with a resize event.
	var src string
	eval(t, ctx, `document.querySelector("#dashboard iframe").src`, &src)
	for _, want := range []string{devserver.DemoDashboardUUID, "uiConfig=1", "show_filters=true", "expand_filters=false"} {
		if !strings.Contains(src, want) {
			t.Errorf("iframe src %s lacks %s", src, want)
		}
	}
	waitTop(t, ctx, `document.querySelector('#events li[data-event="ready"]') && document.querySelector('#events li[data-event="resize"]')`)
	// The dashboard keeps growing while its charts render, and autoResize
	// follows it every poll: wait until the two agree.
	var fit struct{ Iframe, Content float64 }
	for deadline := time.Now().Add(15 * time.Second); ; {
		eval(t, ctx, `({iframe: document.querySelector("#dashboard iframe").getBoundingClientRect().height})`, &fit)
		if err := evalFrame(ctx, embeddedFrame(), `({content: document.documentElement.scrollHeight})`, &fit); err != nil {
			t.Fatal(err)
		}
		if fit.Iframe >= 300 && fit.Content >= 300 && abs(fit.Iframe-fit.Content) <= 8 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("autoResize left the iframe %v px high for %v px of dashboard", fit.Iframe, fit.Content)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestExampleGoBackend(t *testing.T) {
	bin := buildExample(t, "go-backend")
	url := startProcess(t, "..", nil, exampleURL, bin, "-addr", "127.0.0.1:0", "-bi", biURL)

	ctx := newTab(t)
	// A wrong password gets the form again, not a session.
	navigate(t, ctx, url+"login")
	eval(t, ctx, `(() => { username.value = "alice"; password.value = "nope"; document.querySelector("form").submit(); return true; })()`, nil)
	waitTop(t, ctx, `document.querySelector(".error") && /Wrong username or password/.test(document.querySelector(".error").textContent)`)

	totals := map[string]string{}
	for _, u := range []struct{ name, tenant string }{{"alice", "acme"}, {"bob", "globex"}} {
		navigate(t, ctx, url+"login")
		eval(t, ctx, `(() => { username.value = "`+u.name+`"; password.value = "`+u.name+`"; document.querySelector("form").submit(); return true; })()`, nil)
		waitTop(t, ctx, `location.pathname === "/" && document.getElementById("tenant") && document.getElementById("tenant").textContent === "`+u.tenant+`"`)
		waitFrame(t, ctx, embeddedFrame(), `Number(document.body.dataset.tokenCount) >= 1`)

		claims := frameClaims(t, ctx)
		user, _ := claims["user"].(map[string]any)
		if got := rlsClauses(claims); !slices.Equal(got, []string{"tenant = '" + u.tenant + "'"}) || user["username"] != u.name {
			t.Errorf("%s's token: user %v, RLS %q", u.name, user, got)
		}
		totals[u.name] = totalRevenue(t, ctx)
	}
	if totals["alice"] == totals["bob"] {
		t.Errorf("alice (acme) and bob (globex) see the same total revenue %q", totals["alice"])
	}
	t.Logf("total revenue: alice %q, bob %q", totals["alice"], totals["bob"])
}

func TestExampleNPMApp(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatal("npm is not on PATH: install Node.js 20.19+ with npm (Debian: apt-get install -y nodejs npm)")
	}
	tmp := t.TempDir()

	// make dist && (cd dist && npm pack): the tarball the example's
	// package.json names, at the same place relative to the example.
	packSDK(t, filepath.Join(tmp, "dist"))
	app := filepath.Join(tmp, "examples", "npm-app")
	copyExample(t, filepath.Join("..", "examples", "npm-app"), app)

	command(t, app, "npm", "install", "--prefer-offline", "--no-audit", "--no-fund")
	command(t, app, "npx", "tsc", "--noEmit")
	serveViteExample(t, app)
}

// TestExampleReactVite runs examples/react-vite as its README says: npm ci
// from its lock file, then npm run build (tsc, then Vite) and vite preview.
func TestExampleReactVite(t *testing.T) {
	tmp := t.TempDir()
	packSDK(t, filepath.Join(tmp, "dist"))
	app := filepath.Join(tmp, "examples", "react-vite")
	copyTree(t, filepath.Join("..", "examples", "react-vite"), app, "node_modules", "dist", ".env.local")
	command(t, app, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
	ctx := serveViteExample(t, app)

	// StrictMode mounted <Dashboard> twice: one iframe. The theme button
	// reaches the dashboard through the component's ref.
	var frames int
	eval(t, ctx, `document.querySelectorAll("iframe").length`, &frames)
	if frames != 1 {
		t.Errorf("%d iframes under StrictMode, want 1", frames)
	}
	eval(t, ctx, `(document.getElementById("theme").click(), true)`, nil)
	waitFrame(t, ctx, embeddedFrame(), `document.body.dataset.themeMode === "dark"`)
}

// TestExampleNextJS runs examples/nextjs as its README says: npm ci, then
// next build (type-checking, prerendering the page) and next start.
func TestExampleNextJS(t *testing.T) {
	t.Setenv("NEXT_TELEMETRY_DISABLED", "1")
	tmp := t.TempDir()
	packSDK(t, filepath.Join(tmp, "dist"))
	app := filepath.Join(tmp, "examples", "nextjs")
	copyTree(t, filepath.Join("..", "examples", "nextjs"), app, "node_modules", ".next", "next-env.d.ts", ".env.local")
	command(t, app, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
	// Next.js reads .env.local at build time; this is how the README
	// points the app at another BI host.
	writeFile(t, filepath.Join(app, ".env.local"), "NEXT_PUBLIC_BI_URL="+biURL+"\n")
	if _, err := runCommand(app, 6*time.Minute, "npm", "run", "build"); err != nil {
		t.Fatal(err)
	}
	if html := readFile(t, filepath.Join(app, ".next", "server", "app", "index.html")); strings.Contains(html, "<iframe") || !strings.Contains(html, `id="status"`) {
		t.Errorf("the prerendered page should hold the status line and no iframe:\n%s", html)
	}

	port := freePort(t)
	startProcess(t, app, []string{"DASHEMBED_BACKEND_URL=" + hostURL, "NO_COLOR=1"},
		regexp.MustCompile(`http://127\.0\.0\.1:`+port), "npm", "run", "start", "--", "--port", port)
	ctx := newTab(t)
	navigate(t, ctx, "http://127.0.0.1:"+port+"/")
	waitFrame(t, ctx, embeddedFrame(), `Number(document.body.dataset.tokenCount) >= 1`)
	waitTop(t, ctx, `document.getElementById("status").dataset.state === "ready"`)
	var frames int
	eval(t, ctx, `document.querySelectorAll("iframe").length`, &frames)
	if frames != 1 {
		t.Errorf("%d iframes after hydration, want 1", frames)
	}
}

// serveViteExample builds an installed Vite example pointed at this suite's
// BI host, serves it with vite preview, and returns a tab showing it once
// its dashboard holds a token and its #status says ready.
func serveViteExample(t *testing.T, app string) context.Context {
	t.Helper()
	// Vite reads .env.local; this is how the README points the app at
	// another BI host.
	writeFile(t, filepath.Join(app, ".env.local"), "VITE_BI_URL="+biURL+"\n")
	command(t, app, "npm", "run", "build")
	wasms, _ := filepath.Glob(filepath.Join(app, "dist", "assets", "dashembed-*.wasm"))
	if len(wasms) != 1 {
		t.Fatalf("vite build emitted %v, want one assets/dashembed-<hash>.wasm", wasms)
	}

	// vite preview serves the build and forwards /api to the host app, as
	// vite.config.ts does with make dev's.
	port := freePort(t)
	url := startProcess(t, app, []string{"DASHEMBED_BACKEND_URL=" + hostURL, "NO_COLOR=1"},
		regexp.MustCompile(`http://127\.0\.0\.1:`+port+`/`),
		filepath.Join(app, "node_modules", ".bin", "vite"), "preview", "--port", port)

	ctx := newTab(t)
	navigate(t, ctx, url)
	waitFrame(t, ctx, embeddedFrame(), `Number(document.body.dataset.tokenCount) >= 1`)
	waitTop(t, ctx, `document.getElementById("status").dataset.state === "ready"`)
	waitTop(t, ctx, `performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm"))`)
	var loaded []string
	eval(t, ctx, `performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".wasm"))`, &loaded)
	if want := url + "assets/" + filepath.Base(wasms[0]); !slices.Contains(loaded, want) {
		t.Errorf("the page loaded wasm from %v, want %s", loaded, want)
	}
	return ctx
}

// copyExample copies an example's sources, leaving out what npm and Vite
// make in a working copy.
func copyExample(t *testing.T, from, to string) {
	t.Helper()
	copyTree(t, from, to, "node_modules", "dist", "package-lock.json", ".env.local")
}

// copyTree copies a directory, leaving out the entries named by skip
// (paths relative to from).
func copyTree(t *testing.T, from, to string, skip ...string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if slices.Contains(skip, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		copyFile(t, path, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// freePort returns a loopback port nobody listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestDemoTenantSwitch switches the demo page's tenant as a visitor would
// and checks that the dashboard is embedded again with the new tenant's RLS
// and shows other numbers.
func TestDemoTenantSwitch(t *testing.T) {
	ctx := newTab(t)
	navigate(t, ctx, hostURL+"/")
	waitTop(t, ctx, `document.body.dataset.state === "embedded" && document.body.dataset.tenant === "acme"`)
	waitFrame(t, ctx, embeddedFrame(), `Number(document.body.dataset.tokenCount) >= 1`)
	if got := rlsClauses(frameClaims(t, ctx)); !slices.Equal(got, []string{"tenant = 'acme'"}) {
		t.Fatalf("acme's token has RLS %q", got)
	}
	seen := map[string]string{"acme": totalRevenue(t, ctx)}

	for _, tc := range []struct {
		tenant string
		rls    []string
	}{{"globex", []string{"tenant = 'globex'"}}, {hostapp.AllTenants, []string{}}} {
		eval(t, ctx, `(() => { const s = document.getElementById("tenant"); s.value = "`+tc.tenant+`"; s.dispatchEvent(new Event("change")); return true; })()`, nil)
		waitTop(t, ctx, `document.body.dataset.state === "embedded" && document.body.dataset.tenant === "`+tc.tenant+`" && location.search === "?tenant=`+tc.tenant+`"`)
		// The old embed is gone: one iframe, holding the new tenant's token.
		waitFrame(t, ctx, embeddedFrame(), `(() => {
			const t = document.body.dataset.lastToken;
			if (!t) return false;
			const claims = JSON.parse(atob(t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
			return JSON.stringify(claims.rls_rules.map((r) => r.clause)) === `+jsString(toJSON(tc.rls))+`;
		})()`)
		var frames int
		eval(t, ctx, `document.querySelectorAll("#dashboard iframe").length`, &frames)
		if frames != 1 {
			t.Errorf("%d iframes after switching to %s", frames, tc.tenant)
		}
		seen[tc.tenant] = totalRevenue(t, ctx)
	}
	if seen["acme"] == seen["globex"] || seen["globex"] == seen[hostapp.AllTenants] {
		t.Errorf("the total revenue did not change with the tenant: %v", seen)
	}
}

// TestExamplePlaywright runs examples/playwright as its README says: npm ci
// from the committed lock file, then npm test, which starts dashembed-dev
// (built here with go build) and the app and drives the system Chromium
// with playwright-core.
func TestExamplePlaywright(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatal("npm is not on PATH: install Node.js 20+ with npm (Debian: apt-get install -y nodejs npm)")
	}
	chromiumPath, err := chromium.Find()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "dashembed-dev")
	command(t, "..", "go", "build", "-o", bin, "./devserver/cmd/dashembed-dev")
	app := filepath.Join(t.TempDir(), "playwright")
	copyTree(t, filepath.Join("..", "examples", "playwright"), app, "node_modules")
	command(t, app, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "test")
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "DASHEMBED_DEV="+bin, "DASHEMBED_DIST="+distDir, "CHROMIUM="+chromiumPath, "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm test: %v\n%s", err, out)
	}
	// Both customers' tests ran and passed: a runner that found no test
	// would pass too.
	for _, want := range []string{"ℹ pass 2", "ℹ fail 0"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("npm test output lacks %q:\n%s", want, out)
		}
	}
}
