// Package load measures the mock BI host under load on loopback: a Go
// benchmark of guest-token minting, and a bounded closed-loop load
// generator run against the host's endpoints and against a bare net/http
// handler, the ceiling this machine allows.
package load

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dashembed/dashembed/bench/stats"
)

// Target is one endpoint to load.
type Target struct {
	// Name labels the target in the results.
	Name string
	// Method, URL, Header and Body make each request; URL must be on
	// loopback.
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// Result is one load run.
type Result struct {
	Name        string  `json:"name"`
	Connections int     `json:"connections"`
	Seconds     float64 `json:"seconds"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	// FirstError describes the first failure, so that a non-zero error
	// count can be acted on.
	FirstError string  `json:"first_error,omitempty"`
	PerSecond  float64 `json:"per_second"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
}

// Limits bound a load run in time and in count.
type Limits struct {
	// Connections is the number of concurrent clients, each with its own
	// keep-alive connection, each sending its next request when the last
	// one is answered.
	Connections int
	// Duration is the measured time; Warmup runs before it, not counted.
	Duration, Warmup time.Duration
	// MaxRequests stops the run early once reached (0: 5 million).
	MaxRequests int
}

// Run loads the target within the limits. Only 127.0.0.0/8 and localhost
// URLs are accepted: this is a benchmark of a server on this machine.
func Run(ctx context.Context, t Target, lim Limits) (Result, error) {
	if !loopback(t.URL) {
		return Result{}, fmt.Errorf("load: refusing %s: only loopback targets are allowed", t.URL)
	}
	if lim.Connections <= 0 {
		lim.Connections = 64
	}
	if lim.MaxRequests <= 0 {
		lim.MaxRequests = 5_000_000
	}
	tr := &http.Transport{
		MaxIdleConns:        lim.Connections,
		MaxIdleConnsPerHost: lim.Connections,
		MaxConnsPerHost:     lim.Connections,
		DisableCompression:  true,
		IdleConnTimeout:     30 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	ctx, cancel := context.WithTimeout(ctx, lim.Warmup+lim.Duration)
	defer cancel()
	measureFrom := time.Now().Add(lim.Warmup)

	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		firstErr  string
		started   atomic.Int64
	)
	var wg sync.WaitGroup
	for range lim.Connections {
		wg.Go(func() {
			local := make([]time.Duration, 0, 4096)
			localErrs := 0
			var localFirst string
			defer func() {
				mu.Lock()
				latencies = append(latencies, local...)
				errs += localErrs
				if firstErr == "" {
					firstErr = localFirst
				}
				mu.Unlock()
			}()
			for ctx.Err() == nil {
				if started.Add(1) > int64(lim.MaxRequests) {
					return
				}
				start := time.Now()
				err := do(ctx, client, t)
				if ctx.Err() != nil {
					// Cut off by the end of the run, not a server error.
					return
				}
				if start.Before(measureFrom) {
					continue
				}
				if err != nil {
					localErrs++
					if localFirst == "" {
						localFirst = err.Error()
					}
					continue
				}
				local = append(local, time.Since(start))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(measureFrom).Seconds()
	q := stats.DurationQuantiles(latencies, 0.5, 0.99, 1)
	return Result{
		Name:        t.Name,
		Connections: lim.Connections,
		Seconds:     elapsed,
		Requests:    len(latencies) + errs,
		Errors:      errs,
		FirstError:  firstErr,
		PerSecond:   float64(len(latencies)) / elapsed,
		P50Ms:       q[0],
		P99Ms:       q[1],
		MaxMs:       q[2],
	}, nil
}

// do sends one request and reads the whole answer; anything but 200 is an
// error.
func do(ctx context.Context, client *http.Client, t Target) error {
	var body io.Reader
	if t.Body != nil {
		body = bytes.NewReader(t.Body)
	}
	req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, body)
	if err != nil {
		return err
	}
	for k, v := range t.Header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// loopback reports whether a URL's host is on this machine.
func loopback(raw string) bool {
	for _, prefix := range []string{"http://127.", "http://localhost:", "http://[::1]:"} {
		if strings.HasPrefix(raw, prefix) {
			return true
		}
	}
	return false
}

// Bare is the ceiling: a net/http handler that reads the request and
// answers a fixed, token-sized JSON body, with no routing, no JSON
// decoding and no signing.
func Bare() http.Handler {
	body := []byte(`{"token":"` + strings.Repeat("x", 400) + `"}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}
