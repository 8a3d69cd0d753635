package devserver

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults(" token_lifetime=20s, guest_token_fail=2,guest_token_hang=1.5,no_handshake,api_401,slow=300ms,drop_framing=false")
	if err != nil {
		t.Fatal(err)
	}
	want := Faults{TokenLifetime: 20 * time.Second, GuestTokenFail: 2, GuestTokenHang: 1500 * time.Millisecond,
		NoHandshake: true, API401: 1, Slow: 300 * time.Millisecond}
	if f != want {
		t.Fatalf("%+v", f)
	}
	if g, err := ParseFaults(f.String()); err != nil || g != f {
		t.Fatalf("round trip %q: %+v %v", f.String(), g, err)
	}
	for _, bad := range []string{"explode", "slow=fast", "guest_token_fail=-1", "no_handshake=maybe", "token_lifetime=-3s"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFaultControlEndpoints(t *testing.T) {
	h, srv := testHost(t, nil)
	url := srv.URL + "/__dashembed/faults"
	r := do(t, "POST", url+"?faults=guest_token_fail=1,api_401=2", nil).want(t, 200)
	if r.json["spec"] != "guest_token_fail=1,api_401=2" {
		t.Fatalf("%s", r.body)
	}
	r = do(t, "GET", url, nil).want(t, 200)
	if r.json["guest_token_fail"] != 1.0 || r.json["api_401"] != 2.0 {
		t.Fatalf("%s", r.body)
	}
	r = do(t, "POST", url, map[string]any{"token_lifetime": "10s", "no_handshake": true, "slow": 0.001}).want(t, 200)
	if f := h.faults.get(); f.TokenLifetime != 10*time.Second || !f.NoHandshake || f.Slow != time.Millisecond || f.GuestTokenFail != 0 {
		t.Fatalf("%+v", f)
	}
	do(t, "POST", url, map[string]any{"spec": "token_lifetime=7s"}).want(t, 200)
	do(t, "POST", url, map[string]any{"boom": 1}).want(t, 400)
	do(t, "POST", url+"?faults=boom", nil).want(t, 400)
	do(t, "DELETE", url, nil).want(t, 200)
	if h.faults.get() != (Faults{}) {
		t.Fatal("not cleared")
	}
	do(t, "PUT", url, nil).want(t, 405)
}

func TestFaultsFire(t *testing.T) {
	h, srv := testHost(t, nil)
	gt := srv.URL + "/api/v1/security/guest_token/"
	auth := "Bearer " + login(t, srv.URL)

	h.SetFaults(Faults{GuestTokenFail: 2})
	do(t, "POST", gt, guestBody(), "Authorization", auth).want(t, 503)
	do(t, "POST", gt, guestBody(), "Authorization", auth).want(t, 503)
	do(t, "POST", gt, guestBody(), "Authorization", auth).want(t, 200)
	do(t, "POST", gt+"?faults=guest_token_fail", guestBody(), "Authorization", auth).want(t, 503)

	h.SetFaults(Faults{TokenLifetime: 7 * time.Second})
	c, _ := h.VerifyGuestToken(mint(t, srv.URL, guestBody()))
	if d := c.ExpiresAt - c.IssuedAt; d < 6.99 || d > 7.01 {
		t.Fatalf("lifetime %v", d)
	}

	h.SetFaults(Faults{GuestTokenHang: 50 * time.Millisecond})
	start := time.Now()
	r := do(t, "POST", gt, guestBody(), "Authorization", auth).want(t, 504)
	if time.Since(start) < 50*time.Millisecond || !strings.Contains(r.json["message"].(string), "hung") {
		t.Fatalf("hang: %s", r.body)
	}
	// A client that gives up ends the hang.
	h.SetFaults(Faults{GuestTokenHang: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", gt, nil)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("hang did not hang")
	}
}

func TestFaultsAPIAndSlow(t *testing.T) {
	h, srv := testHost(t, nil)
	tok := mint(t, srv.URL, guestBody())
	me := srv.URL + "/api/v1/me/roles/"
	h.SetFaults(Faults{API401: 1})
	r := do(t, "GET", me, nil, "X-GuestToken", tok).want(t, 401)
	if !strings.Contains(r.json["detail"].(string), "api_401") {
		t.Fatalf("%s", r.body)
	}
	do(t, "GET", me, nil, "X-GuestToken", tok).want(t, 200)

	h.SetFaults(Faults{Slow: 60 * time.Millisecond})
	start := time.Now()
	do(t, "GET", me, nil, "X-GuestToken", tok).want(t, 200)
	if time.Since(start) < 60*time.Millisecond {
		t.Fatal("slow fault ignored")
	}
	h.SetFaults(Faults{})
	start = time.Now()
	do(t, "GET", me+"?faults=slow=60ms", nil, "X-GuestToken", tok).want(t, 200)
	if time.Since(start) < 60*time.Millisecond {
		t.Fatal("per-request slow fault ignored")
	}
	found := false
	for _, ev := range h.Events() {
		found = found || ev.Kind == "fault" && ev.Detail["fault"] == "api_401"
	}
	if !found {
		t.Fatal("no fault event")
	}
}
