package devserver

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzVerifyGuestToken: a guest token with any claims, signed with the
// host's secret, another secret or none, verifies only when Superset would
// accept it: the right signature, algorithm and audience, not expired,
// type "guest", and user, resources and rls_rules present.
func FuzzVerifyGuestToken(f *testing.F) {
	cfg := DefaultConfig()
	cfg.ReloadPoll = -1
	h, err := NewBIHost(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { h.Close() })
	exp := float64(time.Now().Add(time.Hour).Unix())
	good, _ := json.Marshal(map[string]any{"user": map[string]any{"username": "g"}, "resources": []any{map[string]any{"type": "dashboard", "id": DemoDashboardUUID}},
		"rls_rules": []any{}, "iat": exp - 3600, "exp": exp, "aud": "superset", "type": "guest"})
	for _, seed := range []string{string(good), `{}`, `{"user":null,"resources":[],"rls_rules":{},"type":"guest","aud":"superset"}`,
		`{"user":{},"resources":[],"rls_rules":[],"type":"guest","aud":["x","superset"],"exp":1}`, `{"type":"guest","aud":"superset","user":{},"resources":{},"rls_rules":[]}`} {
		for key := uint8(0); key < 3; key++ {
			f.Add([]byte(seed), key)
		}
	}
	f.Fuzz(func(t *testing.T, claims []byte, key uint8) {
		var mc jwt.MapClaims
		if json.Unmarshal(claims, &mc) != nil || mc == nil {
			return
		}
		var tok string
		switch key % 3 {
		case 0:
			tok, _ = jwt.NewWithClaims(jwt.SigningMethodHS256, mc).SignedString([]byte(cfg.Secret))
		case 1:
			tok, _ = jwt.NewWithClaims(jwt.SigningMethodHS256, mc).SignedString([]byte("another secret"))
		case 2:
			tok, _ = jwt.NewWithClaims(jwt.SigningMethodNone, mc).SignedString(jwt.UnsafeAllowNoneSignatureType)
		}
		c, err := h.VerifyGuestToken(tok)
		if err != nil {
			return
		}
		switch {
		case key%3 != 0:
			t.Fatalf("a token signed with key %d verified: %s", key%3, claims)
		case c.Type != "guest":
			t.Fatalf("a token of type %q verified: %s", c.Type, claims)
		case mc["user"] == nil || mc["resources"] == nil || mc["rls_rules"] == nil:
			t.Fatalf("a token without user, resources or rls_rules verified: %s", claims)
		case c.ExpiresAt != 0 && c.ExpiresAt < float64(time.Now().Unix())-1:
			t.Fatalf("an expired token verified: %s", claims)
		}
		if !hasAudience(mc["aud"], cfg.Audience) {
			t.Fatalf("a token for audience %v verified: %s", mc["aud"], claims)
		}
	})
}

func hasAudience(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any:
		for _, x := range a {
			if x == want {
				return true
			}
		}
	}
	return false
}

// FuzzConfigFile: any dashembed.toml is loaded or refused with a
// *ConfigFileError that names the file; never a panic.
func FuzzConfigFile(f *testing.F) {
	starter, err := os.ReadFile(filepath.Join("starter", StarterConfigName))
	if err == nil {
		f.Add(starter)
	}
	for _, seed := range []string{``, `faults = "slow"`, "[guest_token]\nlifetime = \"-1s\"\n", "[[dashboards]]\nuuid = 5\n",
		"allowed_origins = [\"http://x\", 3]\n", "[server]\nbi_addr = \"::\"\n", "[[datasets]]\nid = 1\ncsv = \"/nonexistent.csv\"\n", "a = \"\\u0000\"", "[[[x"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, err := ParseConfigFile("dashembed.toml", doc)
		var ce *ConfigFileError
		if err != nil && (!errors.As(err, &ce) || ce.File == "") {
			t.Fatalf("%q: error %T %v, want a *ConfigFileError naming the file", doc, err, err)
		}
	})
}
