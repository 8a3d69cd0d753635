package doctor

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// The RLS clauses of the doctor's tokens: one that keeps every row (the
// token it embeds with) and one that keeps none (to see RLS applied).
const (
	rlsPass  = "1=1"
	rlsBlock = "1=0"
)

// Thresholds of the token check.
const (
	// minLifetime is the shortest guest-token lifetime that leaves the SDK
	// room to refresh before expiry.
	minLifetime = 60 * time.Second
	// maxSkew is the clock difference beyond which tokens' times mislead.
	maxSkew = 10 * time.Second
)

// tokenClaims are the guest token's claims the doctor reads.
type tokenClaims struct {
	Type     string          `json:"type"`
	Aud      any             `json:"aud"`
	IssuedAt float64         `json:"iat"`
	Expiry   float64         `json:"exp"`
	RLS      json.RawMessage `json:"rls_rules"`
}

// decodeClaims reads a JWT's payload without checking its signature: the
// doctor does not know the secret, and the API check tells whether the BI
// host accepts it.
func decodeClaims(tok string) (tokenClaims, error) {
	var c tokenClaims
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return c, fmt.Errorf("not a JWT (%d dot-separated parts, want 3)", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c, fmt.Errorf("the payload is not base64url: %v", err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("the payload is not a JSON object of claims: %v", err)
	}
	return c, nil
}

// unixTime turns seconds since the epoch (a float, as Superset writes them)
// into a time.
func unixTime(s float64) time.Time {
	return time.Unix(0, int64(s*1e9))
}

// checkToken is step 3: the guest token was minted, and its claims are the
// ones the SDK and the BI host's API expect.
func (r *run) checkToken(ctx context.Context, res *Result) {
	if !r.mintState.attempted {
		res.skip("the service account could not authenticate (step 2)")
		return
	}
	if err := r.mintState.err; err != nil {
		res.fail(err.Error(), mintFix(err, r.opts.Dashboard))
		return
	}
	c, err := decodeClaims(r.token)
	if err != nil {
		res.fail("the guest token "+err.Error(), "The guest-token endpoint must answer {\"token\": \"<JWT>\"}; check that no proxy rewrites the answer.")
		r.token = ""
		return
	}
	r.claims = c
	res.ok(fmt.Sprintf("minted for a throw-away user with RLS clause %q; aud %v", rlsPass, c.Aud))
	if c.Type != "guest" {
		res.fail(fmt.Sprintf("type claim is %q, not \"guest\"", c.Type),
			"The API accepts only tokens with type \"guest\": mint them with POST /api/v1/security/guest_token/, not with the login endpoint.")
	}
	if !strings.Contains(string(c.RLS), rlsPass) {
		res.warn("rls_rules do not carry the requested clause: "+string(c.RLS), "The BI host drops the request's rls list; upgrade it to a version whose guest-token API takes rls.")
	}
	lifetime := time.Duration((c.Expiry - c.IssuedAt) * float64(time.Second)).Round(time.Second)
	switch {
	case c.Expiry == 0 || c.IssuedAt == 0:
		res.warn("no iat or exp claim", "Superset writes both; without exp the SDK refreshes every 5 minutes on a guess.")
	case lifetime < minLifetime:
		res.warn(fmt.Sprintf("lifetime %s (under %s): the SDK refreshes almost continuously", lifetime, minLifetime),
			"Raise GUEST_TOKEN_JWT_EXP_SECONDS (300 is Superset's default).")
	default:
		res.ok(fmt.Sprintf("lifetime %s", lifetime))
	}
	r.checkSkew(res, c)
}

// checkSkew compares the token's iat and the server's Date with this
// machine's clock at the time of the call.
func (r *run) checkSkew(res *Result, c tokenClaims) {
	x, ok := r.rec.last("/guest_token/")
	if !ok || c.IssuedAt == 0 {
		return
	}
	mid := x.start.Add(x.end.Sub(x.start) / 2)
	slack := x.end.Sub(x.start)/2 + time.Second // Date has 1 s resolution
	skew := unixTime(c.IssuedAt).Sub(mid)
	saw := fmt.Sprintf("iat is %s from this machine's clock", signed(skew))
	if d, err := http.ParseTime(x.date); err == nil {
		dateSkew := d.Sub(mid)
		saw += fmt.Sprintf("; the server's Date is %s from it", signed(dateSkew))
		if math.Abs(float64(dateSkew)) > math.Abs(float64(skew)) {
			skew = dateSkew
		}
	}
	if math.Abs(float64(skew)) > float64(maxSkew+slack) {
		res.warn("clock skew: "+saw,
			"Synchronise the clocks of the BI host and the machines that check tokens (NTP: chrony or systemd-timesyncd). Superset stamps iat and exp with its own clock; a skewed clock makes tokens look expired or long-lived to everyone else.")
		return
	}
	res.ok("clocks agree: " + saw)
}

// signed writes a duration with its sign, rounded for reading.
func signed(d time.Duration) string {
	d = d.Round(100 * time.Millisecond)
	if d >= 0 {
		return "+" + d.String()
	}
	return d.String()
}

// mintFix names the configuration behind a refused guest-token call.
func mintFix(err error, dashboard string) string {
	e, ok := apiError(err, "guest")
	if !ok {
		return "Check the network between this machine and the BI host."
	}
	switch {
	case e.Status == 401 || e.Status == 403:
		return "The service account may log in but not mint guest tokens: give its role the permission \"can grant guest token on SecurityRestApi\" (Settings → List Roles), or use an account that has it (Admin has it, Gamma does not). With an API key, check that the key is valid."
	case e.Status == 400 && strings.Contains(e.Message, "EmbeddedDashboard"):
		return "Dashboard " + dashboard + " has no embedded configuration: with FEATURE_FLAGS = {\"EMBEDDED_SUPERSET\": True}, open the dashboard's ⋯ menu → Embed dashboard → Enable embedding, and pass its id or embedded UUID as -dashboard."
	case e.Status == 404:
		return "The guest-token endpoint does not exist: set FEATURE_FLAGS = {\"EMBEDDED_SUPERSET\": True} (it registers the endpoint) and restart Superset."
	}
	return "Read the BI host's message above; the request body follows Superset's GuestTokenCreateSchema."
}
