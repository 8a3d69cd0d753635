package iframe

import (
	"strings"

	"github.com/dashembed/dashembed/sdk/options"
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
func encodeQuery(params []options.Param) string {
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = percentEncode(p.Key, formSafe, true) + "=" + percentEncode(p.Value, formSafe, true)
	}
	return strings.Join(parts, "&")
}

// setParam gives key the value v, replacing an earlier entry in place so it
// keeps its first position, as a JavaScript object spread does.
func setParam(params []options.Param, key, v string) []options.Param {
	for i := range params {
		if params[i].Key == key {
			params[i].Value = v
			return params
		}
	}
	return append(params, options.Param{Key: key, Value: v})
}
