package sdk

import (
	"math"
	"testing"
)

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

func TestEncodeQuery(t *testing.T) {
	tests := []struct {
		name   string
		params []Param
		want   string
	}{
		{"none", nil, ""},
		{"plain", []Param{{"a", "b"}, {"c", "d"}}, "a=b&c=d"},
		{"kept characters", []Param{{"k", "AZaz09*-._"}}, "k=AZaz09*-._"},
		{"space becomes plus", []Param{{"a b", "c d"}}, "a+b=c+d"},
		{"reserved characters", []Param{{"q", "a&b=c+d/e?f#g%h"}}, "q=a%26b%3Dc%2Bd%2Fe%3Ff%23g%25h"},
		{"characters encodeURIComponent keeps", []Param{{"q", "!~'()"}}, "q=%21%7E%27%28%29"},
		{"unicode", []Param{{"ville", "Zürich €😀"}}, "ville=Z%C3%BCrich+%E2%82%AC%F0%9F%98%80"},
		{"control characters", []Param{{"q", "\t\n\x00\x7f"}}, "q=%09%0A%00%7F"},
		{"empty key and value", []Param{{"", ""}}, "="},
		{"JSON value", []Param{{"native_filters", `(NATIVE_FILTER-1:(id:'x'))`}},
			"native_filters=%28NATIVE_FILTER-1%3A%28id%3A%27x%27%29%29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encodeQuery(tt.params); got != tt.want {
				t.Errorf("encodeQuery = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEncodeURIComponent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"7c4f3e1a-9b2d-4f5e-8a6b-1c2d3e4f5a6b", "7c4f3e1a-9b2d-4f5e-8a6b-1c2d3e4f5a6b"},
		{"42", "42"},
		{"a b", "a%20b"},
		{"a/b?c#d&e=f+g", "a%2Fb%3Fc%23d%26e%3Df%2Bg"},
		{"-_.!~*'()", "-_.!~*'()"},
		{"é", "%C3%A9"},
		{"%", "%25"},
	}
	for _, tt := range tests {
		if got := encodeURIComponent(tt.in); got != tt.want {
			t.Errorf("encodeURIComponent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

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
		if got := formatJSNumber(tt.in); got != tt.want {
			t.Errorf("formatJSNumber(%v) = %q, want %q", tt.in, got, tt.want)
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
	got := sortedJSKeys(map[string]any{"b": 1, "a": 1, "10": 1, "9": 1, "01": 1, "B": 1, "": 1})
	want := []string{"9", "10", "", "01", "B", "a", "b"}
	if len(got) != len(want) {
		t.Fatalf("sortedJSKeys = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sortedJSKeys = %q, want %q", got, want)
		}
	}
}

func TestSetParam(t *testing.T) {
	var q []Param
	q = setParam(q, "a", "1")
	q = setParam(q, "b", "2")
	q = setParam(q, "a", "3")
	if got := encodeQuery(q); got != "a=3&b=2" {
		t.Errorf("after replacing a: %q, want %q", got, "a=3&b=2")
	}
}
