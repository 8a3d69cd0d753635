package options

import (
	"math"
	"testing"
)

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

func TestFormatJSNumber(t *testing.T) {
	tenth := 0.1 // a variable, so that 0.1+0.2 is computed in float64, not folded exactly
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{-1, "-1"},
		{1.5, "1.5"},
		{-2.25, "-2.25"},
		{100, "100"},
		{1e6, "1000000"},
		{123456789, "123456789"},
		{tenth + 0.2, "0.30000000000000004"},
		{1.0 / 3, "0.3333333333333333"},
		{0.000001, "0.000001"},
		{1e-7, "1e-7"},
		{1.5e-7, "1.5e-7"},
		{-1.5e-10, "-1.5e-10"},
		{1e20, "100000000000000000000"},
		{123456789012345680000, "123456789012345680000"},
		{1e21, "1e+21"},
		{1.25e21, "1.25e+21"},
		{9007199254740992, "9007199254740992"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{5e-324, "5e-324"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.in); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsArrayIndex(t *testing.T) {
	for k, want := range map[string]bool{
		"0": true, "7": true, "10": true, "4294967294": true,
		"": false, "01": false, "-1": false, "1.5": false, "4294967295": false,
		"99999999999": false, "a1": false, " 1": false,
	} {
		if got := isArrayIndex(k); got != want {
			t.Errorf("isArrayIndex(%q) = %v, want %v", k, got, want)
		}
	}
}

func TestSortedJSKeys(t *testing.T) {
	got := sortedKeys(map[string]any{"b": 1, "a": 1, "10": 1, "9": 1, "01": 1, "B": 1, "": 1})
	want := []string{"9", "10", "", "01", "B", "a", "b"}
	if len(got) != len(want) {
		t.Fatalf("sortedKeys = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sortedKeys = %q, want %q", got, want)
		}
	}
}
