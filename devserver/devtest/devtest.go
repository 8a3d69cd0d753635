// Package devtest starts the mock BI host inside a Go test, so a host app's
// own tests can exercise its backend (guest tokens, RLS) and, with a
// browser, its embed — and then assert what the BI host saw.
//
//	bi := devtest.Start(t, devtest.ConfigFile("testdata/dashembed.toml"), devtest.Allow(app.URL))
//	// point the app's backend at bi.URL with bi.Username / bi.Password …
//	mint := bi.WaitMint(t, func(m devtest.Mint) bool { return m.User.Username == "alice" })
//	q := bi.WaitChartQuery(t, nil) // the RLS the chart ran with: q.RLS, q.Where
//
// The host listens on a loopback port of its own and is closed when the
// test ends. The event feed it reads is the same one dashembed-dev streams
// on /__dashembed/events.
package devtest

import (
	"net/http/httptest"
	"os"
	"testing"

	"github.com/dashembed/dashembed/devserver"
)

// Host is a running mock BI host and what a host app needs to use it.
type Host struct {
	// URL is the BI host's origin, e.g. http://127.0.0.1:41234: the
	// backend's guest-token client and the SDK's supersetDomain both use it.
	URL string
	// SDKURL is the script-tag bundle's URL (served when Dist was given).
	SDKURL string
	// Username, Password and APIKey are the first account allowed to mint
	// guest tokens.
	Username, Password, APIKey string
	// DashboardUUID is the first embeddable dashboard's uuid.
	DashboardUUID string
	// Secret, Audience and TokenHeader are how guest tokens are signed and
	// sent.
	Secret, Audience, TokenHeader string
	// BI is the host itself: its Config, faults and VerifyGuestToken.
	BI *devserver.BIHost
}

// Option changes how Start configures the host.
type Option func(*settings)

// settings is what the options build.
type settings struct {
	file    string
	allow   []string
	dist    string
	faults  string
	configs []func(*devserver.Config)
}

// ConfigFile configures the host from a dashembed-dev configuration file;
// without it the built-in demo runs.
func ConfigFile(path string) Option { return func(s *settings) { s.file = path } }

// Allow adds origins allowed to embed every dashboard (the host app's test
// server, typically).
func Allow(origins ...string) Option {
	return func(s *settings) { s.allow = append(s.allow, origins...) }
}

// Dist serves a built SDK directory at /static/assets/.
func Dist(dir string) Option { return func(s *settings) { s.dist = dir } }

// Faults injects faults from the start, in the ?faults= syntax.
func Faults(spec string) Option { return func(s *settings) { s.faults = spec } }

// Configure changes the host's Config last, for anything the other options
// do not cover.
func Configure(f func(*devserver.Config)) Option {
	return func(s *settings) { s.configs = append(s.configs, f) }
}

// Start starts a mock BI host for the test and closes it when the test
// ends. A bad option or configuration fails the test at once.
func Start(t testing.TB, opts ...Option) *Host {
	t.Helper()
	var s settings
	for _, o := range opts {
		o(&s)
	}
	cfg := devserver.DefaultConfig()
	var faults devserver.Faults
	if s.file != "" {
		cf, err := devserver.LoadConfigFile(s.file)
		if err != nil {
			t.Fatalf("devtest: %v", err)
		}
		cfg, faults = cf.Config, cf.Faults
	}
	if s.faults != "" {
		f, err := devserver.ParseFaults(s.faults)
		if err != nil {
			t.Fatalf("devtest: Faults(%q): %v", s.faults, err)
		}
		faults = f
	}
	for _, o := range s.allow {
		if err := devserver.CheckOrigin(o); err != nil {
			t.Fatalf("devtest: Allow: %v", err)
		}
	}
	cfg.Dashboards = append([]devserver.Dashboard(nil), cfg.Dashboards...)
	for i := range cfg.Dashboards {
		cfg.Dashboards[i].AllowedDomains = append(append([]string(nil), cfg.Dashboards[i].AllowedDomains...), s.allow...)
	}
	cfg.EventOrigins = append(cfg.EventOrigins, s.allow...)
	if s.dist != "" {
		cfg.Assets = os.DirFS(s.dist)
	}
	cfg.ReloadPoll = -1 // a test's SDK build does not change under it
	for _, f := range s.configs {
		f(&cfg)
	}
	bi, err := devserver.NewBIHost(cfg)
	if err != nil {
		t.Fatalf("devtest: %v", err)
	}
	bi.SetFaults(faults)
	srv := httptest.NewServer(bi)
	t.Cleanup(func() {
		srv.Close()
		bi.Close()
	})
	h := &Host{URL: srv.URL, SDKURL: srv.URL + "/static/assets/embedded.js", BI: bi}
	eff := bi.Config()
	h.Secret, h.Audience, h.TokenHeader = eff.Secret, eff.Audience, eff.TokenHeader
	for _, a := range eff.Accounts {
		if a.CanGrantGuestToken {
			h.Username, h.Password, h.APIKey = a.Username, a.Password, a.APIKey
			break
		}
	}
	for _, d := range eff.Dashboards {
		if d.UUID != "" {
			h.DashboardUUID = d.UUID
			break
		}
	}
	return h
}
