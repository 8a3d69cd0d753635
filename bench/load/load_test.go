package load

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkGuestTokenMint is the dev server's minting cost, for
// `go test -bench . ./bench/load`.
func BenchmarkGuestTokenMint(b *testing.B) {
	bench, closeHost, err := MintBenchmark()
	if err != nil {
		b.Fatal(err)
	}
	defer closeHost()
	bench(b)
}

func TestRunCountsRequestsAndStops(t *testing.T) {
	srv := httptest.NewServer(Bare())
	defer srv.Close()
	start := time.Now()
	res, err := Run(context.Background(), Target{Name: "bare", Method: "POST", URL: srv.URL, Body: []byte(`{}`)},
		Limits{Connections: 4, Duration: 200 * time.Millisecond, Warmup: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("run took %v, want it bounded by its duration", time.Since(start))
	}
	if res.Requests == 0 || res.Errors != 0 || res.PerSecond <= 0 || res.P99Ms < res.P50Ms {
		t.Errorf("unexpected result %+v", res)
	}
}

func TestRunRefusesOtherHosts(t *testing.T) {
	if _, err := Run(context.Background(), Target{URL: "http://192.0.2.1/"}, Limits{Duration: time.Millisecond}); err == nil {
		t.Error("a non-loopback target must be refused")
	}
}

func TestRunCountsErrors(t *testing.T) {
	srv := httptest.NewServer(nil) // answers 404
	defer srv.Close()
	res, err := Run(context.Background(), Target{Name: "404", Method: "GET", URL: srv.URL + "/nothing"},
		Limits{Connections: 2, Duration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors == 0 || res.FirstError != "HTTP 404" {
		t.Errorf("errors = %d (%q), want 404s counted", res.Errors, res.FirstError)
	}
}
