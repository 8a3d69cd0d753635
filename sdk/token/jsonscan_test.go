package token

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTopLevelScalars(t *testing.T) {
	num := func(f float64) jsonScalar { return jsonScalar{num: f, isNum: true} }
	str := func(s string) jsonScalar { return jsonScalar{str: s, isStr: true} }
	other := jsonScalar{isOther: true}
	tests := []struct {
		name string
		in   string
		want map[string]jsonScalar
	}{
		{"empty object", `{}`, map[string]jsonScalar{}},
		{"empty object with space", " \t\r\n{ \n} \n", map[string]jsonScalar{}},
		{"scalars", `{"a":1,"b":"x","c":-2.5e3,"d":0}`, map[string]jsonScalar{"a": num(1), "b": str("x"), "c": num(-2500), "d": num(0)}},
		{"whitespace everywhere", " {\n\t\"a\" :\r 1 ,\n \"b\"\t: \"x\" } ", map[string]jsonScalar{"a": num(1), "b": str("x")}},
		{"literals are other", `{"t":true,"f":false,"n":null}`, map[string]jsonScalar{"t": other, "f": other, "n": other}},
		{"nested objects and arrays skipped", `{"o":{"exp":1,"x":{"y":[1,"}",{"z":null}]}},"a":[[],[[]],{},"]",-1,true],"exp":5}`,
			map[string]jsonScalar{"o": other, "a": other, "exp": num(5)}},
		{"empty containers", `{"o":{},"a":[],"s":""}`, map[string]jsonScalar{"o": other, "a": other, "s": str("")}},
		{"braces inside strings", `{"s":"{[}]\"","n":2}`, map[string]jsonScalar{"s": str(`{[}]"`), "n": num(2)}},
		{"simple escapes", `{"s":"q\"b\\s\/n\nr\rt\tb\bf\f"}`, map[string]jsonScalar{"s": str("q\"b\\s/n\nr\rt\tb\bf\f")}},
		{"unicode escapes", `{"s":"\u00e9\u65E5\u0041"}`, map[string]jsonScalar{"s": str("é日A")}},
		{"escaped NUL", `{"s":"a\u0000b"}`, map[string]jsonScalar{"s": str("a\x00b")}},
		{"escapes in keys", `{"\u0065xp":1,"a\"b":2}`, map[string]jsonScalar{"exp": num(1), `a"b`: num(2)}},
		{"escapes in skipped strings", `{"o":{"k\"":"v\\\"\u0041"},"n":1}`, map[string]jsonScalar{"o": other, "n": num(1)}},
		{"lone surrogate becomes U+FFFD", `{"s":"\ud800x"}`, map[string]jsonScalar{"s": str("\uFFFDx")}},
		{"raw UTF-8 kept", `{"s":"日本"}`, map[string]jsonScalar{"s": str("日本")}},
		{"duplicate key: last wins", `{"a":1,"a":"two"}`, map[string]jsonScalar{"a": str("two")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := topLevelScalars([]byte(tt.in))
			if err != nil {
				t.Fatalf("topLevelScalars(%s): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("topLevelScalars(%s) = %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

// JSON.parse reads a surrogate pair written as two \u escapes as one
// character; so must the scanner.
func TestTopLevelScalarsSurrogatePair(t *testing.T) {
	got, err := topLevelScalars([]byte(`{"s":"\ud83d\ude00","t":"a\uD834\uDD1Eb"}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := got["s"].str; s != "😀" {
		t.Errorf(`"\ud83d\ude00" = %q (% x), want "😀"`, s, s)
	}
	if s := got["t"].str; s != "a𝄞b" {
		t.Errorf(`"a\uD834\uDD1Eb" = %q (% x), want "a𝄞b"`, s, s)
	}
}

func TestTopLevelScalarsRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty input", ``},
		{"only space", `   `},
		{"array", `[1]`},
		{"string", `"a"`},
		{"number", `1`},
		{"null", `null`},
		{"unterminated object", `{"a":1`},
		{"open brace only", `{`},
		{"missing colon", `{"a" 1}`},
		{"missing value", `{"a":}`},
		{"missing comma", `{"a":1 "b":2}`},
		{"trailing comma", `{"a":1,}`},
		{"lone comma", `{,}`},
		{"unquoted key", `{a:1}`},
		{"number key", `{1:1}`},
		{"single quotes", `{'a':1}`},
		{"trailing garbage", `{"a":1}x`},
		{"second object", `{"a":1}{}`},
		{"trailing comma after object", `{"a":1},`},
		{"unterminated string", `{"a":"abc}`},
		{"raw newline in string", "{\"a\":\"x\ny\"}"},
		{"raw tab in string", "{\"a\":\"x\ty\"}"},
		{"unknown escape", `{"a":"\x41"}`},
		{"escape at the end", `{"a":"\`},
		{"short \\u", `{"a":"\u12"}`},
		{"\\u at the end", `{"a":"\u12`},
		{"non-hex \\u", `{"a":"\u12zz"}`},
		{"signed \\u", `{"a":"\u+123"}`},
		{"bad literal", `{"a":tru}`},
		{"literal with a tail", `{"a":nulls}`},
		{"capital literal", `{"a":True}`},
		{"bare minus", `{"a":-}`},
		{"bad exponent", `{"a":1e}`},
		{"two minus", `{"a":--1}`},
		{"hex number", `{"a":0x10}`},
		{"nested: trailing comma", `{"a":[1,]}`},
		{"nested: missing comma", `{"a":[1 2]}`},
		{"nested: missing value", `{"a":{"b"}}`},
		{"nested: unquoted key", `{"a":{b:1}}`},
		{"nested: unterminated", `{"a":[{"b":1}`},
		{"nested: mismatched", `{"a":[1}`},
		{"nested: bad string", `{"a":["\q"]}`},
		{"nested: bad literal", `{"a":[nul]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := topLevelScalars([]byte(tt.in)); err == nil {
				t.Errorf("topLevelScalars(%q) = %#v, want an error", tt.in, got)
			}
		})
	}
}

func TestTopLevelScalarsDepth(t *testing.T) {
	nested := func(open, closeWith string, n int) string {
		return `{"a":` + strings.Repeat(open, n) + strings.Repeat(closeWith, n) + `,"exp":7}`
	}
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"64 nested arrays", nested("[", "]", 64), true},
		{"64 nested objects", `{"a":` + strings.Repeat(`{"k":`, 63) + `{}` + strings.Repeat("}", 63) + `,"exp":7}`, true},
		{"200 nested arrays", nested("[", "]", 200), false},
		{"200 nested objects", `{"a":` + strings.Repeat(`{"k":`, 199) + `{}` + strings.Repeat("}", 199) + `,"exp":7}`, false},
		{"depth bomb", nested("[", "]", 1_000_000), false},
		{"unclosed depth bomb", `{"a":` + strings.Repeat("[", 1_000_000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got, err := topLevelScalars([]byte(tt.in))
			if tt.ok {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if e := got["exp"]; !e.isNum || e.num != 7 {
					t.Errorf("exp after the nesting = %#v", e)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted")
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v to reject", d)
			}
		})
	}
}
