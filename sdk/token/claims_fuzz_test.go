package token

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseClaims: any string a fetchGuestToken may resolve to is either
// read or refused with errNotJWT, never a panic; an exp and iat written as
// numbers come back as written; and a plan made from the claims is sane.
func FuzzParseClaims(f *testing.F) {
	for _, seed := range []string{
		"", ".", "..", "a.b.c", "x.eyJleHAiOjF9.y", "x.eyJleHAiOiIxNzAwMDAwMDAwIn0.y",
		"x." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":1.7e9,"iat":1.6999997e9,"user":{"a":[1,2,{"b":null}]}}`)) + ".y",
		"x." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":"Tue, 14 Nov 2023 22:13:20 GMT"}`)) + ".y",
		"x." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":"1.2.3","iat":-1e400}`)) + "==.y",
	} {
		f.Add(seed, 1.7e9, 1.6999997e9)
	}
	f.Fuzz(func(t *testing.T, tok string, exp, iat float64) {
		c, err := ParseClaims(tok)
		if err != nil && err != errNotJWT {
			t.Fatalf("ParseClaims(%q): error %v, want errNotJWT", tok, err)
		}
		if err == nil {
			checkPlan(t, c)
		}
		if math.IsNaN(exp) || math.IsInf(exp, 0) || math.IsNaN(iat) || math.IsInf(iat, 0) {
			return
		}
		payload := `{"iat":` + strconv.FormatFloat(iat, 'g', -1, 64) + `,"exp":` + strconv.FormatFloat(exp, 'g', -1, 64) + `}`
		built := "h." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".s"
		c, err = ParseClaims(built)
		if err != nil || !c.HasExp || !c.HasIat || c.Exp != exp || c.Iat != iat {
			t.Fatalf("ParseClaims(%s) = %+v, %v; want exp %v iat %v", payload, c, err, exp, iat)
		}
		checkPlan(t, c)
	})
}

// checkPlan plans c's refresh: never a negative wait, and a token the plan
// calls healthy is refreshed before it expires.
func checkPlan(t *testing.T, c Claims) {
	t.Helper()
	now := time.Unix(1_700_000_000, 0)
	p := DefaultRefreshPolicy(func() float64 { return 0.5 }).Plan(c, func(string) (float64, bool) { return 0, false }, now)
	if p.Refresh < 0 {
		t.Fatalf("claims %+v: refresh in %v", c, p.Refresh)
	}
	if p.Known && !p.Expired && !now.Add(p.Refresh).Before(p.ExpiresAt) {
		t.Fatalf("claims %+v: refresh at %v, after the expiry %v", c, now.Add(p.Refresh), p.ExpiresAt)
	}
}

// FuzzTopLevelScalars: the payload reader agrees with encoding/json. What
// it accepts is a JSON object encoding/json accepts, with the same numbers
// and strings at the top level; and every object encoding/json accepts
// within the nesting limit is accepted.
func FuzzTopLevelScalars(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"exp":1}`, `{"a":"\u00e9\ud83d\ude00","b":[1,{"c":true}],"d":null,"e":-0.5e3}`, `{"x":"\ud800"}`,
		`{"a":1,}`, `[1]`, `{"a":01}`, `{"a":1e999}`, ` {"a" : "b" } `, `{"a":"\x01"}`, `{"a":1,"a":2}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := topLevelScalars(data)
		var want map[string]any
		jsonErr := json.Unmarshal(data, &want)
		if jsonErr == nil && want == nil {
			jsonErr = errBadJSON // null
		}
		if err != nil {
			if jsonErr == nil && depth(data) <= 64 {
				t.Fatalf("%q: refused (%v), but it is a JSON object", data, err)
			}
			return
		}
		if jsonErr != nil {
			t.Fatalf("%q: accepted, but encoding/json says %v", data, jsonErr)
		}
		for k, v := range got {
			if !utf8.ValidString(k) || (v.isStr && !utf8.ValidString(v.str)) {
				continue // encoding/json rewrites invalid UTF-8; the reader keeps it
			}
			switch w := want[k].(type) {
			case float64:
				if !v.isNum || v.num != w {
					t.Fatalf("%q: member %q = %+v, want the number %v", data, k, v, w)
				}
			case string:
				if !v.isStr || v.str != w {
					t.Fatalf("%q: member %q = %+v, want the string %q", data, k, v, w)
				}
			default:
				if !v.isOther {
					t.Fatalf("%q: member %q = %+v, want neither number nor string", data, k, v)
				}
			}
		}
	})
}

// depth is how deeply data's brackets nest, ignoring strings.
func depth(data []byte) int {
	d, most, inStr := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && (c == '{' || c == '['):
			d++
			most = max(most, d)
		case !inStr && (c == '}' || c == ']'):
			d--
		}
	}
	return most
}
