package main

import (
	"testing"

	"github.com/dashembed/dashembed/bench/browser"
	"github.com/dashembed/dashembed/bench/report"
)

func visit(token, resolved, firstCall, sdkBytes, wasmBytes float64) browser.Visit {
	return browser.Visit{
		Timeline:  browser.Timeline{Token: token, Resolved: resolved},
		FirstCall: firstCall, SDKWireBytes: sdkBytes, WasmWireBytes: wasmBytes,
	}
}

// row finds a row by section and metric.
func row(t *testing.T, rows []report.Row, section, metric string) report.Row {
	t.Helper()
	for _, r := range rows {
		if r.Section == section && r.Metric == metric {
			return r
		}
	}
	t.Fatalf("no row %q / %q", section, metric)
	return report.Row{}
}

func TestFieldRowsJudgeMediansAgainstTheGoals(t *testing.T) {
	const cell = "10 Mbit/s, 40 ms, brotli"
	r := &results{}
	// Three runs each: the medians are the middle values, whatever the
	// order.
	for i, x := range []float64{1, 3, 2} {
		r.field = append(r.field,
			browser.FieldResult{SDK: ours, Cell: cell,
				First:  visit(1040+x, 2000+x, 2000+x, 640_000+x, 600_000),
				Second: visit(500, 500, 500, 200, float64(i%2)*300)},
			browser.FieldResult{SDK: official, Cell: cell,
				First:  visit(1000+x, 1000+x, 1000+x, 3000, 0),
				Second: visit(500, 500, 500, 200, 0)})
	}
	rows := r.fieldRows(cell, true)
	first, second := "Field, first visit: "+cell, "Field, second visit (HTTP cache from the first): "+cell

	token := row(t, rows, first, "call → token in page")
	if *token.Ours != 1042 || *token.Ref != 1002 || token.Met == nil || !*token.Met {
		t.Errorf("token 1042 against 1002 (1.04×) must meet ≤ 1.05×: %+v", token)
	}
	if res := row(t, rows, first, "call → Promise resolved"); res.Met == nil || *res.Met {
		t.Errorf("resolve 2002 against 1002 must fail ≤ 1.1×: %+v", res)
	}
	if b := row(t, rows, first, "SDK bytes on the wire"); b.Goal != "dashembed ≤ 650 KB" || b.Met == nil || !*b.Met {
		t.Errorf("640 KB with brotli must meet ≤ 650 KB: %+v", b)
	}
	if b := r.fieldRows(cell, false); row(t, b, first, "SDK bytes on the wire").Goal != "dashembed ≤ 1.0 MB" {
		t.Error("without compression the budget is 1.0 MB")
	}
	wasm := row(t, rows, second, "wasm bytes on the wire")
	// Runs with 0, 300 and 0 wasm bytes: the median is 0, goal met.
	if *wasm.Ours != 0 || wasm.Ref != nil || wasm.Met == nil || !*wasm.Met {
		t.Errorf("second-visit wasm bytes: %+v", wasm)
	}
}
