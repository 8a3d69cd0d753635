// Command dashembed-doctor checks a dashboard-embedding deployment from the
// host app's point of view and says what to change when an embedded
// dashboard stays blank.
//
// Usage:
//
//	dashembed-doctor -bi https://bi.example.com -host-origin https://app.example.com \
//	    -dashboard <id|uuid> (-user U -password P | -api-key K |
//	    -preset-token T -preset-secret S -preset-team T -preset-workspace W)
//	    [-token-header X-GuestToken] [-sdk URL|DIR] [-timeout 10s] [-no-browser] [-json]
//
// It exits 0 when no check failed, 1 when one did, and 2 for bad flags.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/dashembed/dashembed/doctor"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, runs the doctor and writes its report; it returns the
// exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o doctor.Options
	fl := flag.NewFlagSet("dashembed-doctor", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&o.BI, "bi", "", "the BI host's base URL, e.g. https://bi.example.com")
	fl.StringVar(&o.HostOrigin, "host-origin", "", "the origin of the app that embeds, e.g. https://app.example.com")
	fl.StringVar(&o.Dashboard, "dashboard", "", "the dashboard's id, slug or embedded UUID")
	fl.StringVar(&o.Username, "user", "", "service account username (Superset login)")
	fl.StringVar(&o.Password, "password", "", "service account password")
	fl.StringVar(&o.Provider, "provider", "", "login provider: db (default) or ldap")
	fl.StringVar(&o.APIKey, "api-key", "", "CalabiIQ API key, instead of a login")
	fl.StringVar(&o.PresetToken, "preset-token", "", "Preset API token name")
	fl.StringVar(&o.PresetSecret, "preset-secret", "", "Preset API token secret")
	fl.StringVar(&o.PresetTeam, "preset-team", "", "Preset team slug")
	fl.StringVar(&o.PresetWorkspace, "preset-workspace", "", "Preset workspace slug")
	fl.StringVar(&o.PresetAPI, "preset-api", "", "Preset Manager API address (default Preset's)")
	fl.StringVar(&o.TokenHeader, "token-header", "", "guest token header (GUEST_TOKEN_HEADER_NAME; default X-GuestToken)")
	fl.StringVar(&o.SDK, "sdk", "", "the SDK script's URL or a built SDK directory (default: the BI host's /static/assets/embedded.js)")
	fl.DurationVar(&o.Timeout, "timeout", 0, "timeout of each probe (default 10s)")
	fl.BoolVar(&o.NoBrowser, "no-browser", false, "leave out the headless-browser check")
	asJSON := fl.Bool("json", false, "write the report as JSON")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "dashembed-doctor: unexpected arguments %q\n", fl.Args())
		return 2
	}
	rep, err := doctor.Run(ctx, o)
	if err != nil {
		// An *OptionError names the flag; say it in the command's name.
		fmt.Fprintln(stderr, "dashembed-doctor:", strings.TrimPrefix(err.Error(), "doctor: "))
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dashembed-doctor:", err)
		return 1
	}
	if rep.Failed() {
		return 1
	}
	return 0
}
