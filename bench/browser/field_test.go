package browser

import (
	"slices"
	"testing"
)

func TestVisitCountsSDKAndWasmBytes(t *testing.T) {
	const prefix = "http://localhost:1/bench/sdk/dashembed/"
	var v Visit
	v.account([]request{
		{url: prefix + "dashembed.js", wireBytes: 8000, encoding: "br", finished: true},
		{url: prefix + "dashembed.1a2b3c4d.wasm.gz?v=1", wireBytes: 700_000, finished: true},
		{url: prefix + "dashembed.1a2b3c4d.wasm", wireBytes: 0, finished: true, fromCache: true},
		{url: "http://localhost:1/bench/heavy/entry.js", wireBytes: 1_500_000, finished: true},
	}, prefix)
	if v.SDKWireBytes != 708_000 || v.WasmWireBytes != 700_000 {
		t.Errorf("SDK %v, wasm %v bytes; want 708000 and 700000 (the heavy page is not the SDK's)", v.SDKWireBytes, v.WasmWireBytes)
	}
	slices.Sort(v.SDKEncodings)
	if want := []string{"br", "identity", "identity (from cache)"}; !slices.Equal(v.SDKEncodings, want) {
		t.Errorf("encodings %v, want %v", v.SDKEncodings, want)
	}
}
