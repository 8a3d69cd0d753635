package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// runSoak keeps one dashboard of each SDK embedded for d with 12 s tokens
// and a flapping network, each in a browser of its own and at the same
// time (they are idle between refreshes), then prints their figures and
// writes them into BENCHMARKS.md. It is not part of the default run.
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
	logf("installing @superset-ui/embedded-sdk@%s (npm ci)", officialVersion)
	officialDir, err := installOfficial(ctx, filepath.Join(root, "bench", "npm"))
	if err != nil {
		return err
	}
	oursSDK, err := site.LoadSDK(ours, dir, bundle.ScriptFile)
	if err != nil {
		return err
	}
	officialSDK, err := site.LoadSDK(official, officialDir, "index.js")
	if err != nil {
		return err
	}
	s, err := site.Start(oursSDK, officialSDK)
	if err != nil {
		return err
	}
	defer s.Close()
	s.BI.SetFaults(devserver.Faults{TokenLifetime: soakLifetime})
	logf("soak: %v with %v tokens, offline %v every %v, both SDKs at once", d, soakLifetime, soakFlapFor, soakFlapEvery)
	opts := browser.SoakOptions{Duration: d, Lifetime: soakLifetime, FlapEvery: soakFlapEvery, FlapFor: soakFlapFor}
	sdks := []string{ours, official}
	results := make([]browser.SoakResult, len(sdks))
	errs := make([]error, len(sdks))
	var wg sync.WaitGroup
	for i, sdk := range sdks {
		wg.Go(func() {
			b, err := browser.Start(chromiumPath)
			if err != nil {
				errs[i] = err
				return
			}
			defer b.Close()
			stopClosing := context.AfterFunc(ctx, b.Close)
			defer stopClosing()
			results[i], errs[i] = b.Soak(s, sdk, opts)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("bench: soak of %s: %w", sdk, errs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	section := soakSection(results[0], results[1], commandLine(), time.Now())
	fmt.Print(section)
	md := inRoot(root, c.mdPath)
	if err := writeSoakSection(md, section); err != nil {
		return err
	}
	logf("wrote the soak into %s", md)
	if r := results[0]; r.Late > 0 || r.Unprotected > 0 {
		return fmt.Errorf("bench: soak: %d of %d tokens reached the dashboard after the one before had expired (%.0f ms without a valid token)", r.Late, r.Tokens, r.Unprotected)
	}
	return nil
}

// soakSection is the markdown of the soak's figures: dashembed's (ours)
// beside the official SDK's (theirs), which ran at the same time.
func soakSection(ours, theirs browser.SoakResult, command string, at time.Time) string {
	kb := func(b float64) string { return fmt.Sprintf("%.0f KB", b/1024) }
	growth := func(trace []float64) string {
		if len(trace) < 2 {
			return "n/a"
		}
		return fmt.Sprintf("%+.0f KB", (trace[len(trace)-1]-trace[0])/1024)
	}
	lateHalf := func(trace []float64) string {
		if len(trace) < 2 {
			return "n/a"
		}
		return growth(trace[(len(trace)-1)/2:])
	}
	kbTrace := func(trace []float64) string {
		if len(trace) == 0 {
			return "n/a"
		}
		var parts []string
		for _, v := range trace {
			parts = append(parts, fmt.Sprintf("%.0f", v/1024))
		}
		return strings.Join(parts, " ")
	}
	wasmTrace := func(r browser.SoakResult) string {
		if r.WasmBefore == 0 && r.WasmAfter == 0 {
			return "n/a (no wasm)"
		}
		return kbTrace(r.WasmTrace)
	}
	goValues := func(r browser.SoakResult) string {
		if len(r.GoValues) == 0 {
			return "n/a (no Go)"
		}
		var parts []string
		for _, n := range r.GoValues {
			parts = append(parts, fmt.Sprint(n))
		}
		return strings.Join(parts, " ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## Soak\n\n", soakBegin)
	b.WriteString("Not part of `make bench` (which rewrites this file without it): run `go run ./bench/cmd/bench -soak 10m` after it. ")
	fmt.Fprintf(&b, "One dashboard of each SDK embedded for %.0f s after a %v warm-up, at the same time, each in a browser of its own; tokens living %.0f s, "+
		"the tab offline for %v every %v (%d times). Tokens are counted inside the dashboard's document, their expiry is their `exp` claim. "+
		"Memory is read after each flap, after garbage collection; the live objects are the self sizes of every object in a heap snapshot but array buffers' contents (the wasm memory, read on its own). `%s`, %s.\n\n",
		ours.Seconds, 30*time.Second, ours.Lifetime, soakFlapFor, soakFlapEvery, ours.Flaps, command, at.UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString("| metric | dashembed | @superset-ui/embedded-sdk |\n| --- | ---: | ---: |\n")
	row := func(metric, a, z string) { fmt.Fprintf(&b, "| %s | %s | %s |\n", metric, a, z) }
	row("tokens the dashboard received", fmt.Sprint(ours.Tokens), fmt.Sprint(theirs.Tokens))
	row("received after the previous one expired", fmt.Sprint(ours.Late), fmt.Sprint(theirs.Late))
	row("time without a valid token", fmt.Sprintf("%.0f ms", ours.Unprotected), fmt.Sprintf("%.0f ms", theirs.Unprotected))
	row("longest wait between two tokens", fmt.Sprintf("%.0f ms", ours.MaxGap), fmt.Sprintf("%.0f ms", theirs.MaxGap))
	row("JS values held by the SDK's Go, after each flap", goValues(ours), goValues(theirs))
	row("wasm memory after each flap (KB)", wasmTrace(ours), wasmTrace(theirs))
	row("JS heap after each flap (KB)", kbTrace(ours.HeapTrace), kbTrace(theirs.HeapTrace))
	row("JS heap, first flap → last", growth(ours.HeapTrace), growth(theirs.HeapTrace))
	row("JS heap, second half of the flaps", lateHalf(ours.HeapTrace), lateHalf(theirs.HeapTrace))
	row("JS heap, warmed up → end", kb(ours.HeapBefore)+" → "+kb(ours.HeapAfter), kb(theirs.HeapBefore)+" → "+kb(theirs.HeapAfter))
	row("live objects in a heap snapshot after each flap (KB)", kbTrace(ours.LiveTrace), kbTrace(theirs.LiveTrace))
	row("live objects, first flap → last", growth(ours.LiveTrace), growth(theirs.LiveTrace))
	row("live objects, second half of the flaps", lateHalf(ours.LiveTrace), lateHalf(theirs.LiveTrace))
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
