package token

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// Claims are the parts of a guest token's payload the refresh schedule reads.
// A token is never verified here: only the BI host can do that.
type Claims struct {
	// Exp is the expiry in seconds since the epoch, when HasExp.
	Exp    float64
	HasExp bool
	// ExpText is an `exp` written as a date string instead of seconds (some
	// forks do); the edge turns it into a time with the browser's Date.parse.
	ExpText string
	// Iat is the issue time in seconds since the epoch, when HasIat.
	Iat    float64
	HasIat bool
}

// errNotJWT is returned for a token that is not three base64url parts whose
// middle one is a JSON object.
var errNotJWT = errors.New("the guest token is not a JWT")

// ParseClaims reads exp and iat from a JWT's payload without verifying it.
func ParseClaims(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[1] == "" {
		return Claims{}, errNotJWT
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, errNotJWT
	}
	members, err := topLevelScalars(payload)
	if err != nil {
		return Claims{}, errNotJWT
	}
	var c Claims
	if exp, ok := members["exp"]; ok {
		switch {
		case exp.isNum:
			c.Exp, c.HasExp = exp.num, true
		case exp.isStr && isDecimal(exp.str):
			// Upstream treats an exp made only of digits and dots as seconds.
			if n, ok := parseDecimal(exp.str); ok {
				c.Exp, c.HasExp = n, true
			}
		case exp.isStr:
			c.ExpText = exp.str
		}
	}
	if iat, ok := members["iat"]; ok && iat.isNum {
		c.Iat, c.HasIat = iat.num, true
	}
	return c, nil
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// parseDecimal reads digits and dots as JavaScript's parseFloat would: up to
// the second dot, if any.
func parseDecimal(s string) (float64, bool) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if j := strings.IndexByte(s[i+1:], '.'); j >= 0 {
			s = s[:i+1+j]
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSuffix(s, "."), 64)
	return n, err == nil
}
