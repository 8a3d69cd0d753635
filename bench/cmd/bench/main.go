// Command bench compares dashembed with @superset-ui/embedded-sdk 0.4.0 in
// headless Chromium and loads the mock BI host next to a bare net/http
// handler. In the lab (a small page): bytes, cold and warm embed times on
// loopback and on an emulated network, the getScrollSize round trip, memory
// over mount/unmount cycles, idle CPU. In the field (a heavy dashboard page
// on another site, both origins behind one shaped link, two link profiles
// by server compression on and off): token, resolve, first call and bytes
// of a first visit, and a second visit with the cache the first left. It
// prints one markdown table and writes bench-results.json and BENCHMARKS.md.
//
//	go run ./bench/cmd/bench [-runs 10] [-field-runs 5] [-load-duration 10s]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/bench/browser"
	"github.com/dashembed/dashembed/bench/link"
	"github.com/dashembed/dashembed/bench/load"
	"github.com/dashembed/dashembed/bench/report"
	"github.com/dashembed/dashembed/bench/site"
	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/internal/chromium"
	"github.com/dashembed/dashembed/wasm/bundle"
)

// The two SDKs, by the names used in URLs and results.
const (
	ours     = "dashembed"
	official = "official"
)

// officialVersion is the pinned version in bench/npm/package.json.
const officialVersion = "0.4.0"

// config is the command line.
type config struct {
	runs         int
	fieldRuns    int
	loadDuration time.Duration
	loadConns    int
	cycles       int
	roundTrips   int
	idleSamples  int
	idle         time.Duration
	jsonPath     string
	mdPath       string
}

func main() {
	var c config
	flag.IntVar(&c.runs, "runs", 10, "lab browser runs per SDK and network profile (alternating dashembed, official)")
	flag.IntVar(&c.fieldRuns, "field-runs", 5, "field runs per SDK and cell (alternating; each is a first and a second visit); 0 skips the field")
	// 10 s per target keeps the load phase to under a minute of a `make
	// bench` that the field cells make long; pass -load-duration 30s for
	// steadier numbers.
	flag.DurationVar(&c.loadDuration, "load-duration", 10*time.Second, "measured time of each dev-server load run")
	flag.IntVar(&c.loadConns, "load-conns", 64, "concurrent connections of the load generator")
	flag.IntVar(&c.cycles, "cycles", 100, "mount/unmount cycles of the memory measurement")
	flag.IntVar(&c.roundTrips, "round-trips", 200, "sequential getScrollSize calls per loopback run")
	flag.IntVar(&c.idleSamples, "idle-samples", 3, "loopback runs per SDK that also measure idle CPU")
	flag.DurationVar(&c.idle, "idle", 5*time.Second, "idle window after embedding")
	flag.StringVar(&c.jsonPath, "json", "bench/bench-results.json", "where to write the JSON results (relative to the module root)")
	flag.StringVar(&c.mdPath, "md", "BENCHMARKS.md", "where to write BENCHMARKS.md (relative to the module root)")
	soak := flag.Duration("soak", 0, "instead of the benchmarks, keep one dashboard of each SDK embedded this long (10m) with 12 s tokens and a flapping network, and write its section of BENCHMARKS.md")
	flag.Parse()
	if *soak > 0 {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := runSoak(ctx, c, *soak); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if c.runs < 1 || c.fieldRuns < 0 || c.cycles < 1 || c.loadConns < 1 || c.loadDuration <= 0 {
		fmt.Fprintln(os.Stderr, "bench: -runs, -cycles, -load-conns and -load-duration must be positive, -field-runs not negative")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// logf reports progress on stderr, so that stdout is the table alone.
var started = time.Now()

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%5.1fs] %s\n", time.Since(started).Seconds(), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, c config) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	// Found before the slow build, so that a missing browser fails at once.
	chromiumPath, err := chromium.Find()
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	// Read before the build, so that the load average says how busy the
	// machine was before this command added to it.
	machine := report.DescribeMachine("")
	tmp, err := os.MkdirTemp("", "dashembed-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	oursDir, err := buildOurs(tmp)
	if err != nil {
		return err
	}
	logf("installing @superset-ui/embedded-sdk@%s (npm ci)", officialVersion)
	officialDir, err := installOfficial(ctx, filepath.Join(root, "bench", "npm"))
	if err != nil {
		return err
	}
	logf("loading both SDKs' files (compressed on first use: gzip -9, brotli q11)")
	oursSDK, err := site.LoadSDK(ours, oursDir, bundle.ScriptFile)
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
	logf("BI host %s, host app %s", s.BIURL, s.HostURL)

	b, err := browser.Start(chromiumPath)
	if err != nil {
		return err
	}
	// An interrupt closes the browser, which fails the run in progress at
	// once instead of after the phase.
	stopClosing := context.AfterFunc(ctx, b.Close)
	defer stopClosing()
	res := &results{sdks: map[string]*site.SDK{ours: oursSDK, official: officialSDK}}
	machine.Browser = b.Version()
	berr := browserPhase(ctx, c, b, s, res)
	b.Close()
	if berr != nil {
		return berr
	}
	if err := loadPhase(ctx, c, s, res); err != nil {
		return err
	}

	rep := report.Report{
		Date:     time.Now(),
		Duration: time.Since(started).Round(time.Second),
		Command:  commandLine(),
		Machine:  machine,
		Settings: map[string]any{
			"runs": c.runs, "field_runs": c.fieldRuns, "cycles": c.cycles, "round_trips": c.roundTrips, "idle_samples": c.idleSamples,
			"idle": c.idle.String(), "load_duration": c.loadDuration.String(), "load_conns": c.loadConns,
		},
		Rows:    res.rows(c),
		Notes:   res.notes(c),
		Samples: res.samples(),
	}
	fmt.Print(rep.Table())
	jsonPath, mdPath := inRoot(root, c.jsonPath), inRoot(root, c.mdPath)
	if err := rep.WriteJSON(jsonPath); err != nil {
		return err
	}
	if err := rep.WriteMarkdown(mdPath); err != nil {
		return err
	}
	logf("wrote %s and %s", jsonPath, mdPath)
	return nil
}

// browserPhase runs every browser measurement, one tab at a time.
func browserPhase(ctx context.Context, c config, b *browser.Browser, s *site.Site, res *results) error {
	// One discarded run per SDK first: it warms the host app's cached
	// service login, the Go servers and Chromium's own start-up paths,
	// which would otherwise all land on the first measured run.
	for _, sdk := range []string{ours, official} {
		if _, err := b.Run(s, sdk, browser.Loopback, browser.RunOptions{}); err != nil {
			return fmt.Errorf("bench: warm-up run with %s failed, so every run would: %w", sdk, err)
		}
	}
	for _, prof := range []browser.Profile{browser.Loopback, browser.Throttled} {
		logf("%d runs per SDK, %s", c.runs, prof.Name)
		for i := range c.runs {
			// A B A B: both SDKs see the same drift of a shared machine.
			for _, sdk := range []string{ours, official} {
				if err := ctx.Err(); err != nil {
					return err
				}
				opts := browser.RunOptions{}
				if prof == browser.Loopback {
					opts.RoundTrips = c.roundTrips
					if i < c.idleSamples {
						opts.Idle = c.idle
					}
				}
				r, err := b.Run(s, sdk, prof, opts)
				if err != nil {
					logf("run %d (%s, %s) failed: %v", i+1, sdk, prof.Name, err)
					res.failures = append(res.failures, fmt.Sprintf("%s, %s, run %d: %v", sdk, prof.Name, i+1, err))
					continue
				}
				res.runs = append(res.runs, r)
			}
		}
	}
	if err := memoryPhase(ctx, c, b, s, res); err != nil {
		return err
	}
	return fieldPhase(ctx, c, b, s, res)
}

// memoryPhase runs the mount/unmount cycles, one tab per SDK.
func memoryPhase(ctx context.Context, c config, b *browser.Browser, s *site.Site, res *results) error {
	for _, sdk := range []string{ours, official} {
		if err := ctx.Err(); err != nil {
			return err
		}
		logf("memory: %d mount/unmount cycles with %s", c.cycles, sdk)
		m, err := b.Memory(s, sdk, c.cycles)
		if err != nil {
			logf("memory with %s failed: %v", sdk, err)
			res.failures = append(res.failures, fmt.Sprintf("%s, memory: %v", sdk, err))
			continue
		}
		res.memory = append(res.memory, m)
	}
	return nil
}

// fieldProfile is one of the field's links, from the field measurements
// the goals were set on.
type fieldProfile struct {
	name string
	link link.Profile
	// cpu slows the host page and the dashboard's iframe (1: not).
	cpu float64
}

var fieldProfiles = []fieldProfile{
	{name: "10 Mbit/s, 40 ms", link: link.Profile{Mbps: 10, Latency: 40 * time.Millisecond}, cpu: 1},
	{name: "1.6 Mbit/s, 150 ms, CPU 4×", link: link.Profile{Mbps: 1.6, Latency: 150 * time.Millisecond}, cpu: 4},
}

// fieldCell is a link profile with the server's compression on or off.
type fieldCell struct {
	fieldProfile
	compress bool
}

// name labels the cell in the results.
func (c fieldCell) name() string {
	if c.compress {
		return c.fieldProfile.name + ", brotli"
	}
	return c.fieldProfile.name + ", no compression"
}

// fieldCells are every profile by compression off and on.
func fieldCells() []fieldCell {
	var cells []fieldCell
	for _, p := range fieldProfiles {
		for _, compress := range []bool{false, true} {
			cells = append(cells, fieldCell{p, compress})
		}
	}
	return cells
}

// fieldPhase runs the field cells: the heavy page, one shaped link for
// both origins, alternating SDKs, each run a first and a second visit.
func fieldPhase(ctx context.Context, c config, b *browser.Browser, s *site.Site, res *results) error {
	if c.fieldRuns == 0 {
		return nil
	}
	// Back to the lab's conditions whatever happens.
	defer func() {
		s.Link.Set(link.Profile{})
		s.SetConditions(site.Conditions{Compress: true})
	}()
	cells := fieldCells()
	// One discarded run per SDK in the quickest cell, for the same reason
	// as the lab's warm-up, and because the cross-site origin is new here.
	warm := cells[1]
	s.Link.Set(warm.link)
	s.SetConditions(site.Conditions{Compress: warm.compress, Heavy: true})
	for _, sdk := range []string{ours, official} {
		if _, err := b.FieldRun(s, sdk, warm.name(), warm.cpu); err != nil {
			return fmt.Errorf("bench: field warm-up run with %s failed, so every run would: %w", sdk, err)
		}
	}
	for _, cell := range cells {
		s.Link.Set(cell.link)
		s.SetConditions(site.Conditions{Compress: cell.compress, Heavy: true})
		logf("field: %d runs per SDK, %s", c.fieldRuns, cell.name())
		for i := range c.fieldRuns {
			for _, sdk := range []string{ours, official} {
				if err := ctx.Err(); err != nil {
					return err
				}
				r, err := b.FieldRun(s, sdk, cell.name(), cell.cpu)
				if err != nil {
					logf("field run %d (%s, %s) failed: %v", i+1, sdk, cell.name(), err)
					res.failures = append(res.failures, fmt.Sprintf("%s, %s, run %d: %v", sdk, cell.name(), i+1, err))
					continue
				}
				logf("  run %d, %s: token %.0f ms, resolved %.0f ms, SDK %.0f KB; second visit: token %.0f ms",
					i+1, sdk, r.First.Token, r.First.Resolved, r.First.SDKWireBytes/1000, r.Second.Token)
				res.field = append(res.field, r)
			}
		}
	}
	return nil
}

// loadPhase runs the minting benchmark and the load generator, after the
// browser is gone so that it does not compete for the cores.
func loadPhase(ctx context.Context, c config, s *site.Site, res *results) error {
	logf("guest-token minting: Go benchmark (in-process)")
	bench, closeHost, err := load.MintBenchmark()
	if err != nil {
		return err
	}
	br := testing.Benchmark(bench)
	closeHost()
	res.mint = &br

	bare := httptest.NewUnstartedServer(load.Bare())
	bare.Start()
	defer bare.Close()
	if !strings.HasPrefix(bare.URL, "http://127.") {
		return fmt.Errorf("bench: the bare server listens on %s, not loopback", bare.URL)
	}
	access, err := load.Login(s.BI)
	if err != nil {
		return err
	}
	body := load.GuestTokenBody()
	targets := []load.Target{
		{Name: "bare", Method: http.MethodPost, URL: bare.URL + "/", Body: body,
			Header: http.Header{"Content-Type": {"application/json"}}},
		{Name: "guest_token", Method: http.MethodPost, URL: s.BIURL + "/api/v1/security/guest_token/", Body: body,
			Header: http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + access}}},
		{Name: "embedded_page", Method: http.MethodGet, URL: s.BIURL + "/embedded/" + devserver.DemoDashboardUUID,
			Header: http.Header{"Referer": {s.HostURL + "/"}, "Accept": {"text/html"}}},
	}
	warmup := min(time.Second, c.loadDuration/5)
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return err
		}
		logf("load: %s, %d connections, %v", t.Name, c.loadConns, c.loadDuration)
		r, err := load.Run(ctx, t, load.Limits{Connections: c.loadConns, Duration: c.loadDuration, Warmup: warmup})
		if err != nil {
			return err
		}
		res.load = append(res.load, r)
	}
	return nil
}

// installOfficial runs `npm ci` on the pinned package and returns the
// directory of its script-tag bundle.
func installOfficial(ctx context.Context, dir string) (string, error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", errors.New("bench: npm not found; the official SDK is installed with npm (Debian: apt-get install -y npm)")
	}
	if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err != nil {
		return "", fmt.Errorf("bench: %s has no package-lock.json: %w", dir, err)
	}
	cmd := exec.CommandContext(ctx, npm, "ci", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("bench: npm ci in %s failed: %w\n%s", dir, err, out)
	}
	pkg := filepath.Join(dir, "node_modules", "@superset-ui", "embedded-sdk")
	data, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return "", err
	}
	if !strings.Contains(string(data), `"version": "`+officialVersion+`"`) {
		return "", fmt.Errorf("bench: npm installed a @superset-ui/embedded-sdk other than %s", officialVersion)
	}
	return filepath.Join(pkg, "bundle"), nil
}

// moduleRoot is the directory of go.mod, so that the command works from any
// directory of the module.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("bench: go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("bench: run inside the dashembed module (go.mod not found)")
	}
	return filepath.Dir(mod), nil
}

func inRoot(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, p)
}

// commandLine is how to reproduce this run.
func commandLine() string {
	args := []string{"go run ./bench/cmd/bench"}
	flag.Visit(func(f *flag.Flag) { args = append(args, "-"+f.Name+" "+f.Value.String()) })
	if len(args) == 1 {
		return "make bench"
	}
	return strings.Join(args, " ")
}
