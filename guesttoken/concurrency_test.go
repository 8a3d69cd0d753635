package guesttoken

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// runConcurrently starts n callers at once and returns their errors.
func runConcurrently(n int, call func() error) []error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = call()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func TestConcurrentCallersShareOneLogin(t *testing.T) {
	f := newFakeSuperset(t, func(f *fakeSuperset) { f.loginDelay = 50 * time.Millisecond })
	c := newTestSuperset(t, f)
	const n = 40
	errs := runConcurrently(n, func() error {
		_, err := c.GuestToken(context.Background(), dashboardReq())
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := [2]int32{f.logins.Load(), f.guestCalls.Load()}; got != [2]int32{1, n} {
		t.Errorf("logins, guest calls = %v, want [1 %d]", got, n)
	}
}

func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.revokeAccess()
	errs := runConcurrently(30, func() error {
		_, err := c.GuestToken(context.Background(), dashboardReq())
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := [2]int32{f.logins.Load(), f.refreshes.Load()}; got != [2]int32{1, 1} {
		t.Errorf("logins, refreshes = %v, want [1 1]: every caller saw the same stale token", got)
	}
}

func TestConcurrentPresetCallersShareOneAuth(t *testing.T) {
	f := newFakePreset(t)
	c := newTestPreset(t, f)
	errs := runConcurrently(30, func() error {
		_, err := c.GuestToken(context.Background(), dashboardReq())
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.auths.Load(); n != 1 {
		t.Errorf("auths = %d, want 1", n)
	}
}

func TestWaiterGivesUpOnItsOwnDeadline(t *testing.T) {
	f := newFakeSuperset(t, nil)
	release, started := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f.before.set(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == loginPath {
			once.Do(func() { close(started) })
			<-release
		}
		return false
	})
	c := newTestSuperset(t, f)

	firstDone := make(chan error, 1)
	go func() {
		_, err := c.GuestToken(context.Background(), dashboardReq())
		firstDone <- err
	}()
	<-started // the first caller is now logging in

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GuestToken(ctx, dashboardReq())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded while the login is stuck", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("waited %s for a 50 ms deadline", d)
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatalf("first caller: %v", err)
	}
}

func TestLoginRetriedByWaiterWhenLeaderGivesUp(t *testing.T) {
	f := newFakeSuperset(t, nil)
	var mu sync.Mutex
	stall := true
	f.before.set(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		s := stall
		mu.Unlock()
		if r.URL.Path == loginPath && s {
			return hang(w, r)
		}
		return false
	})
	c := newTestSuperset(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := c.GuestToken(ctx, dashboardReq()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	mu.Lock()
	stall = false
	mu.Unlock()
	// The abandoned login left nothing behind: the next caller logs in.
	if _, err := c.GuestToken(context.Background(), dashboardReq()); err != nil {
		t.Fatal(err)
	}
}

func TestWaitersShareAFailedLogin(t *testing.T) {
	f := newFakeSuperset(t, nil)
	f.before.set(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != loginPath {
			return false
		}
		f.logins.Add(1)
		time.Sleep(100 * time.Millisecond)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"message": "database is down"})
		return true
	})
	c := newTestSuperset(t, f, WithRetry(1, time.Millisecond))
	errs := runConcurrently(20, func() error {
		_, err := c.GuestToken(context.Background(), dashboardReq())
		return err
	})
	for _, err := range errs {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Message != "database is down" {
			t.Fatalf("err = %v, want the login's 503", err)
		}
	}
	// Every caller queued behind the first login shares its failure. A
	// goroutine scheduled very late may start a second one.
	if n := f.logins.Load(); n > 2 {
		t.Errorf("logins = %d for 20 callers, want 1 (2 at most)", n)
	}
}
