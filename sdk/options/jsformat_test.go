package options

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
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

func TestSortStable(t *testing.T) {
	byKey := func(a, b Param) int { return CompareKeys(a.Key, b.Key) }
	// Value records each parameter's place in the input, so a test can see
	// that equal keys kept their order.
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"nil", nil, nil},
		{"empty", []string{}, []string{}},
		{"one", []string{"a"}, []string{"a"}},
		{"one index", []string{"3"}, []string{"3"}},
		{"sorted", []string{"1", "2", "a"}, []string{"1", "2", "a"}},
		{"reversed", []string{"b", "a", "10", "2", "0"}, []string{"0", "2", "10", "b", "a"}},
		{"non-index keys keep order", []string{"z", "a", "m", "01", "x"}, []string{"z", "a", "m", "01", "x"}},
		{"indices move ahead", []string{"z", "5", "a", "1", "m", "4294967294"}, []string{"1", "5", "4294967294", "z", "a", "m"}},
		{"repeated keys keep order", []string{"k", "1", "k", "1", "k"}, []string{"1", "1", "k", "k", "k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q []Param
			if tt.in != nil {
				q = []Param{}
			}
			for i, k := range tt.in {
				q = append(q, Param{Key: k, Value: strconv.Itoa(i)})
			}
			SortStable(q, byKey)
			if len(q) != len(tt.want) {
				t.Fatalf("got %v, want keys %q", q, tt.want)
			}
			for i := range q {
				if q[i].Key != tt.want[i] {
					t.Fatalf("got %v, want keys %q", q, tt.want)
				}
			}
			// Stability: among equal keys, input places must still ascend.
			for i := 1; i < len(q); i++ {
				if byKey(q[i-1], q[i]) == 0 {
					a, _ := strconv.Atoi(q[i-1].Value)
					b, _ := strconv.Atoi(q[i].Value)
					if a > b {
						t.Fatalf("equal keys out of input order: %v", q)
					}
				}
			}
		})
	}
}

// TestSortStableMatchesSlices checks the insertion sort against the
// standard library's stable sort, which both callers used before.
func TestSortStableMatchesSlices(t *testing.T) {
	keys := []string{"0", "1", "2", "10", "01", "a", "b", "", "4294967295"}
	byKey := func(a, b Param) int { return CompareKeys(a.Key, b.Key) }
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 2000 {
		q := make([]Param, r.IntN(12))
		for i := range q {
			q[i] = Param{Key: keys[r.IntN(len(keys))], Value: strconv.Itoa(i)}
		}
		want := slices.Clone(q)
		slices.SortStableFunc(want, byKey)
		SortStable(q, byKey)
		if !slices.Equal(q, want) {
			t.Fatalf("case %d: SortStable = %v, slices.SortStableFunc = %v", n, q, want)
		}
	}
}
