package devserver

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultControlEndpoints(t *testing.T) {
	h, srv := testHost(t, nil)
	url := srv.URL + "/__dashembed/faults"
	r := do(t, "POST", url+"?faults=guest_token_fail=1,api_401=2", nil).Want(t, 200)
	if r.JSON["spec"] != "guest_token_fail=1,api_401=2" {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "GET", url, nil).Want(t, 200)
	if r.JSON["guest_token_fail"] != 1.0 || r.JSON["api_401"] != 2.0 {
		t.Fatalf("%s", r.Body)
	}
	r = do(t, "POST", url, map[string]any{"token_lifetime": "10s", "no_handshake": true, "slow": 0.001}).Want(t, 200)
	if f := h.Faults(); f.TokenLifetime != 10*time.Second || !f.NoHandshake || f.Slow != time.Millisecond || f.GuestTokenFail != 0 {
		t.Fatalf("%+v", f)
	}
	do(t, "POST", url, map[string]any{"spec": "token_lifetime=7s"}).Want(t, 200)
	do(t, "POST", url, map[string]any{"boom": 1}).Want(t, 400)
	do(t, "POST", url+"?faults=boom", nil).Want(t, 400)
	do(t, "DELETE", url, nil).Want(t, 200)
	if h.Faults() != (Faults{}) {
		t.Fatal("not cleared")
	}
	do(t, "PUT", url, nil).Want(t, 405)
}

func TestFaultsFire(t *testing.T) {
	h, srv := testHost(t, nil)
	gt := srv.URL + "/api/v1/security/guest_token/"
	auth := "Bearer " + login(t, srv.URL)

	h.SetFaults(Faults{GuestTokenFail: 2})
	do(t, "POST", gt, guestBody(), "Authorization", auth).Want(t, 503)
	do(t, "POST", gt, guestBody(), "Authorization", auth).Want(t, 503)
	do(t, "POST", gt, guestBody(), "Authorization", auth).Want(t, 200)
	do(t, "POST", gt+"?faults=guest_token_fail", guestBody(), "Authorization", auth).Want(t, 503)

	h.SetFaults(Faults{TokenLifetime: 7 * time.Second})
	c, _ := h.VerifyGuestToken(mint(t, srv.URL, guestBody()))
	if d := c.ExpiresAt - c.IssuedAt; d < 6.99 || d > 7.01 {
		t.Fatalf("lifetime %v", d)
	}

	h.SetFaults(Faults{GuestTokenHang: 50 * time.Millisecond})
	start := time.Now()
	r := do(t, "POST", gt, guestBody(), "Authorization", auth).Want(t, 504)
	if time.Since(start) < 50*time.Millisecond || !strings.Contains(r.JSON["message"].(string), "hung") {
		t.Fatalf("hang: %s", r.Body)
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
	r := do(t, "GET", me, nil, "X-GuestToken", tok).Want(t, 401)
	if !strings.Contains(r.JSON["detail"].(string), "api_401") {
		t.Fatalf("%s", r.Body)
	}
	do(t, "GET", me, nil, "X-GuestToken", tok).Want(t, 200)

	h.SetFaults(Faults{Slow: 60 * time.Millisecond})
	start := time.Now()
	do(t, "GET", me, nil, "X-GuestToken", tok).Want(t, 200)
	if time.Since(start) < 60*time.Millisecond {
		t.Fatal("slow fault ignored")
	}
	h.SetFaults(Faults{})
	start = time.Now()
	do(t, "GET", me+"?faults=slow=60ms", nil, "X-GuestToken", tok).Want(t, 200)
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
