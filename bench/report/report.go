// Package report turns the benchmark's measurements into one markdown
// table, a JSON file and BENCHMARKS.md.
package report

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// Unit says how a row's values are printed.
type Unit string

// Units of the rows.
const (
	Bytes     Unit = "bytes"  // printed in KB (1 KB = 1000 bytes)
	Millis    Unit = "ms"     // milliseconds
	Micros    Unit = "µs"     // microseconds
	Count     Unit = "count"  // a whole number
	PerSecond Unit = "/s"     // a rate
	Percent   Unit = "% core" // share of one core
)

// Row is one line of the table: a metric for our SDK next to a reference
// (the official SDK, or for the dev server rows the bare net/http handler).
type Row struct {
	Section string `json:"section"`
	Metric  string `json:"metric"`
	Unit    Unit   `json:"unit"`
	// Ours and Ref are nil when not measured (n/a).
	Ours *float64 `json:"ours"`
	Ref  *float64 `json:"ref"`
	// Goal is the target in words; empty for a row without one.
	Goal string `json:"goal,omitempty"`
	// Met is nil when there is no goal or it could not be judged.
	Met *bool `json:"met,omitempty"`
}

// V wraps a measured value; NaN (no samples) becomes nil.
func V(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// B wraps a judgement.
func B(b bool) *bool { return &b }

// RatioValue is Ours/Ref when both exist and Ref is not zero.
func (r Row) RatioValue() *float64 {
	if r.Ours == nil || r.Ref == nil || *r.Ref == 0 {
		return nil
	}
	return V(*r.Ours / *r.Ref)
}

// Machine describes where the numbers were taken.
type Machine struct {
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	MemoryGB string `json:"memory"`
	OS       string `json:"os"`
	Go       string `json:"go"`
	Browser  string `json:"browser"`
	// LoadAverage is /proc/loadavg at the start: a busy machine makes
	// every timing noisier, and this says how busy it was.
	LoadAverage string `json:"load_average"`
}

// Report is everything one `make bench` produced.
type Report struct {
	Date time.Time `json:"date"`
	// Duration is how long the whole command took, build included.
	Duration time.Duration  `json:"duration_ns"`
	Command  string         `json:"command"`
	Machine  Machine        `json:"machine"`
	Settings map[string]any `json:"settings"`
	Rows     []Row          `json:"rows"`
	Notes    []string       `json:"notes"`
	// Samples keeps every run's raw values, for anyone who wants more than
	// the medians.
	Samples any `json:"samples"`
}

// Table renders the rows as one markdown table, a bold line per section.
func (r Report) Table() string {
	var b strings.Builder
	b.WriteString("| metric | dashembed | reference | ratio | goal | status |\n")
	b.WriteString("| --- | ---: | ---: | ---: | --- | --- |\n")
	section := ""
	for _, row := range r.Rows {
		if row.Section != section {
			section = row.Section
			fmt.Fprintf(&b, "| **%s** | | | | | |\n", section)
		}
		ratio := "n/a"
		if v := row.RatioValue(); v != nil {
			ratio = fmt.Sprintf("%.2f×", *v)
		} else if row.Ours != nil && row.Ref == nil {
			ratio = ""
		}
		status := ""
		switch {
		case row.Goal == "":
		case row.Met == nil:
			status = "n/a"
		case *row.Met:
			status = "met"
		default:
			status = "**not met**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n",
			row.Metric, format(row.Ours, row.Unit), format(row.Ref, row.Unit), ratio, row.Goal, status)
	}
	return b.String()
}

// format prints a value in its unit with as many digits as it deserves.
func format(v *float64, u Unit) string {
	if v == nil {
		return "n/a"
	}
	x := *v
	switch u {
	case Bytes:
		return sig(x/1000) + " KB"
	case Count:
		return fmt.Sprintf("%.0f", x)
	case PerSecond:
		return fmt.Sprintf("%.0f/s", x)
	case Percent:
		return fmt.Sprintf("%.2f %%", x)
	}
	return sig(x) + " " + string(u)
}

// sig prints x with about three significant digits.
func sig(x float64) string {
	a := math.Abs(x)
	switch {
	case a == 0:
		return "0"
	case a < 1:
		return fmt.Sprintf("%.3f", x)
	case a < 10:
		return fmt.Sprintf("%.2f", x)
	case a < 100:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.0f", x)
}

// Markdown is BENCHMARKS.md: how to reproduce, where it ran, the table and
// the notes.
func (r Report) Markdown() string {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("dashembed against `@superset-ui/embedded-sdk` 0.4.0 in the same headless Chromium, ")
	b.WriteString("and the mock BI host against a bare `net/http` handler. Written by `make bench`; ")
	b.WriteString("regenerate it rather than editing it.\n\n")
	fmt.Fprintf(&b, "- Command: `%s`\n", r.Command)
	fmt.Fprintf(&b, "- Date: %s\n", r.Date.UTC().Format("2006-01-02 15:04 UTC"))
	if r.Duration > 0 {
		fmt.Fprintf(&b, "- Duration of the whole command: %v\n", r.Duration)
	}
	fmt.Fprintf(&b, "- Machine: %s, %d cores, %s memory, %s\n", r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGB, r.Machine.OS)
	fmt.Fprintf(&b, "- Toolchain: %s, %s\n", r.Machine.Go, r.Machine.Browser)
	fmt.Fprintf(&b, "- Load average at start: %s\n", r.Machine.LoadAverage)
	var keys []string
	for k, v := range r.Settings {
		keys = append(keys, fmt.Sprintf("%s=%v", k, v))
	}
	slices.Sort(keys)
	fmt.Fprintf(&b, "- Settings: %s\n\n", strings.Join(keys, ", "))
	b.WriteString("Values are medians over the runs. \"reference\" is the official SDK, except in the dev server ")
	b.WriteString("section where it is the bare `net/http` handler; \"ratio\" is dashembed / reference.\n\n")
	b.WriteString(r.Table())
	if len(r.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range r.Notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}

// WriteJSON writes the whole report, samples included.
func (r Report) WriteJSON(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// WriteMarkdown writes BENCHMARKS.md.
func (r Report) WriteMarkdown(path string) error {
	return os.WriteFile(path, []byte(r.Markdown()), 0o644)
}
