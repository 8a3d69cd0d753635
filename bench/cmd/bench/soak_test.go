package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/bench/browser"
)

func TestWriteSoakSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := os.WriteFile(path, []byte("# Benchmarks\n\ntable\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	official := browser.SoakResult{Seconds: 600, Lifetime: 12, Tokens: 2, Unprotected: 590_000, HeapTrace: []float64{1 << 20, 1<<20 + 2048},
		LiveTrace: []float64{1 << 20, 1<<20 + 1024, 1<<20 + 1024}}
	first := soakSection(browser.SoakResult{Seconds: 600, Lifetime: 12, Tokens: 85, MaxGap: 7100}, official, "cmd", time.Unix(0, 0))
	if err := writeSoakSection(path, first); err != nil {
		t.Fatal(err)
	}
	second := soakSection(browser.SoakResult{Seconds: 600, Lifetime: 12, Tokens: 86, MaxGap: 7000, GoValues: []int{80, 82}, WasmAfter: 4 << 20, WasmTrace: []float64{4 << 20, 4 << 20}}, official, "cmd", time.Unix(0, 0))
	if err := writeSoakSection(path, second); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "# Benchmarks\n\ntable\n\n" + second; string(got) != want {
		t.Errorf("BENCHMARKS.md after two soaks:\n%s\nwant:\n%s", got, want)
	}
	for _, row := range []string{
		"| tokens the dashboard received | 86 | 2 |",
		"| time without a valid token | 0 ms | 590000 ms |",
		"| JS values held by the SDK's Go, after each flap | 80 82 | n/a (no Go) |",
		"| wasm memory after each flap (KB) | 4096 4096 | n/a (no wasm) |",
		"| JS heap, first flap → last | n/a | +2 KB |",
		"| live objects, second half of the flaps | n/a | +0 KB |",
	} {
		if !strings.Contains(second, row+"\n") {
			t.Errorf("section lacks the row %q:\n%s", row, second)
		}
	}
}
