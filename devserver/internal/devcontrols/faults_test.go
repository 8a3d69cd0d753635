package devcontrols

import (
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
