package report

import (
	"math"
	"strings"
	"testing"
)

func TestTableShowsRatioGoalAndStatus(t *testing.T) {
	r := Report{Rows: []Row{
		{Section: "Size", Metric: "brotli", Unit: Bytes, Ours: V(500_000), Ref: V(2_000), Goal: "≤ 600 KB", Met: B(true)},
		{Section: "Size", Metric: "token", Unit: Millis, Ours: V(12), Ref: V(10), Goal: "≤ 1.1×", Met: B(false)},
		{Section: "Memory", Metric: "wasm", Unit: Bytes, Ours: V(0), Ref: nil},
	}}
	table := r.Table()
	for _, want := range []string{
		"| **Size** |", "| brotli | 500 KB | 2.00 KB | 250.00× | ≤ 600 KB | met |",
		"| token | 12.0 ms | 10.0 ms | 1.20× | ≤ 1.1× | **not met** |",
		"| wasm | 0 KB | n/a |  |  |  |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

func TestVDropsNaN(t *testing.T) {
	if V(math.NaN()) != nil {
		t.Error("NaN must be n/a")
	}
}
