package bundle

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// jsv is a JavaScript value as the differential test hands it to Node
// (testdata/plan-runner.js rebuilds it) and to Go (goValue copies it as the
// browser edge would). JSON alone cannot carry what matters here:
// undefined, -0, NaN, strings with lone surrogates, the insertion order of
// keys, getters that throw, keys that are not enumerable.
type jsv struct {
	// T is the tag: undef, null, bool, num, str, arr, obj, fn, el (an
	// Element), other (an instance of class N) or throw (a getter that
	// throws N; only as a property's value).
	T string `json:"t"`
	// B is a bool's value, or an element's isConnected.
	B bool `json:"b,omitempty"`
	// N is a number as Number() reads it, a class name or an exception's
	// message.
	N string `json:"n,omitempty"`
	// S is a string's UTF-16 code units.
	S []uint16 `json:"s,omitempty"`
	// A is an array's items.
	A []*jsv `json:"a,omitempty"`
	// P is an object's properties in insertion order, without repeats.
	P []prop `json:"p,omitempty"`
	// NullProto makes an object with Object.create(null).
	NullProto bool `json:"np,omitempty"`
}

// prop is one own property of an object.
type prop struct {
	K      []uint16 `json:"k"`
	V      *jsv     `json:"v"`
	Hidden bool     `json:"h,omitempty"` // not enumerable
}

func undef() *jsv              { return &jsv{T: "undef"} }
func null() *jsv               { return &jsv{T: "null"} }
func boolean(b bool) *jsv      { return &jsv{T: "bool", B: b} }
func str(s string) *jsv        { return &jsv{T: "str", S: utf16.Encode([]rune(s))} }
func units(u ...uint16) *jsv   { return &jsv{T: "str", S: u} }
func fn() *jsv                 { return &jsv{T: "fn"} }
func element(conn bool) *jsv   { return &jsv{T: "el", B: conn} }
func instance(cls string) *jsv { return &jsv{T: "other", N: cls} }
func throws(msg string) *jsv   { return &jsv{T: "throw", N: msg} }
func arr(items ...*jsv) *jsv   { return &jsv{T: "arr", A: items} }

// num writes x so that both Number() and strconv.ParseFloat read it back
// exactly, in JavaScript's notation where it is plain.
func num(x float64) *jsv {
	s := strconv.FormatFloat(x, 'e', -1, 64)
	if a := math.Abs(x); a >= 1e-7 && a < 1e21 {
		s = strconv.FormatFloat(x, 'f', -1, 64)
	}
	switch {
	case math.IsInf(x, 1):
		s = "Infinity"
	case math.IsInf(x, -1):
		s = "-Infinity"
	case x == 0 && math.Signbit(x):
		s = "-0"
	}
	return &jsv{T: "num", N: s}
}

// obj builds a plain object from key, value pairs. A repeated key keeps its
// first place and takes the later value, as an object literal does.
func obj(kv ...any) *jsv {
	o := &jsv{T: "obj"}
	for i := 0; i+1 < len(kv); i += 2 {
		var k []uint16
		switch key := kv[i].(type) {
		case string:
			k = utf16.Encode([]rune(key))
		case []uint16:
			k = key
		}
		o.set(k, kv[i+1].(*jsv))
	}
	return o
}

// set gives the property k the value v.
func (o *jsv) set(k []uint16, v *jsv) {
	for i := range o.P {
		if slices.Equal(o.P[i].K, k) {
			o.P[i].V = v
			return
		}
	}
	o.P = append(o.P, prop{K: k, V: v})
}

// del removes the property k.
func (o *jsv) del(k string) {
	key := utf16.Encode([]rune(k))
	o.P = slices.DeleteFunc(o.P, func(p prop) bool { return slices.Equal(p.K, key) })
}

// The browser edge's limits (sdk/jsedge's copyValue): how deep it copies,
// and how many keys of an object and items of an array.
const (
	edgeMaxDepth = 6
	edgeMaxKeys  = 256
	edgeMaxItems = 1024
)

// goValue is v as the browser edge copies it into a jsvalue tree: strings
// from UTF-16 with lone surrogates as U+FFFD, an object's own enumerable
// keys in JavaScript's order (array indexes first), a later key that reads
// the same in Go replacing an earlier one.
func (v *jsv) goValue(depth int) any {
	switch v.T {
	case "undef":
		return nil
	case "null":
		return jsvalue.Null{}
	case "bool":
		return v.B
	case "num":
		return v.number()
	case "str":
		return string(utf16.Decode(v.S))
	case "fn":
		return jsvalue.Handle{Kind: jsvalue.KindFunction}
	case "el":
		return jsvalue.Handle{Kind: jsvalue.KindElement, Connected: v.B, Name: "Element"}
	case "other":
		return jsvalue.Handle{Kind: jsvalue.KindObject, Name: v.N}
	case "throw":
		return jsvalue.Thrown{Message: v.N}
	case "arr":
		if depth >= edgeMaxDepth {
			return jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Array"}
		}
		out := []any{}
		for i, item := range v.A {
			if i == edgeMaxItems {
				break
			}
			out = append(out, item.goValue(depth+1))
		}
		return out
	}
	if depth >= edgeMaxDepth {
		return jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Object"}
	}
	var keys []prop
	for _, p := range v.P {
		if !p.Hidden {
			keys = append(keys, p)
		}
	}
	slices.SortStableFunc(keys, func(a, b prop) int { return compareIndexKeys(string(utf16.Decode(a.K)), string(utf16.Decode(b.K))) })
	out := map[string]any{}
	for i, p := range keys {
		if i == edgeMaxKeys {
			break
		}
		out[string(utf16.Decode(p.K))] = p.V.goValue(depth + 1)
	}
	return out
}

func (v *jsv) number() float64 {
	switch v.N {
	case "Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	case "NaN":
		return math.NaN()
	}
	x, _ := strconv.ParseFloat(v.N, 64) // "-0" reads as -0
	return x
}

// isIndex tells an array-index key: "0" to "4294967294", no leading zeros.
func isIndex(k string) bool {
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == k
}

// compareIndexKeys puts array-index keys first, ascending, and leaves the
// others in place, as JavaScript enumerates an object's keys.
func compareIndexKeys(a, b string) int {
	ai, bi := isIndex(a), isIndex(b)
	switch {
	case ai && bi:
		x, _ := strconv.ParseUint(a, 10, 64)
		y, _ := strconv.ParseUint(b, 10, 64)
		return int(x) - int(y)
	case ai:
		return -1
	case bi:
		return 1
	}
	return 0
}

// String writes v as JavaScript source, for failure messages: lone
// surrogates as \u escapes, getters and hidden keys marked.
func (v *jsv) String() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

func (v *jsv) write(b *strings.Builder) {
	switch v.T {
	case "undef":
		b.WriteString("undefined")
	case "null":
		b.WriteString("null")
	case "num":
		b.WriteString(v.N)
	case "bool":
		b.WriteString(strconv.FormatBool(v.B))
	case "str":
		b.WriteString(quoteUnits(v.S))
	case "fn":
		b.WriteString("() => {}")
	case "el":
		if v.B {
			b.WriteString("<Element, connected>")
		} else {
			b.WriteString("<Element, detached>")
		}
	case "other":
		b.WriteString("new " + v.N + "()")
	case "throw":
		b.WriteString("<getter throwing " + strconv.Quote(v.N) + ">")
	case "arr":
		b.WriteString("[")
		for i, item := range v.A {
			if i > 0 {
				b.WriteString(", ")
			}
			item.write(b)
		}
		b.WriteString("]")
	case "obj":
		b.WriteString("{")
		if v.NullProto {
			b.WriteString("__proto__: null /* Object.create(null) */, ")
		}
		for i, p := range v.P {
			if i > 0 {
				b.WriteString(", ")
			}
			if p.Hidden {
				b.WriteString("/* not enumerable */ ")
			}
			b.WriteString(quoteUnits(p.K) + ": ")
			p.V.write(b)
		}
		b.WriteString("}")
	}
}

// quoteUnits quotes UTF-16 code units as a JavaScript string literal.
func quoteUnits(u []uint16) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if utf16.IsSurrogate(c) && i+1 < len(u) {
			if r := utf16.DecodeRune(c, rune(u[i+1])); r != utf8.RuneError {
				b.WriteRune(r)
				i++
				continue
			}
		}
		switch {
		case utf16.IsSurrogate(c) || c < ' ' || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff:
			b.WriteString(`\u` + strconv.FormatInt(int64(c)|0x10000, 16)[1:])
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
