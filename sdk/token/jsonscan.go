package token

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The SDK reads two fields of a guest token's payload. encoding/json would
// add about 240 KB (brotli) to the wasm, so this file holds a small, strict
// reader that returns the top-level scalar members of a JSON object and
// validates (but discards) everything nested.

// jsonScalar is a top-level member's value: a number or a string. Other kinds
// are recorded with isOther so callers can tell "present but not a scalar".
type jsonScalar struct {
	num     float64
	str     string
	isNum   bool
	isStr   bool
	isOther bool
}

var errBadJSON = errors.New("malformed JSON")

// topLevelScalars parses data as one JSON object and returns its members.
func topLevelScalars(data []byte) (map[string]jsonScalar, error) {
	r := jsonReader{b: data}
	r.space()
	if !r.eat('{') {
		return nil, errors.New("JSON payload is not an object")
	}
	out := map[string]jsonScalar{}
	r.space()
	if r.eat('}') {
		return out, r.end()
	}
	for {
		r.space()
		key, err := r.str()
		if err != nil {
			return nil, err
		}
		r.space()
		if !r.eat(':') {
			return nil, errBadJSON
		}
		r.space()
		v, err := r.member()
		if err != nil {
			return nil, err
		}
		out[key] = v
		r.space()
		if r.eat(',') {
			continue
		}
		if r.eat('}') {
			return out, r.end()
		}
		return nil, errBadJSON
	}
}

type jsonReader struct {
	b []byte
	i int
}

func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jsonReader) eat(c byte) bool {
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

func (r *jsonReader) end() error {
	r.space()
	if r.i != len(r.b) {
		return errBadJSON
	}
	return nil
}

func (r *jsonReader) member() (jsonScalar, error) {
	if r.i >= len(r.b) {
		return jsonScalar{}, errBadJSON
	}
	switch c := r.b[r.i]; {
	case c == '"':
		s, err := r.str()
		return jsonScalar{str: s, isStr: true}, err
	case c == '-' || (c >= '0' && c <= '9'):
		n, err := r.number()
		return jsonScalar{num: n, isNum: true}, err
	default:
		return jsonScalar{isOther: true}, r.skip(0)
	}
}

// skip consumes one value of any kind; depth bounds nesting so that hostile
// input cannot exhaust the stack.
func (r *jsonReader) skip(depth int) error {
	if depth > 64 || r.i >= len(r.b) {
		return errBadJSON
	}
	switch c := r.b[r.i]; {
	case c == '"':
		_, err := r.str()
		return err
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := r.number()
		return err
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		r.i++
		r.space()
		if r.eat(closer) {
			return nil
		}
		for {
			r.space()
			if c == '{' {
				if _, err := r.str(); err != nil {
					return err
				}
				r.space()
				if !r.eat(':') {
					return errBadJSON
				}
				r.space()
			}
			if err := r.skip(depth + 1); err != nil {
				return err
			}
			r.space()
			if r.eat(',') {
				continue
			}
			if r.eat(closer) {
				return nil
			}
			return errBadJSON
		}
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
				r.i += len(lit)
				return nil
			}
		}
		return errBadJSON
	}
}

func (r *jsonReader) number() (float64, error) {
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			r.i++
			continue
		}
		break
	}
	text := r.b[start:r.i]
	if !isJSONNumber(text) {
		return 0, errBadJSON
	}
	n, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		return 0, errBadJSON
	}
	return n, nil
}

// isJSONNumber checks JSON's number grammar, stricter than ParseFloat's:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as JSON.parse reads it.
func isJSONNumber(b []byte) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

func (r *jsonReader) str() (string, error) {
	if !r.eat('"') {
		return "", errBadJSON
	}
	var out []byte
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return string(out), nil
		case c < 0x20:
			return "", errBadJSON
		case c != '\\':
			out = append(out, c)
			r.i++
			continue
		}
		r.i++
		if r.i >= len(r.b) {
			return "", errBadJSON
		}
		esc := r.b[r.i]
		r.i++
		switch esc {
		case '"', '\\', '/':
			out = append(out, esc)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			v, ok := r.hex4()
			if !ok {
				return "", errBadJSON
			}
			// A surrogate pair is one character; a lone surrogate becomes
			// U+FFFD, as it does when JavaScript encodes it to UTF-8.
			if utf16.IsSurrogate(v) && len(r.b)-r.i >= 6 && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
				save := r.i
				r.i += 2
				if lo, ok := r.hex4(); ok {
					if pair := utf16.DecodeRune(v, lo); pair != utf8.RuneError {
						v = pair
					} else {
						r.i = save
					}
				} else {
					r.i = save
				}
			}
			out = utf8.AppendRune(out, v)
		default:
			return "", errBadJSON
		}
	}
	return "", errBadJSON
}

// hex4 reads the four hex digits of a \u escape.
func (r *jsonReader) hex4() (rune, bool) {
	if len(r.b)-r.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(r.b[r.i:r.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(v), true
}
