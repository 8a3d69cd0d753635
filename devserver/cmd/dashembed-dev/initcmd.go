package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/dashembed/dashembed/devserver"
)

// runInit is `dashembed-dev init`: write a commented starter configuration
// and the sample data it loads.
func runInit(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("dashembed-dev init", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("dir", ".", "directory to write dashembed.toml and sales.csv to")
	force := fl.Bool("force", false, "replace existing files")
	if err := fl.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return &usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return &usageError{fmt.Sprintf("init: unexpected arguments %q", fl.Args())}
	}
	path, err := devserver.WriteStarter(*dir, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and its sample data %s\nrun:  dashembed-dev -config %s\n",
		path, devserver.StarterCSVName, path)
	return nil
}
