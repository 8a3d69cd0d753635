package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dashembed/dashembed/bench/browser"
	"github.com/dashembed/dashembed/bench/site"
	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/internal/chromium"
	"github.com/dashembed/dashembed/wasm/bundle"
)

// Soak settings: short tokens, so that a ten-minute run sees about ninety
// refreshes, and the network dropping for 4 s every 45 s.
const (
	soakLifetime  = 12 * time.Second
	soakFlapEvery = 45 * time.Second
	soakFlapFor   = 4 * time.Second
)

// The soak's section of BENCHMARKS.md lies between these lines, so that a
// new soak replaces it.
const (
	soakBegin = "<!-- soak: written by go run ./bench/cmd/bench -soak -->"
	soakEnd   = "<!-- /soak -->"
)

// runSoak keeps one dashembed dashboard embedded for d with 12 s tokens and
// a flapping network, then prints its figures and writes them into
// BENCHMARKS.md. It is not part of the default run.
func runSoak(ctx context.Context, c config, d time.Duration) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	chromiumPath, err := chromium.Find()
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	tmp, err := os.MkdirTemp("", "dashembed-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dir, err := buildOurs(tmp)
	if err != nil {
		return err
	}
	sdk, err := site.LoadSDK(ours, dir, bundle.ScriptFile)
	if err != nil {
		return err
	}
	s, err := site.Start(sdk)
	if err != nil {
		return err
	}
	defer s.Close()
	s.BI.SetFaults(devserver.Faults{TokenLifetime: soakLifetime})
	b, err := browser.Start(chromiumPath)
	if err != nil {
		return err
	}
	stopClosing := context.AfterFunc(ctx, b.Close)
	defer stopClosing()
	defer b.Close()
	logf("soak: %v with %v tokens, offline %v every %v", d, soakLifetime, soakFlapFor, soakFlapEvery)
	r, err := b.Soak(s, ours, browser.SoakOptions{Duration: d, Lifetime: soakLifetime, FlapEvery: soakFlapEvery, FlapFor: soakFlapFor})
	if err != nil {
		return fmt.Errorf("bench: soak: %w", err)
	}
	section := soakSection(r, commandLine(), time.Now())
	fmt.Print(section)
	md := inRoot(root, c.mdPath)
	if err := writeSoakSection(md, section); err != nil {
		return err
	}
	logf("wrote the soak into %s", md)
	if r.Late > 0 {
		return fmt.Errorf("bench: soak: %d of %d tokens reached the dashboard after the one before had expired", r.Late, r.Tokens)
	}
	return nil
}

// soakSection is the markdown of a soak's figures.
func soakSection(r browser.SoakResult, command string, at time.Time) string {
	kb := func(b float64) string { return fmt.Sprintf("%.0f KB", b/1024) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## Soak\n\n", soakBegin)
	b.WriteString("Not part of `make bench` (which rewrites this file without it): run `go run ./bench/cmd/bench -soak 10m` after it. ")
	fmt.Fprintf(&b, "One dashboard embedded for %.0f s after a %v warm-up, tokens living %.0f s, the tab offline for %v every %v (%d times). `%s`, %s.\n\n",
		r.Seconds, 30*time.Second, r.Lifetime, soakFlapFor, soakFlapEvery, r.Flaps, command, at.UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString("| metric | value |\n| --- | ---: |\n")
	fmt.Fprintf(&b, "| tokens refreshed | %d |\n", r.Tokens)
	fmt.Fprintf(&b, "| delivered after the previous one expired | %d |\n", r.Late)
	fmt.Fprintf(&b, "| longest wait between two tokens | %.0f ms |\n", r.MaxGap)
	fmt.Fprintf(&b, "| JS heap, warmed up → end | %s → %s (%+.0f KB) |\n", kb(r.HeapBefore), kb(r.HeapAfter), (r.HeapAfter-r.HeapBefore)/1024)
	fmt.Fprintf(&b, "| wasm memory, warmed up → end | %s → %s (%+.0f KB) |\n", kb(r.WasmBefore), kb(r.WasmAfter), (r.WasmAfter-r.WasmBefore)/1024)
	var trace []string
	for _, w := range r.WasmTrace {
		trace = append(trace, fmt.Sprintf("%.0f", w/1024))
	}
	fmt.Fprintf(&b, "| wasm memory after each flap (KB) | %s |\n", strings.Join(trace, " "))
	var heaps []string
	for _, h := range r.HeapTrace {
		heaps = append(heaps, fmt.Sprintf("%.0f", h/1024))
	}
	fmt.Fprintf(&b, "| JS heap after each flap (KB, after GC) | %s |\n", strings.Join(heaps, " "))
	fmt.Fprintf(&b, "%s\n", soakEnd)
	return b.String()
}

// writeSoakSection replaces the soak section of the markdown file at path,
// or appends one.
func writeSoakSection(path, section string) error {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	text := string(data)
	if i := strings.Index(text, soakBegin); i >= 0 {
		if j := strings.Index(text[i:], soakEnd); j >= 0 {
			text = text[:i] + section + strings.TrimPrefix(text[i+j+len(soakEnd):], "\n")
			return os.WriteFile(path, []byte(text), 0o644)
		}
	}
	if text != "" && !strings.HasSuffix(text, "\n\n") {
		text = strings.TrimRight(text, "\n") + "\n\n"
	}
	return os.WriteFile(path, []byte(text+section), 0o644)
}

// buildOurs builds dashembed's package files into a directory under tmp and
// returns it.
func buildOurs(tmp string) (string, error) {
	logf("building dashembed (bundle.Build)")
	dir := filepath.Join(tmp, "dashembed")
	if err := bundle.Build(bundle.Options{OutDir: dir}); err != nil {
		return "", fmt.Errorf("bench: building dashembed: %w", err)
	}
	return dir, nil
}
