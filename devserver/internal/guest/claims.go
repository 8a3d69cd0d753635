package guest

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// User is the user claim of a guest token: the fields the request sent,
// and only those.
type User struct {
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	// Attributes is kept as sent: absent (nil), null, or an object.
	Attributes json.RawMessage `json:"attributes,omitempty"`
}

// Name returns the guest's username, or Superset's default for a token
// minted without one ("guest_user"), as RLS templating and the API see it.
func (u User) Name() string {
	if u.Username == "" {
		return "guest_user"
	}
	return u.Username
}

// First returns the first name, or Superset's default "Guest".
func (u User) First() string { return orDefault(u.FirstName, "Guest") }

// Last returns the last name, or Superset's default "User".
func (u User) Last() string { return orDefault(u.LastName, "User") }

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Resource is one entry of the resources claim: what the guest may see.
type Resource struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// RLSRule is one row-level-security rule of a guest token. Dataset nil means
// the rule applies to every dataset.
type RLSRule struct {
	Dataset *int   `json:"dataset,omitempty"`
	Clause  string `json:"clause"`
}

// Claims are the claims of a guest token, exactly Superset's set.
type Claims struct {
	User      User       `json:"user"`
	Resources []Resource `json:"resources"`
	RLSRules  []RLSRule  `json:"rls_rules"`
	// IssuedAt and ExpiresAt are seconds since the epoch; Superset writes
	// time.time(), a float.
	IssuedAt  float64 `json:"iat"`
	ExpiresAt float64 `json:"exp"`
	Audience  string  `json:"aud"`
	Type      string  `json:"type"`
	// Admin marks a request made with an admin account's Bearer token
	// instead of a guest token: it sees every dashboard, with no RLS. It
	// is never part of a token.
	Admin bool `json:"-"`
	// Account is the login account of a request made with a Bearer token
	// ("" for a guest token). It is never part of a token either.
	Account string `json:"-"`
}

// Expiry returns ExpiresAt as a time.
func (c *Claims) Expiry() time.Time {
	return time.Unix(0, int64(c.ExpiresAt*1e9))
}

// The jwt.Claims interface lets golang-jwt validate exp and aud on Claims.

// GetExpirationTime implements jwt.Claims.
func (c *Claims) GetExpirationTime() (*jwt.NumericDate, error) {
	if c.ExpiresAt == 0 {
		return nil, nil
	}
	return jwt.NewNumericDate(c.Expiry()), nil
}

// GetIssuedAt implements jwt.Claims.
func (c *Claims) GetIssuedAt() (*jwt.NumericDate, error) {
	return jwt.NewNumericDate(time.Unix(0, int64(c.IssuedAt*1e9))), nil
}

// GetNotBefore implements jwt.Claims; guest tokens have no nbf.
func (c *Claims) GetNotBefore() (*jwt.NumericDate, error) { return nil, nil }

// GetIssuer implements jwt.Claims; guest tokens have no iss.
func (c *Claims) GetIssuer() (string, error) { return "", nil }

// GetSubject implements jwt.Claims; guest tokens have no sub.
func (c *Claims) GetSubject() (string, error) { return "", nil }

// GetAudience implements jwt.Claims.
func (c *Claims) GetAudience() (jwt.ClaimStrings, error) {
	return jwt.ClaimStrings{c.Audience}, nil
}

// sign signs claims for user, resources and rules with the configured
// algorithm and secret. lifetime overrides the configured one when positive
// (the token-lifetime fault).
func (s *Service) sign(user User, resources []Resource, rules []RLSRule, lifetime time.Duration) (string, *Claims, error) {
	if lifetime <= 0 {
		lifetime = s.cfg.Lifetime
	}
	if resources == nil {
		resources = []Resource{}
	}
	if rules == nil {
		rules = []RLSRule{}
	}
	now := s.cfg.Now()
	iat := float64(now.UnixMicro()) / 1e6
	c := &Claims{
		User:      user,
		Resources: resources,
		RLSRules:  rules,
		IssuedAt:  iat,
		ExpiresAt: iat + lifetime.Seconds(),
		Audience:  s.cfg.Audience,
		Type:      "guest",
	}
	tok := jwt.NewWithClaims(jwt.GetSigningMethod(s.cfg.Algorithm), c)
	signed, err := tok.SignedString([]byte(s.cfg.Secret))
	if err != nil {
		return "", nil, err
	}
	return signed, c, nil
}

// Verify checks a guest token the way Superset does before accepting it:
// signature and algorithm, audience, expiry (when the token has an exp;
// PyJWT does not require one), non-null user, resources and rls_rules, and
// type "guest". Any failure is an error, which the API turns into 401.
func (s *Service) Verify(token string) (*Claims, error) {
	if token == "" {
		return nil, errors.New("no guest token")
	}
	// A first pass over raw claims tells a null claim from a missing one,
	// which decoding into Claims would blur.
	var raw map[string]json.RawMessage
	parsed, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return []byte(s.cfg.Secret), nil },
		jwt.WithValidMethods([]string{s.cfg.Algorithm}),
		jwt.WithAudience(s.verifyAudience()),
		jwt.WithTimeFunc(s.cfg.Now),
	)
	if err != nil {
		return nil, fmt.Errorf("invalid guest token: %w", err)
	}
	claimsJSON, _ := json.Marshal(parsed.Claims)
	if err := json.Unmarshal(claimsJSON, &raw); err != nil {
		return nil, fmt.Errorf("invalid guest token claims: %w", err)
	}
	for _, k := range []string{"user", "resources", "rls_rules"} {
		if v, ok := raw[k]; !ok || string(v) == "null" {
			return nil, fmt.Errorf("invalid guest token: claim %q is missing or null", k)
		}
	}
	// Superset iterates rls_rules without checking its type, so an empty
	// object passes as no rules.
	if string(raw["rls_rules"]) == "{}" {
		raw["rls_rules"] = json.RawMessage("[]")
		claimsJSON, _ = json.Marshal(raw)
	}
	var c Claims
	if err := json.Unmarshal(claimsJSON, &c); err != nil {
		return nil, fmt.Errorf("invalid guest token claims: %w", err)
	}
	if c.Type != "guest" {
		return nil, fmt.Errorf("invalid guest token: type is %q, not \"guest\"", c.Type)
	}
	return &c, nil
}
