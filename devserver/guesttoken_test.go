package devserver

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/golang-jwt/jwt/v5"
)

// decodeClaims returns the raw claims of a JWT after checking its HS256
// signature with secret independently of the code under test.
func decodeClaims(t *testing.T, tok, secret string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h map[string]any
	json.Unmarshal(hdr, &h)
	if h["alg"] != "HS256" || h["typ"] != "JWT" {
		t.Fatalf("header %s", hdr)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if err := jwt.SigningMethodHS256.Verify(parts[0]+"."+parts[1], sig, []byte(secret)); err != nil {
		t.Fatalf("signature: %v", err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGuestTokenClaims(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 250_000_000, time.UTC)
	_, srv := testHost(t, func(c *Config) { c.Now = func() time.Time { return now } })
	body := guestBody(map[string]any{"clause": "tenant = 'acme'"}, map[string]any{"dataset": 2, "clause": "region = 'North'"})
	body["user"].(map[string]any)["attributes"] = map[string]any{"team": "red"}
	body["unknown_key"] = "ignored"
	tok := mint(t, srv.URL, body)
	c := decodeClaims(t, tok, DemoSecret)

	var keys []string
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "aud,exp,iat,resources,rls_rules,type,user" {
		t.Fatalf("claims %v, want exactly Superset's", keys)
	}
	if c["type"] != "guest" || c["aud"] != "superset" {
		t.Fatalf("type/aud: %v %v", c["type"], c["aud"])
	}
	iat, exp := c["iat"].(float64), c["exp"].(float64)
	if iat != 1893553445.25 || math.Abs(exp-iat-300) > 1e-6 {
		t.Fatalf("iat %v exp %v", iat, exp)
	}
	u := c["user"].(map[string]any)
	if u["username"] != "viewer" || u["first_name"] != "Vi" || u["last_name"] != "Ewer" || u["attributes"].(map[string]any)["team"] != "red" {
		t.Fatalf("user %v", u)
	}
	res := c["resources"].([]any)[0].(map[string]any)
	if res["type"] != "dashboard" || res["id"] != DemoDashboardUUID {
		t.Fatalf("resources %v", c["resources"])
	}
	rules := c["rls_rules"].([]any)
	if len(rules) != 2 || rules[0].(map[string]any)["clause"] != "tenant = 'acme'" ||
		rules[1].(map[string]any)["dataset"] != 2.0 {
		t.Fatalf("rls_rules %v", rules)
	}
	if _, has := rules[0].(map[string]any)["dataset"]; has {
		t.Fatal("a rule without dataset must not gain one")
	}
}

func TestGuestTokenConfigurable(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Audience = "my-aud"
		c.TokenLifetime = 42 * time.Second
		c.Secret = "s3"
	})
	c := decodeClaims(t, mint(t, srv.URL, guestBody()), "s3")
	if c["aud"] != "my-aud" || math.Abs(c["exp"].(float64)-c["iat"].(float64)-42) > 1e-6 {
		t.Fatalf("claims %v", c)
	}
	if rules, ok := c["rls_rules"].([]any); !ok || len(rules) != 0 {
		t.Fatalf("empty rls must be an empty list: %v", c["rls_rules"])
	}
}

func TestGuestTokenAlgorithm(t *testing.T) {
	h, srv := testHost(t, func(c *Config) { c.Algorithm = "HS512" })
	tok := mint(t, srv.URL, guestBody())
	p, _, _ := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	if p.Method.Alg() != "HS512" {
		t.Fatalf("alg %s", p.Method.Alg())
	}
	if _, err := h.VerifyGuestToken(tok); err != nil {
		t.Fatal(err)
	}
}

func TestGuestTokenResourceForms(t *testing.T) {
	_, srv := testHost(t, nil)
	for _, id := range []string{DemoDashboardUUID, strings.ToUpper(DemoDashboardUUID), "1", "sales"} {
		b := guestBody()
		b["resources"] = []map[string]any{{"type": "dashboard", "id": id}}
		mint(t, srv.URL, b)
	}
}

func TestGuestTokenErrors(t *testing.T) {
	_, srv := testHost(t, func(c *Config) {
		c.Accounts = append(c.Accounts, Account{Username: "noperm", Password: "pw"})
		c.Dashboards = append(c.Dashboards, Dashboard{ID: 2, Slug: "hidden", Title: "Not embedded"})
	})
	url := srv.URL + "/api/v1/security/guest_token/"
	access := "Bearer " + login(t, srv.URL)

	// Authentication (Superset's JWT layer) and permission.
	r := do(t, "POST", url, guestBody()).Want(t, 401)
	if r.JSON["msg"] != "Missing Authorization Header" {
		t.Fatalf("%s", r.Body)
	}
	do(t, "POST", url, guestBody(), "Authorization", "Bearer forged.token.here").Want(t, 422)
	do(t, "POST", url, guestBody(), "Authorization", "Basic abc").Want(t, 401)
	np := do(t, "POST", srv.URL+"/api/v1/security/login", map[string]any{"username": "noperm", "password": "pw", "provider": "db"}).Want(t, 200)
	r = do(t, "POST", url, guestBody(), "Authorization", "Bearer "+np.JSON["access_token"].(string)).Want(t, 403)
	if r.JSON["message"] != "Forbidden" {
		t.Fatalf("%s", r.Body)
	}
	// A guest token is not an access token: its signature does not verify.
	do(t, "POST", url, guestBody(), "Authorization", "Bearer "+mint(t, srv.URL, guestBody())).Want(t, 422)
	// CalabiIQ-style API key works.
	do(t, "POST", url, guestBody(), "Authorization", "Bearer "+DemoAPIKey).Want(t, 200)

	field := func(r response, path ...string) any {
		var v any = r.JSON["message"]
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no %v in %s", path, r.Body)
			}
			v = m[p]
		}
		return v
	}
	msgs := func(v any) string {
		l, _ := v.([]any)
		var s []string
		for _, x := range l {
			s = append(s, x.(string))
		}
		return strings.Join(s, "|")
	}

	b := guestBody()
	delete(b, "user")
	r = do(t, "POST", url, b, "Authorization", access).Want(t, 400)
	if !strings.Contains(msgs(field(r, "user")), "500") {
		t.Fatalf("missing user should explain the stock 500: %s", r.Body)
	}

	b = guestBody()
	delete(b, "resources")
	delete(b, "rls")
	r = do(t, "POST", url, b, "Authorization", access).Want(t, 400)
	if msgs(field(r, "resources")) != apijson.MsgRequired || msgs(field(r, "rls")) != apijson.MsgRequired {
		t.Fatalf("%s", r.Body)
	}

	b = guestBody(map[string]any{"dataset": "x"}, map[string]any{"clause": 3})
	b["resources"] = []any{map[string]any{"type": "chart", "id": 5}, "nope"}
	b["user"] = map[string]any{"username": 7}
	r = do(t, "POST", url, b, "Authorization", access).Want(t, 400)
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"resources", "0", "type"}, "Must be one of: dashboard."},
		{[]string{"resources", "0", "id"}, apijson.MsgNotString},
		{[]string{"resources", "1", "_schema"}, apijson.MsgNotObject},
		{[]string{"rls", "0", "dataset"}, apijson.MsgNotInteger},
		{[]string{"rls", "0", "clause"}, apijson.MsgRequired},
		{[]string{"rls", "1", "clause"}, apijson.MsgNotString},
		{[]string{"user", "username"}, apijson.MsgNotString},
	} {
		if got := msgs(field(r, c.path...)); got != c.want {
			t.Errorf("%v: %q, want %q", c.path, got, c.want)
		}
	}

	// Superset mints for any dashboard's id or slug, embedded or not ("2"
	// and "hidden" here), and refuses only what names no dashboard.
	for _, id := range []string{"hidden", "2"} {
		b = guestBody()
		b["resources"] = []map[string]any{{"type": "dashboard", "id": id}}
		do(t, "POST", url, b, "Authorization", access).Want(t, 200)
	}
	for _, id := range []string{"no-such-uuid", "99"} {
		b = guestBody()
		b["resources"] = []map[string]any{{"type": "dashboard", "id": id}}
		r = do(t, "POST", url, b, "Authorization", access).Want(t, 400)
		if r.JSON["message"] != "EmbeddedDashboard not found." {
			t.Fatalf("%s: %s", id, r.Body)
		}
	}
	r = do(t, "POST", url, "[]", "Authorization", access).Want(t, 400)
	do(t, "POST", url, "{", "Authorization", access).Want(t, 400)
	do(t, "GET", url, nil).Want(t, 405)
}

// TestGuestTokenStrictCSRFFirst checks that in strict mode the CSRF check
// comes before authentication, as Flask-WTF's runs before any view.
func TestGuestTokenStrictCSRFFirst(t *testing.T) {
	_, srv := testHost(t, func(c *Config) { c.StrictCSRF = true })
	r := do(t, "POST", guestTokenURL(srv.URL), guestBody()).Want(t, 400)
	if !strings.Contains(r.JSON["message"].(string), "CSRF token is missing") {
		t.Fatalf("%s", r.Body)
	}
}
