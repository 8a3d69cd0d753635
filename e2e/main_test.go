package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
	"github.com/dashembed/dashembed/internal/chromium"
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
	// Found before the slow build, so that a missing browser fails at once
	// (never a skip: the suite would pass for the wrong reason).
	chromiumPath, err := chromium.Find()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
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

	app, err := hostapp.New(hostapp.Config{
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

	// Hidden tabs are throttled as in a user's browser (no NoThrottling), so
	// that tests can check the SDK there.
	browser, err := chromium.Start(context.Background(), chromium.ExecPath(chromiumPath))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer browser.Close()
	browserCtx = browser.Context()
	return m.Run()
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
