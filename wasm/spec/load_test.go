package spec

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/wasm/loader"
)

// TestLoadFailuresSayWhatToFix: each reason has a message that starts like
// every SDK message, uses only the placeholders the loader fills, names the
// URL it tried where there is one, and names the fix the reason needs.
func TestLoadFailuresSayWhatToFix(t *testing.T) {
	fixes := map[string][]string{
		LoadCSP:      {"'wasm-unsafe-eval'", "script-src"},
		LoadNotFound: {"{url}", "DASHEMBED_WASM_URL", "next to", "esbuild"},
		LoadHTTP:     {"{url}", "{status}"},
		LoadNotWasm:  {"{url}", "{type}", "DASHEMBED_WASM_URL"},
		LoadCORS:     {"{url}", "{origin}", "Access-Control-Allow-Origin", "DASHEMBED_WASM_URL"},
		LoadOffline:  {"{url}", "offline"},
		LoadNetwork:  {"{url}", "connect-src"},
		LoadCompile:  {"{url}", "{detail}", "same build"},
	}
	placeholder := regexp.MustCompile(`\{(\w+)\}`)
	filled := []string{"url", "origin", "status", "type", "detail"}
	if len(LoadFailures) != len(LoadReasons) {
		t.Errorf("LoadFailures has %d messages for %d reasons", len(LoadFailures), len(LoadReasons))
	}
	for _, reason := range LoadReasons {
		msg, ok := LoadFailures[reason]
		if !ok {
			t.Errorf("reason %q has no message", reason)
			continue
		}
		if !strings.HasPrefix(msg, "dashembed: ") {
			t.Errorf("%s: message does not start with \"dashembed: \": %s", reason, msg)
		}
		for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
			if !slices.Contains(filled, m[1]) {
				t.Errorf("%s: the loader does not fill {%s}", reason, m[1])
			}
		}
		for _, want := range fixes[reason] {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: message lacks %q: %s", reason, want, msg)
			}
		}
	}
}

// TestLoaderReasonsAreGos: the reasons boot.js fails with (its
// failure('<reason>', …) calls) are keys of LoadFailures, and it uses
// every one.
func TestLoaderReasonsAreGos(t *testing.T) {
	src, err := fs.ReadFile(loader.Files, "boot.js")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`failure\(\s*'([^']*)'`).FindAllStringSubmatch(string(src), -1) {
		used[m[1]] = true
		if _, ok := LoadFailures[m[1]]; !ok {
			t.Errorf("boot.js fails with reason %q, which wasm/spec does not define", m[1])
		}
	}
	// networkReason returns the fetch failures' reasons.
	for _, m := range regexp.MustCompile(`return '([a-z-]+)';`).FindAllStringSubmatch(string(src), -1) {
		used[m[1]] = true
		if _, ok := LoadFailures[m[1]]; !ok {
			t.Errorf("boot.js gives reason %q, which wasm/spec does not define", m[1])
		}
	}
	for _, r := range LoadReasons {
		if !used[r] {
			t.Errorf("boot.js never fails with reason %q", r)
		}
	}
}
