package iframe

import (
	"testing"

	"github.com/dashembed/dashembed/sdk/options"
)

func TestEncodeQuery(t *testing.T) {
	tests := []struct {
		name   string
		params []options.Param
		want   string
	}{
		{"none", nil, ""},
		{"plain", []options.Param{{Key: "a", Value: "b"}, {Key: "c", Value: "d"}}, "a=b&c=d"},
		{"kept characters", []options.Param{{Key: "k", Value: "AZaz09*-._"}}, "k=AZaz09*-._"},
		{"space becomes plus", []options.Param{{Key: "a b", Value: "c d"}}, "a+b=c+d"},
		{"reserved characters", []options.Param{{Key: "q", Value: "a&b=c+d/e?f#g%h"}}, "q=a%26b%3Dc%2Bd%2Fe%3Ff%23g%25h"},
		{"characters encodeURIComponent keeps", []options.Param{{Key: "q", Value: "!~'()"}}, "q=%21%7E%27%28%29"},
		{"unicode", []options.Param{{Key: "ville", Value: "Zürich €😀"}}, "ville=Z%C3%BCrich+%E2%82%AC%F0%9F%98%80"},
		{"control characters", []options.Param{{Key: "q", Value: "\t\n\x00\x7f"}}, "q=%09%0A%00%7F"},
		{"empty key and value", []options.Param{{Key: "", Value: ""}}, "="},
		{"JSON value", []options.Param{{Key: "native_filters", Value: `(NATIVE_FILTER-1:(id:'x'))`}},
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

func TestSetParam(t *testing.T) {
	var q []options.Param
	q = setParam(q, "a", "1")
	q = setParam(q, "b", "2")
	q = setParam(q, "a", "3")
	if got := encodeQuery(q); got != "a=3&b=2" {
		t.Errorf("after replacing a: %q, want %q", got, "a=3&b=2")
	}
}
