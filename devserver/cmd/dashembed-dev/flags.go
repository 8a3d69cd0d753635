package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// options are the command line's settings. set records which flags were
// given, because a flag overrides the configuration file only then.
type options struct {
	config, biAddr, appAddr, dist, readyJSON string
	allow                                    []string
	lifetime                                 time.Duration
	strictCSRF, stock, verbose               bool
	faults                                   devserver.Faults
	misconfig                                func(*devserver.Config)
	set                                      map[string]bool
}

// originList is a repeatable -allow flag.
type originList []string

// String lists the origins.
func (l *originList) String() string { return strings.Join(*l, ",") }

// Set checks and adds one origin.
func (l *originList) Set(v string) error {
	if err := devserver.CheckOrigin(v); err != nil {
		return err
	}
	*l = append(*l, v)
	return nil
}

// parseFlags reads the serve command's flags; every mistake is a
// usageError.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var allow originList
	var faults string
	fl := flag.NewFlagSet("dashembed-dev", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  dashembed-dev init [-dir DIR] [-force]   write a commented dashembed.toml and sample data\n  dashembed-dev [flags]                    run the mock BI host and the demo host app\n\nFlags (they override -config's file):\n")
		fl.PrintDefaults()
	}
	fl.StringVar(&o.config, "config", "", "configuration `FILE` (TOML; 'dashembed-dev init' writes a starter one)")
	fl.Var(&allow, "allow", "an origin (`URL`) allowed to embed every dashboard, e.g. http://localhost:3000 (repeatable; * allows any)")
	fl.StringVar(&o.biAddr, "bi-addr", "127.0.0.1:8088", "listen address of the mock BI host (port 0: a free one)")
	fl.StringVar(&o.appAddr, "app-addr", "127.0.0.1:8080", "listen address of the demo host app (port 0: a free one)")
	fl.StringVar(&o.dist, "dist", "", "`DIR` of a built SDK to serve (default: ./dist if built, else build it with the Go toolchain)")
	fl.StringVar(&o.readyJSON, "ready-json", "", "once listening, write URLs, credentials and embed uuids as JSON to `FILE` (- for one line on stdout)")
	fl.DurationVar(&o.lifetime, "token-lifetime", 5*time.Minute, "guest token lifetime")
	fl.BoolVar(&o.strictCSRF, "strict-csrf", false, "require X-CSRFToken on the guest-token endpoint, as stock Superset does")
	fl.BoolVar(&o.stock, "stock-headers", false, "send X-Frame-Options: SAMEORIGIN like stock Superset (blocks cross-origin embeds)")
	fl.StringVar(&faults, "faults", "", "faults to inject from the start, e.g. token_lifetime=20s,guest_token_fail=2")
	fl.BoolVar(&o.verbose, "v", false, "log every request")
	o.misconfig = misconfigFlags(fl)
	if err := fl.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return o, err
		}
		return o, &usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return o, &usageError{fmt.Sprintf("unexpected arguments %q", fl.Args())}
	}
	o.set = map[string]bool{}
	fl.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	o.allow = allow
	f, err := devserver.ParseFaults(faults)
	if err != nil {
		return o, &usageError{fmt.Sprintf("-faults: %v", err)}
	}
	o.faults = f
	if o.lifetime <= 0 {
		return o, &usageError{"-token-lifetime must be positive"}
	}
	return o, nil
}
