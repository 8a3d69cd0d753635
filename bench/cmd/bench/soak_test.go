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
	first := soakSection(browser.SoakResult{Seconds: 600, Lifetime: 12, Tokens: 85, MaxGap: 7100}, "cmd", time.Unix(0, 0))
	if err := writeSoakSection(path, first); err != nil {
		t.Fatal(err)
	}
	second := soakSection(browser.SoakResult{Seconds: 600, Lifetime: 12, Tokens: 86, MaxGap: 7000}, "cmd", time.Unix(0, 0))
	if err := writeSoakSection(path, second); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "# Benchmarks\n\ntable\n\n" + second; string(got) != want {
		t.Errorf("BENCHMARKS.md after two soaks:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(second, "| tokens refreshed | 86 |") {
		t.Errorf("section lacks the token count:\n%s", second)
	}
}
