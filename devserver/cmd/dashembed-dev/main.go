// Command dashembed-dev runs the mock BI host and a demo host app on two
// loopback origins, so dashboard embeds can be developed and tested without
// a real Superset, Preset, CalabiIQ or Luzmo — the demo's, or your own app's
// with your own dashboards and data from a configuration file.
//
// Usage:
//
//	dashembed-dev init [-dir DIR] [-force]     write a commented dashembed.toml and sales.csv
//	dashembed-dev [-config FILE] [-allow URL]... [-bi-addr ADDR] [-app-addr ADDR] [-dist DIR]
//	              [-ready-json FILE|-] [-token-lifetime 5m] [-strict-csrf] [-stock-headers]
//	              [-faults spec] [-v]
//
// Flags override the file. With no file, the built-in demo runs. Without
// -dist, the SDK is served from ./dist when it holds a build, else built
// from the module's sources with the Go toolchain into the user cache.
// Exit status: 0 after a clean shutdown (SIGINT or SIGTERM), 1 when the
// server cannot start or stops on an error, 2 for bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	os.Exit(exitCode(err, os.Stderr))
}

// run is the whole command: the init subcommand, or the servers until ctx
// ends. ready, when not nil, is called once both servers accept
// connections (tests use it).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(readyInfo)) error {
	if len(args) > 0 && args[0] == "init" {
		return runInit(args[1:], stdout, stderr)
	}
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, opts, stdout, stderr, ready)
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

// Error returns the message.
func (e *usageError) Error() string { return e.msg }

// exitCode reports err and picks the exit status.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "dashembed-dev:", err, "(see dashembed-dev -h)")
		return 2
	default:
		fmt.Fprintln(stderr, "dashembed-dev:", err)
		return 1
	}
}
