package guesttoken

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// newCalabiWithFaults returns a CalabiIQ client, whose single call per token
// keeps attempt counts easy to read, and its fake.
func newCalabiWithFaults(t *testing.T, opts ...Option) (*CalabiIQ, *fakeSuperset) {
	t.Helper()
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.apiKey = "k" })
	c, err := NewCalabiIQ(f.URL, "k", append([]Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

// failFirst answers the first n requests with status and body, then lets
// the fake answer.
func failFirst(n int32, status int, body string) (func(http.ResponseWriter, *http.Request) bool, *atomic.Int32) {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) bool {
		if seen.Add(1) > n {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return true
	}, &seen
}

func TestRetries5xxThenSucceeds(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	fn, seen := failFirst(2, http.StatusBadGateway, `<html>bad gateway</html>`)
	f.before.set(fn)
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := seen.Load(); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
}

func TestRetriesGiveUpWithLastAPIError(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	fn, seen := failFirst(100, http.StatusServiceUnavailable, `{"message":"down for maintenance"}`)
	f.before.set(fn)
	_, err := c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.Message != "down for maintenance" {
		t.Fatalf("err = %v, want the 503 with its message", err)
	}
	if n := seen.Load(); n != 3 {
		t.Errorf("attempts = %d, want 3 (the configured maximum)", n)
	}
}

func TestNo4xxRetry(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422} {
		c, f := newCalabiWithFaults(t)
		fn, seen := failFirst(100, status, `{"message":"no"}`)
		f.before.set(fn)
		_, err := c.GuestToken(context.Background(), dashboardReq())
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != status {
			t.Errorf("%d: err = %v", status, err)
		}
		if n := seen.Load(); n != 1 {
			t.Errorf("%d: attempts = %d, want 1", status, n)
		}
	}
}

func TestRetries429(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	var seen atomic.Int32
	f.before.set(func(w http.ResponseWriter, r *http.Request) bool {
		if seen.Add(1) > 1 {
			return false
		}
		w.Header().Set("Retry-After", "0")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "slow down"})
		return true
	})
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := seen.Load(); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestRetriesNetworkError(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	var seen atomic.Int32
	f.before.set(func(w http.ResponseWriter, r *http.Request) bool {
		if seen.Add(1) > 1 {
			return false
		}
		// Drop the connection without an answer, as a crashing proxy would.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return true
	})
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := seen.Load(); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestNetworkErrorNamesEndpoint(t *testing.T) {
	f := newFakeSuperset(t, nil)
	url := f.URL
	f.Close() // nothing listens any more
	c, err := NewCalabiIQ(url, "k", WithRetry(2, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GuestToken(context.Background(), dashboardReq())
	if err == nil || !strings.Contains(err.Error(), "POST /api/v1/security/guest_token/") || !strings.Contains(err.Error(), "2 attempts") {
		t.Fatalf("err = %v, want the endpoint and the attempt count", err)
	}
}

// hang blocks every request until the client gives up. It reads the body
// first: the server notices a client hanging up only once the body is
// consumed.
func hang(w http.ResponseWriter, r *http.Request) bool {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
	return true
}

func TestHangingServerStopsAtContextDeadline(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	f.before.set(hang)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GuestToken(ctx, dashboardReq())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s after a 100 ms deadline", d)
	}
}

func TestAttemptTimeoutThenRetry(t *testing.T) {
	c, f := newCalabiWithFaults(t, WithAttemptTimeout(50*time.Millisecond))
	var seen atomic.Int32
	f.before.set(func(w http.ResponseWriter, r *http.Request) bool {
		if seen.Add(1) > 1 {
			return false
		}
		return hang(w, r)
	})
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := seen.Load(); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestAttemptTimeoutExhausted(t *testing.T) {
	c, f := newCalabiWithFaults(t, WithAttemptTimeout(20*time.Millisecond), WithRetry(2, time.Millisecond))
	f.before.set(hang)
	_, err := c.GuestToken(context.Background(), dashboardReq())
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 20ms") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a per-attempt timeout", err)
	}
}

func TestContextEndsDuringBackoff(t *testing.T) {
	c, f := newCalabiWithFaults(t, WithRetry(5, 10*time.Second))
	fn, seen := failFirst(100, http.StatusInternalServerError, `{"message":"boom"}`)
	f.before.set(fn)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GuestToken(ctx, dashboardReq())
	var apiErr *APIError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &apiErr) || apiErr.Status != 500 {
		t.Fatalf("err = %v, want DeadlineExceeded wrapping the last 500", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("waited %s despite the deadline", d)
	}
	if n := seen.Load(); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestCanceledContextSendsNothing(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GuestToken(ctx, dashboardReq())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want Canceled", err)
	}
	if n := f.guestCalls.Load(); n != 0 {
		t.Errorf("guest calls = %d after cancellation", n)
	}
}

func TestBackoffDelays(t *testing.T) {
	cfg := defaultConfig()
	cfg.backoff, cfg.maxBackoff = 100*time.Millisecond, time.Second
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 40: time.Second} {
		for range 50 {
			d := cfg.delay(attempt, nil)
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: delay %s outside [%s, %s]", attempt, d, want/2, want)
			}
		}
	}
	hdr := http.Header{"Retry-After": {"3"}}
	if d := cfg.delay(1, hdr); d != time.Second {
		t.Errorf("Retry-After 3 s with a 1 s cap: delay %s, want 1s", d)
	}
	cfg.maxBackoff = 10 * time.Second
	if d := cfg.delay(1, hdr); d != 3*time.Second {
		t.Errorf("Retry-After 3 s: delay %s, want 3s", d)
	}
	hdr.Set("Retry-After", cfg.now().Add(2*time.Second).UTC().Format(http.TimeFormat))
	if d := cfg.delay(1, hdr); d < time.Second || d > 2*time.Second {
		t.Errorf("Retry-After as a date 2 s ahead: delay %s", d)
	}
}
