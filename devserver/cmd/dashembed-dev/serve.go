package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

// shutdownGrace is how long requests in flight get once a signal arrives;
// then connections are closed, so SIGTERM ends the process within a second.
const shutdownGrace = 700 * time.Millisecond

// serve starts the BI host and the demo host app and serves until ctx ends.
// Everything is checked before the first byte is served: the server never
// runs half-configured.
func serve(ctx context.Context, o options, stdout, stderr io.Writer, ready func(readyInfo)) error {
	level := slog.LevelInfo
	if o.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	s, err := loadSetup(o)
	if err != nil {
		return err
	}
	sdk, err := findSDK(ctx, s.dist, stderr)
	if err != nil {
		return err
	}
	defer sdk.cleanup()

	// Listen first: with port 0 the real addresses are only known now, and
	// the allowed domains must name the app's real origin.
	var fileBI, fileApp string
	if s.file != nil {
		fileBI, fileApp = s.file.BIAddr, s.file.AppAddr
	}
	biLn, err := net.Listen("tcp", s.biAddr)
	if err != nil {
		return s.listenError("bi-addr", "server.bi_addr", fileBI, s.biAddr, err)
	}
	defer biLn.Close()
	appLn, err := net.Listen("tcp", s.appAddr)
	if err != nil {
		return s.listenError("app-addr", "server.app_addr", fileApp, s.appAddr, err)
	}
	defer appLn.Close()
	biURL := "http://" + biLn.Addr().String()
	appURL := "http://" + appLn.Addr().String()

	origins := s.allowOrigins(appURL, o.allow)
	s.bi.Assets = os.DirFS(sdk.dir)
	s.bi.Logger = logger
	o.misconfig(&s.bi)
	if s.anyOrigin() {
		logger.Warn("ANY ORIGIN MAY EMBED: an allowed origin is \"*\", so every site can frame these dashboards; list your app's origins instead")
	}
	bi, err := devserver.NewBIHost(s.bi)
	if err != nil {
		return err
	}
	defer bi.Close()
	bi.SetFaults(s.faults)
	appCfg, err := s.hostApp(biURL)
	if err != nil {
		return err
	}
	appCfg.Logger = logger
	if len(s.bi.Datasets) > 0 && appCfg.Tenants == nil {
		logger.Warn("the demo host app filters your data with the demo's tenant rule (tenant = 'acme', ...); set [app] tenants and tenant_column to match your data")
	}
	app, err := hostapp.New(appCfg)
	if err != nil {
		return err
	}

	servers := []*http.Server{
		{Handler: bi, ReadHeaderTimeout: 10 * time.Second},
		{Handler: app, ReadHeaderTimeout: 10 * time.Second},
	}
	errc := make(chan error, 2)
	for i, ln := range []net.Listener{biLn, appLn} {
		go func(srv *http.Server, ln net.Listener) {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}(servers[i], ln)
	}

	info := newReadyInfo(bi.Config(), biURL, appURL, origins, s.file)
	banner := stdout
	if o.readyJSON == "-" {
		banner = stderr // stdout carries the one JSON line alone
	}
	writeBanner(banner, info, sdk, s.faults, bi.Config())
	if o.readyJSON != "" {
		if err := writeReady(o.readyJSON, stdout, info); err != nil {
			return err
		}
	}
	if ready != nil {
		ready(info)
	}

	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	bi.Close() // ends event-feed websockets: Shutdown does not track hijacked connections
	for _, srv := range servers {
		if srv.Shutdown(shutdown) != nil {
			srv.Close()
		}
	}
	fmt.Fprintln(stderr, "dashembed-dev: stopped")
	return nil
}
