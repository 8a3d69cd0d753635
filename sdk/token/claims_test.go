package token

import (
	"errors"
	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"testing"
)

func TestParseClaims(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    Claims
	}{
		{"numeric exp", `{"exp":1700000060}`, Claims{Exp: 1700000060, HasExp: true}},
		{"fractional exp", `{"exp":1700000060.25}`, Claims{Exp: 1700000060.25, HasExp: true}},
		{"exponent exp", `{"exp":1.7e9}`, Claims{Exp: 1.7e9, HasExp: true}},
		{"digit-string exp is seconds", `{"exp":"1700000060"}`, Claims{Exp: 1700000060, HasExp: true}},
		{"digits and a dot", `{"exp":"1700000060.5"}`, Claims{Exp: 1700000060.5, HasExp: true}},
		{"trailing dot", `{"exp":"1700000060."}`, Claims{Exp: 1700000060, HasExp: true}},
		{"leading dot", `{"exp":".5"}`, Claims{Exp: 0.5, HasExp: true}},
		{"second dot ends it, as parseFloat", `{"exp":"17.5.3"}`, Claims{Exp: 17.5, HasExp: true}},
		{"a lone dot is no number", `{"exp":"."}`, Claims{}},
		{"date-string exp", `{"exp":"2030-01-01T00:00:00Z"}`, Claims{ExpText: "2030-01-01T00:00:00Z"}},
		{"other string exp", `{"exp":"soon"}`, Claims{ExpText: "soon"}},
		{"escaped date-string exp", `{"exp":"Tue, 01 Jan 2030 00:00:00 GMT\u0021"}`, Claims{ExpText: "Tue, 01 Jan 2030 00:00:00 GMT!"}},
		{"null exp", `{"exp":null}`, Claims{}},
		{"boolean exp", `{"exp":true}`, Claims{}},
		{"object exp", `{"exp":{"at":1}}`, Claims{}},
		{"array exp", `{"exp":[1]}`, Claims{}},
		{"no exp", `{"sub":"guest"}`, Claims{}},
		{"empty payload object", `{}`, Claims{}},
		{"iat", `{"exp":1700000060,"iat":1700000000}`, Claims{Exp: 1700000060, HasExp: true, Iat: 1700000000, HasIat: true}},
		{"string iat is ignored", `{"iat":"1700000000"}`, Claims{}},
		{"nested exp is not the token's", `{"user":{"exp":5,"iat":4},"resources":[{"exp":6}]}`, Claims{}},
		{"escaped key", `{"\u0065xp":42}`, Claims{Exp: 42, HasExp: true}},
		{"last duplicate wins, as JSON.parse", `{"exp":1,"exp":2}`, Claims{Exp: 2, HasExp: true}},
		{"guest token shape", `{"user":{"username":"guest","first_name":"G"},"resources":[{"type":"dashboard","id":"42"}],"rls_rules":[],"iat":1700000000,"exp":1700000300,"aud":"superset","type":"guest"}`,
			Claims{Exp: 1700000300, HasExp: true, Iat: 1700000000, HasIat: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClaims(sdktest.JWT(tt.payload))
			if err != nil {
				t.Fatalf("ParseClaims(%s): %v", tt.payload, err)
			}
			if got != tt.want {
				t.Errorf("ParseClaims(%s) = %+v, want %+v", tt.payload, got, tt.want)
			}
		})
	}
}

func TestParseClaimsBase64(t *testing.T) {
	tests := []struct {
		name, payload string
		want          Claims
	}{
		// {"exp":17} is 10 bytes: two padding characters when padded.
		{"unpadded", "eyJleHAiOjE3fQ", Claims{Exp: 17, HasExp: true}},
		{"padded", "eyJleHAiOjE3fQ==", Claims{Exp: 17, HasExp: true}},
		{"one pad", "eyJleHAiOjEsInMiOiLDv8O-In0=", Claims{Exp: 1, HasExp: true}},
		// base64url's "-" and "_" where standard base64 has "+" and "/".
		{"url alphabet -", "eyJleHAiOjE3MDAwMDAwMDAsIm4iOiJ-fn4ifQ", Claims{Exp: 1700000000, HasExp: true}},
		{"url alphabet _", "eyJleHAiOjEsInMiOiI_Pz4ifQ", Claims{Exp: 1, HasExp: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClaims("eyJhbGciOiJIUzI1NiJ9." + tt.payload + ".sig")
			if err != nil || got != tt.want {
				t.Errorf("ParseClaims = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParseClaimsNotJWT(t *testing.T) {
	tests := []struct{ name, token string }{
		{"empty", ""},
		{"one part", "opaque-session-token"},
		{"two parts", "eyJhbGciOiJIUzI1NiJ9." + "eyJleHAiOjE3fQ"},
		{"four parts", sdktest.JWT(`{"exp":1}`) + ".more"},
		{"JWE-like five parts", "a.b.c.d.e"},
		{"empty payload", "eyJhbGciOiJIUzI1NiJ9..sig"},
		{"bad base64", "eyJhbGciOiJIUzI1NiJ9.!!!!.sig"},
		{"base64 with a stray character", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3fQ$.sig"},
		{"impossible length", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3f.sig"},
		{"payload is an array", sdktest.JWT(`[{"exp":1}]`)},
		{"payload is a string", sdktest.JWT(`"exp"`)},
		{"payload is a number", sdktest.JWT(`1700000000`)},
		{"payload is null", sdktest.JWT(`null`)},
		{"payload is not JSON", sdktest.JWT(`exp=1700000000`)},
		{"payload truncated", sdktest.JWT(`{"exp":1700000000`)},
		{"payload with trailing garbage", sdktest.JWT(`{"exp":1700000000}x`)},
		{"payload empty", sdktest.JWT(``)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseClaims(tt.token)
			if !errors.Is(err, errNotJWT) {
				t.Fatalf("ParseClaims(%q) = %+v, %v; want errNotJWT", tt.token, c, err)
			}
			if c != (Claims{}) {
				t.Errorf("claims %+v returned with the error", c)
			}
			if err.Error() != "the guest token is not a JWT" {
				t.Errorf("error text = %q", err.Error())
			}
		})
	}
}
