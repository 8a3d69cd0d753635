package devserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

// serveJSON sends one request straight to h and decodes a JSON answer.
func serveJSON(h http.Handler, method, path string, body []byte, header ...string) (int, map[string]any, string) {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return rec.Code, m, rec.Body.String()
}

// fuzzHost is a BI host for a fuzz target, with an admin access token, a
// guest token and a Preset access token.
func fuzzHost(f *testing.F) (h *BIHost, access, guestTok, preset string) {
	cfg := DefaultConfig()
	cfg.ReloadPoll = -1
	cfg.MaxBodyBytes = 1 << 16
	h, err := NewBIHost(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { h.Close() })
	must := func(status int, m map[string]any, body string) map[string]any {
		if status != 200 {
			f.Fatalf("setting up: %d %s", status, body)
		}
		return m
	}
	access = "Bearer " + must(serveJSON(h, "POST", "/api/v1/security/login", []byte(`{"username":"admin","password":"admin","provider":"db"}`)))["access_token"].(string)
	gb, _ := json.Marshal(guestBody())
	guestTok = must(serveJSON(h, "POST", "/api/v1/security/guest_token/", gb, "Authorization", access))["token"].(string)
	preset = "Bearer " + must(serveJSON(h, "POST", "/v1/auth/", []byte(`{"name":"demo","secret":"demo"}`)))["payload"].(map[string]any)["access_token"].(string)
	return h, access, guestTok, preset
}

// FuzzEndpoints: any body sent to any endpoint that reads one gets a 2xx,
// or a 4xx with a JSON message; never a 5xx (no fault is on) or a panic.
// A guest token minted from a fuzzed body carries the rules it was asked
// for, exactly.
func FuzzEndpoints(f *testing.F) {
	h, access, guestTok, preset := fuzzHost(f)
	type ep struct{ method, path, header, value string }
	eps := []ep{
		{"POST", "/api/v1/security/login", "", ""},
		{"POST", "/api/v1/security/guest_token/", "Authorization", access},
		{"POST", "/api/v1/dashboard/1/embedded", "Authorization", access},
		{"PUT", "/api/v1/dashboard/1/embedded", "Authorization", access},
		{"POST", "/api/v1/dashboard/1/permalink", "X-GuestToken", guestTok},
		{"POST", "/api/v1/chart/data", "X-GuestToken", guestTok},
		{"POST", "/v1/auth/", "", ""},
		{"POST", "/v1/teams/t/workspaces/w/guest-token/", "Authorization", preset},
		{"POST", "/0.1.0/authorization", "", ""},
	}
	gb, _ := json.Marshal(guestBody(map[string]any{"clause": "tenant = 'acme'"}, map[string]any{"dataset": 1, "clause": "1=1) OR (1=1"}))
	for i := range eps {
		for _, seed := range []string{`{}`, `{"a":`, `null`, `[1]`, string(gb),
			`{"username":"admin","password":"admin","provider":"db"}`, `{"allowed_domains":["http://x"]}`,
			`{"form_data":{"slice_id":1},"queries":[{"filters":[{"col":"region","op":"IN","val":["North"]}]}]}`,
			`{"action":"create","key":"k","token":"t","version":"0.1.0","properties":{"type":"embed"}}`,
			`{"dataMask":{},"activeTabs":[],"anchor":"x","urlParams":[]}`} {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		e := eps[int(which)%len(eps)]
		status, m, raw := serveJSON(h, e.method, e.path, body, e.header, e.value)
		if n := h.panics.Load(); n != 0 {
			t.Fatalf("%s %s %q: reached the recover middleware", e.method, e.path, body)
		}
		switch {
		case status >= 500:
			t.Fatalf("%s %s %q: %d %s", e.method, e.path, body, status, raw)
		case status >= 400:
			msg := m["message"]
			if msg == nil {
				msg = m["msg"]
			}
			if msg == nil || toJSON(msg) == `""` {
				t.Fatalf("%s %s %q: %d without a JSON message: %s", e.method, e.path, body, status, raw)
			}
		case e.path == "/api/v1/security/guest_token/":
			checkMintedRules(t, h, body, m["token"])
		}
	})
}

// checkMintedRules checks that the token minted for body carries body's
// rls, and verifies.
func checkMintedRules(t *testing.T, h *BIHost, body []byte, tok any) {
	t.Helper()
	s, _ := tok.(string)
	c, err := h.VerifyGuestToken(s)
	if err != nil {
		t.Fatalf("minted a token that does not verify (%v) for %q", err, body)
	}
	// Keys are matched exactly, as Superset's schema does (encoding/json's
	// structs would match "DataSet" too).
	var req map[string]any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if d.Decode(&req) != nil {
		return
	}
	var want, got []string
	rules, _ := req["rls"].([]any)
	for _, r := range rules {
		rule, _ := r.(map[string]any)
		ds := ""
		if n, ok := rule["dataset"].(json.Number); ok {
			v, _ := n.Float64()
			ds = toJSON(v)
		}
		clause, _ := rule["clause"].(string)
		want = append(want, ds+"|"+clause)
	}
	for _, r := range c.RLSRules {
		d := ""
		if r.Dataset != nil {
			d = toJSON(*r.Dataset)
		}
		got = append(got, d+"|"+r.Clause)
	}
	if len(want) != 0 || len(got) != 0 {
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("minted rls %q for a request asking %q", got, want)
		}
	}
}
