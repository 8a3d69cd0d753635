package devserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// underLoadFor is how long TestMockUnderFaultsAndLoad runs: a minute, the
// only long test of the package.
const underLoadFor = 60 * time.Second

// faultWindow is when a fault that may answer 5xx was on.
type faultWindow struct{ from, to time.Time }

// serverError is a 5xx answer, to be matched against the fault windows.
type serverError struct {
	what       string
	status     int
	start, end time.Time
}

// TestMockUnderFaultsAndLoad: a minute of mixed traffic — guest tokens
// minted, embedded pages loaded, chart data read with the tokens — while
// faults are switched on and off every few seconds. The only 5xx answers
// are those a fault asked for (503 and 504 from the guest-token endpoint
// while guest_token_fail or guest_token_hang is on), no goroutine is left
// behind and the heap does not grow.
func TestMockUnderFaultsAndLoad(t *testing.T) {
	h, srv := testHost(t, nil)
	client := &http.Client{Timeout: 10 * time.Second}

	send := func(method, path string, body any, header ...string) (int, map[string]any, error) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, srv.URL+path, rd)
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return resp.StatusCode, m, nil
	}

	var (
		mu       sync.Mutex
		windows  []faultWindow
		errs5xx  []serverError
		failures []string
		counts   = map[string]int{}
	)
	record := func(what string, status int, start time.Time, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			failures = append(failures, what+": "+err.Error())
		case status >= 500:
			errs5xx = append(errs5xx, serverError{what, status, start, time.Now()})
		}
		counts[fmt.Sprintf("%s %d", what, status)]++
	}

	baseline := func() (goroutines int, heap uint64) {
		client.CloseIdleConnections()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return runtime.NumGoroutine(), ms.HeapAlloc
	}

	goroutines0, _ := baseline()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			access, guestTok := "", ""
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				switch {
				case access == "":
					status, m, err := send("POST", "/api/v1/security/login", map[string]any{"username": "admin", "password": "admin", "provider": "db"})
					record("login", status, start, err)
					if tok, ok := m["access_token"].(string); ok {
						access = "Bearer " + tok
					}
				case i%3 == 0 || guestTok == "":
					status, m, err := send("POST", "/api/v1/security/guest_token/", guestBody(map[string]any{"clause": "tenant = 'acme'"}), "Authorization", access)
					record("mint", status, start, err)
					if tok, ok := m["token"].(string); ok {
						guestTok = tok
					}
				case i%3 == 1:
					status, _, err := send("GET", "/embedded/"+DemoDashboardUUID+"?uiConfig=16", nil, "Referer", "http://127.0.0.1:9/")
					record("page", status, start, err)
				default:
					chart := mustChart(1)
					status, _, err := send("POST", "/api/v1/chart/data", map[string]any{
						"datasource": map[string]any{"id": chart.Dataset, "type": "table"},
						"form_data":  map[string]any{"slice_id": chart.ID, "dashboardId": DemoDashboardID},
						"queries":    []any{map[string]any{"filters": []any{}}},
					}, "X-GuestToken", guestTok)
					record("chart data", status, start, err)
				}
			}
		}(w)
	}

	faults := []Faults{
		{}, {GuestTokenFail: 5}, {Slow: 30 * time.Millisecond}, {API401: 5}, {GuestTokenHang: 300 * time.Millisecond},
		{TokenLifetime: 3 * time.Second}, {NoHandshake: true}, {DropFraming: true},
	}
	var heap0 uint64
	var switched atomic.Int32
	began := time.Now()
	for i := 0; time.Since(began) < underLoadFor; i++ {
		f := faults[i%len(faults)]
		from := time.Now()
		h.SetFaults(f)
		switched.Add(1)
		time.Sleep(3 * time.Second)
		if f.GuestTokenFail > 0 || f.GuestTokenHang > 0 {
			mu.Lock()
			// A hang answers up to its length after the fault is lifted.
			windows = append(windows, faultWindow{from, time.Now().Add(f.GuestTokenHang)})
			mu.Unlock()
		}
		if i == 3 {
			// Warmed up: every pool and cache is as big as it gets.
			_, heap0 = baseline()
		}
	}
	h.SetFaults(Faults{})
	close(stop)
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d fault switches; answers: %v", switched.Load(), counts)
	if len(failures) > 0 {
		t.Errorf("%d requests failed outright, first: %s", len(failures), failures[0])
	}
	for _, e := range errs5xx {
		asked := false
		for _, w := range windows {
			asked = asked || (e.what == "mint" && (e.status == 503 || e.status == 504) && e.start.Before(w.to) && e.end.After(w.from))
		}
		if !asked {
			t.Errorf("%s answered %d at %v with no fault asking for it", e.what, e.status, e.start.Sub(began))
		}
	}
	for _, what := range []string{"mint 200", "page 200", "chart data 200"} {
		if counts[what] == 0 {
			t.Errorf("no %q in a minute: the traffic was not mixed", what)
		}
	}

	var heap1 uint64
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		n, heap1 = baseline()
		if n <= goroutines0 || time.Now().After(deadline) {
			if n > goroutines0 {
				t.Errorf("%d goroutines after the load, %d before: a leak", n, goroutines0)
			}
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if heap1 > heap0+heap0/2+8<<20 {
		t.Errorf("heap grew from %d KB (warmed up) to %d KB", heap0>>10, heap1>>10)
	}
	t.Logf("heap: %d KB warmed up, %d KB at the end", heap0>>10, heap1>>10)
}
