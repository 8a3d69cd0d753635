package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/wasm/bundle"
)

// The world every test shares: one build of the SDK, one BI host, one host
// app on another origin, and one headless Chromium. Each test opens a tab.
var (
	biURL      string // the mock BI host's origin
	hostURL    string // the host app's origin
	biHost     *devserver.BIHost
	browserCtx context.Context
	// distDir holds this run's build of the SDK, for tests that start BI
	// hosts of their own.
	distDir string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	chromium, err := findChromium()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "dashembed-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)

	dist := filepath.Join(tmp, "dist")
	distDir = dist
	if err := bundle.Build(bundle.Options{OutDir: dist}); err != nil {
		fmt.Fprintln(os.Stderr, "building the SDK:", err)
		return 1
	}

	// Two loopback origins: the BI host and the host app differ by port, as
	// they differ by host in production.
	biListener, biAddr := listen()
	hostListener, hostAddr := listen()
	biURL, hostURL = "http://"+biAddr, "http://"+hostAddr

	cfg := devserver.DefaultConfig()
	cfg.Assets = os.DirFS(dist)
	biHost, err = devserver.NewBIHost(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the BI host:", err)
		return 1
	}
	bi := &httptest.Server{Listener: biListener, Config: &http.Server{Handler: biMux(biHost)}}
	bi.Start()
	defer bi.Close()

	app, err := devserver.NewHostApp(devserver.HostAppConfig{
		BIURL:       biURL,
		DashboardID: devserver.DemoDashboardUUID,
		Username:    "admin",
		Password:    "admin",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the host app:", err)
		return 1
	}
	host := &httptest.Server{Listener: hostListener, Config: &http.Server{Handler: hostMux(app)}}
	host.Start()
	defer host.Close()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(chromium, filepath.Join(tmp, "profile"))...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "starting Chromium:", err)
		return 1
	}
	browserCtx = ctx
	return m.Run()
}

// findChromium locates the browser. It never lets the suite skip: without a
// browser the end-to-end tests fail, saying how to install one.
func findChromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("e2e: Chromium not found; install it (Debian: apt-get install -y chromium) or set CHROMIUM to its path")
}

func chromiumOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		// This machine has no network beyond loopback: without these,
		// Chromium keeps trying to reach its own services.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
	}
}

func listen() (net.Listener, string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	return l, l.Addr().String()
}

// newTab opens a tab for one test and closes it when the test ends.
func newTab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
	})
	return ctx
}
