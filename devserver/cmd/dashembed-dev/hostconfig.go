package main

import (
	"fmt"
	"slices"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

// exampleOrigins are where the apps in examples/ serve by default; the demo
// (no configuration file) lets them embed its dashboard.
var exampleOrigins = []string{
	"http://127.0.0.1:8090", "http://127.0.0.1:8091", "http://127.0.0.1:5173", "http://127.0.0.1:4173",
}

// setup is what the command runs: the BI host's configuration, the demo
// host app's, the faults to inject and where to listen.
type setup struct {
	file            *devserver.ConfigFile // nil without -config
	bi              devserver.Config
	faults          devserver.Faults
	biAddr, appAddr string
	dist            string
}

// loadSetup reads the configuration file, if any, and lets the flags given
// override it.
func loadSetup(o options) (*setup, error) {
	s := &setup{bi: devserver.DefaultConfig(), biAddr: o.biAddr, appAddr: o.appAddr, dist: o.dist}
	if o.config != "" {
		cf, err := devserver.LoadConfigFile(o.config)
		if err != nil {
			return nil, err
		}
		s.file, s.bi, s.faults = cf, cf.Config, cf.Faults
		if cf.BIAddr != "" && !o.set["bi-addr"] {
			s.biAddr = cf.BIAddr
		}
		if cf.AppAddr != "" && !o.set["app-addr"] {
			s.appAddr = cf.AppAddr
		}
		if cf.Dist != "" && !o.set["dist"] {
			s.dist = cf.Dist
		}
	}
	if s.file == nil || o.set["token-lifetime"] {
		s.bi.TokenLifetime = o.lifetime
	}
	if o.set["strict-csrf"] {
		s.bi.StrictCSRF = o.strictCSRF
	}
	if o.stock {
		s.bi.Framing = devserver.FramingStock
	}
	if o.set["faults"] {
		s.faults = o.faults
	}
	return s, nil
}

// allowOrigins adds the demo host app's origin, the examples' (without a
// file) and every -allow origin to each dashboard's allowed domains, and
// returns the origins every dashboard allows. A dashboard whose list holds
// "*" allows any origin.
func (s *setup) allowOrigins(appURL string, allow []string) []string {
	global := []string{appURL}
	if s.file == nil {
		global = append(global, exampleOrigins...)
	} else {
		global = append(global, s.file.AllowedOrigins...)
	}
	global = append(global, allow...)
	s.bi.Dashboards = slices.Clone(s.bi.Dashboards)
	for i, d := range s.bi.Dashboards {
		var own []string
		for _, o := range d.AllowedDomains {
			if !slices.Contains(global, o) {
				own = append(own, o)
			}
		}
		s.bi.Dashboards[i].AllowedDomains = append(slices.Clone(global), own...)
	}
	s.bi.EventOrigins = append(s.bi.EventOrigins, global...)
	return compactOrigins(global)
}

// compactOrigins drops repeats, keeping the first of each.
func compactOrigins(in []string) []string {
	var out []string
	for _, o := range in {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// anyOrigin reports whether some dashboard allows every origin.
func (s *setup) anyOrigin() bool {
	for _, d := range s.bi.Dashboards {
		if slices.Contains(d.AllowedDomains, "*") {
			return true
		}
	}
	return false
}

// hostApp is the demo host app's configuration: the file's [app] section,
// else the first embeddable dashboard and the first account that may mint
// guest tokens.
func (s *setup) hostApp(biURL string) (hostapp.Config, error) {
	cfg := hostapp.Config{BIURL: biURL, CSRF: s.bi.StrictCSRF}
	if s.file != nil {
		a := s.file.App
		cfg.DashboardID, cfg.Tenants, cfg.TenantColumn = a.Dashboard, a.Tenants, a.TenantColumn
		cfg.Username, cfg.Password = a.Username, a.Password
	}
	if cfg.DashboardID == "" {
		for _, d := range s.bi.Dashboards {
			if d.UUID != "" {
				cfg.DashboardID = d.UUID
				break
			}
		}
	}
	if cfg.DashboardID == "" {
		return cfg, fmt.Errorf("%s: no dashboard has a uuid, so nothing can be embedded: give one a uuid", s.file.Path)
	}
	if cfg.Username == "" {
		for _, a := range s.bi.Accounts {
			if a.CanGrantGuestToken {
				cfg.Username, cfg.Password = a.Username, a.Password
				break
			}
		}
	}
	if cfg.Username == "" && len(s.bi.Accounts) > 0 {
		// Nobody may mint: the demo app shows the BI host's 403, which is
		// what such a configuration is for.
		cfg.Username, cfg.Password = s.bi.Accounts[0].Username, s.bi.Accounts[0].Password
	}
	return cfg, nil
}

// listenError explains a listen failure, naming the file's key and line
// when the address came from the file.
func (s *setup) listenError(flagName, key, fileValue, addr string, err error) error {
	fix := "stop whatever listens there, or pick another address (port 0 picks a free one)"
	if s.file != nil && fileValue != "" && fileValue == addr {
		return s.file.KeyError(key, fmt.Sprintf("cannot listen on %s: %v", addr, err), fix+", or override it with -"+flagName)
	}
	return fmt.Errorf("-%s %s: cannot listen: %v; %s", flagName, addr, err, fix)
}
