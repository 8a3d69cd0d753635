// Command dashembed-dev runs the mock BI host and a demo host app on two
// loopback origins, so the SDK can be developed and tried without a real
// Superset, Preset, CalabiIQ or Luzmo.
//
// Usage:
//
//	dashembed-dev [-bi-addr 127.0.0.1:8088] [-app-addr 127.0.0.1:8080] [-dist dist]
//	              [-token-lifetime 5m] [-strict-csrf] [-stock-headers] [-faults spec] [-v]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "dashembed-dev:", err)
		os.Exit(1)
	}
}

// exampleOrigins are where the apps in examples/ serve by default.
var exampleOrigins = []string{
	"http://127.0.0.1:8090", "http://127.0.0.1:8091", "http://127.0.0.1:5173", "http://127.0.0.1:4173",
}

// run parses args, starts both servers and serves until ctx ends. ready, when
// not nil, is called with both URLs once they accept connections (tests use
// it).
func run(ctx context.Context, args []string, stdout io.Writer, ready func(biURL, appURL string)) error {
	fl := flag.NewFlagSet("dashembed-dev", flag.ContinueOnError)
	biAddr := fl.String("bi-addr", "127.0.0.1:8088", "listen address of the mock BI host")
	appAddr := fl.String("app-addr", "127.0.0.1:8080", "listen address of the demo host app")
	dist := fl.String("dist", "dist", "directory of the built SDK (dashembed.js, dashembed.wasm)")
	lifetime := fl.Duration("token-lifetime", 5*time.Minute, "guest token lifetime")
	strictCSRF := fl.Bool("strict-csrf", false, "require X-CSRFToken on the guest-token endpoint, as stock Superset does")
	stock := fl.Bool("stock-headers", false, "send X-Frame-Options: SAMEORIGIN like stock Superset (blocks cross-origin embeds)")
	faults := fl.String("faults", "", "faults to inject from the start, e.g. token_lifetime=20s,guest_token_fail=2")
	verbose := fl.Bool("v", false, "log every request")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fl.Args())
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	bundle := filepath.Join(*dist, "dashembed.js")
	if _, err := os.Stat(bundle); err != nil {
		return fmt.Errorf("%s is missing: build the SDK first with `make dist` (or point -dist at a built SDK directory)", bundle)
	}
	f, err := devserver.ParseFaults(*faults)
	if err != nil {
		return fmt.Errorf("-faults: %v", err)
	}

	// Listen first: with port 0 the real addresses are only known now, and
	// the allowed domains must name the app's real origin.
	biLn, err := net.Listen("tcp", *biAddr)
	if err != nil {
		return err
	}
	defer biLn.Close()
	appLn, err := net.Listen("tcp", *appAddr)
	if err != nil {
		return err
	}
	defer appLn.Close()
	biURL := "http://" + biLn.Addr().String()
	appURL := "http://" + appLn.Addr().String()

	cfg := devserver.DefaultConfig()
	cfg.TokenLifetime = *lifetime
	cfg.StrictCSRF = *strictCSRF
	if *stock {
		cfg.Framing = devserver.FramingStock
	}
	cfg.Assets = os.DirFS(*dist)
	cfg.Logger = logger
	// The demo host app, and the examples/ apps run beside it as their
	// READMEs say (script tag, Go backend, Vite dev server and preview).
	cfg.Dashboards[0].AllowedDomains = append([]string{appURL}, exampleOrigins...)
	cfg.EventOrigins = []string{appURL}
	bi, err := devserver.NewBIHost(cfg)
	if err != nil {
		return err
	}
	defer bi.Close()
	bi.SetFaults(f)

	app, err := hostapp.New(hostapp.Config{
		BIURL:       biURL,
		DashboardID: devserver.DemoDashboardUUID,
		Username:    devserver.DemoUsername,
		Password:    devserver.DemoPassword,
		CSRF:        *strictCSRF,
		Logger:      logger,
	})
	if err != nil {
		return err
	}

	servers := []*http.Server{
		{Handler: bi, ReadHeaderTimeout: 10 * time.Second},
		{Handler: app, ReadHeaderTimeout: 10 * time.Second},
	}
	errc := make(chan error, 2)
	for i, ln := range []net.Listener{biLn, appLn} {
		go func(s *http.Server, ln net.Listener) {
			if err := s.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}(servers[i], ln)
	}

	fmt.Fprintf(stdout, `dashembed dev server
  host app (open this):  %s/
  mock BI host:          %s/
  embedded dashboard:    %s/embedded/%s
  SDK bundle:            %s/static/assets/embedded.js  (from %s)
  event feed:            ws://%s/__dashembed/events
  service account:       %s / %s   (API key %s)
  Preset API token:      demo / demo      Luzmo key/token: demo-key / demo-token
  guest token lifetime:  %s   strict CSRF: %v   stock headers: %v
`, appURL, biURL, biURL, devserver.DemoDashboardUUID, biURL, *dist, biLn.Addr(),
		devserver.DemoUsername, devserver.DemoPassword, devserver.DemoAPIKey, *lifetime, *strictCSRF, *stock)
	if s := f.String(); s != "" {
		fmt.Fprintf(stdout, "  faults:                %s\n", s)
	}
	if ready != nil {
		ready(biURL, appURL)
	}

	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	bi.Close() // ends event-feed websockets: Shutdown does not track hijacked connections
	for _, s := range servers {
		s.Shutdown(shutdown)
	}
	return nil
}
