package sdk

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// The iframe URL must be byte-for-byte what the upstream SDK builds, so the
// encoders below follow the browser's algorithms rather than Go's net/url
// (which differs, and costs too much in a wasm build).

const upperHex = "0123456789ABCDEF"

// percentEncode keeps the bytes for which keep is true, writes a space as
// "+" when spaceAsPlus is set, and percent-encodes every other byte with
// upper-case hex. Encoding byte by byte is encoding the UTF-8 of each code
// point, which is what the browser does.
func percentEncode(s string, keep func(byte) bool, spaceAsPlus bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case keep(c):
			b.WriteByte(c)
		case c == ' ' && spaceAsPlus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// formSafe is the application/x-www-form-urlencoded set that
// URLSearchParams.toString() leaves alone.
func formSafe(c byte) bool {
	return isASCIIAlnum(c) || c == '*' || c == '-' || c == '.' || c == '_'
}

// componentSafe is the set encodeURIComponent leaves alone.
func componentSafe(c byte) bool {
	return isASCIIAlnum(c) || strings.IndexByte("-_.!~*'()", c) >= 0
}

// encodeURIComponent escapes s like JavaScript's encodeURIComponent.
func encodeURIComponent(s string) string {
	return percentEncode(s, componentSafe, false)
}

// encodeQuery serializes params like URLSearchParams.toString().
func encodeQuery(params []Param) string {
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = percentEncode(p.Key, formSafe, true) + "=" + percentEncode(p.Value, formSafe, true)
	}
	return strings.Join(parts, "&")
}

// setParam gives key the value v, replacing an earlier entry in place so it
// keeps its first position, as a JavaScript object spread does.
func setParam(params []Param, key, v string) []Param {
	for i := range params {
		if params[i].Key == key {
			params[i].Value = v
			return params
		}
	}
	return append(params, Param{Key: key, Value: v})
}

// isArrayIndex tells a key JavaScript enumerates before all others
// ("0" … "4294967294", written without leading zeros).
func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || k[0] == '0' && k != "0" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	return len(k) < 10 || k <= "4294967294"
}

// compareJSKeys orders keys the way JavaScript enumerates an object's own
// keys: array indices first in ascending numeric order, then the others in
// insertion order (reported here as equal, for a stable sort to keep).
func compareJSKeys(a, b string) int {
	ai, bi := isArrayIndex(a), isArrayIndex(b)
	switch {
	case ai && bi:
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	case ai:
		return -1
	case bi:
		return 1
	}
	return 0
}

// sortedJSKeys returns m's keys in JavaScript enumeration order as far as a
// Go map allows: the copy of a JavaScript object does not keep insertion
// order, so keys that are not array indices are sorted, which matches the
// caller's order whenever the caller wrote them alphabetically.
func sortedJSKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := compareJSKeys(a, b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

// formatJSNumber formats x like JavaScript's String(x): the shortest digits
// that read back as x, laid out by the rules of Number::toString (plain
// notation from 1e-7 up to 1e21, exponent notation outside it).
func formatJSNumber(x float64) string {
	switch {
	case x == 0:
		return "0" // also -0, as in JavaScript
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	// 'e' with precision -1 gives the shortest round-trip digits as
	// "d.ddde±XX"; n is where the decimal point goes after those digits.
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', -1, 64), "e")
	digits := strings.Replace(mant, ".", "", 1)
	e, _ := strconv.Atoi(exp)
	n, k := e+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	frac := ""
	if k > 1 {
		frac = "." + digits[1:]
	}
	expSign := "+"
	if e < 0 {
		expSign, e = "-", -e
	}
	return sign + digits[:1] + frac + "e" + expSign + strconv.Itoa(e)
}
