package link

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told, so that the link's
// arithmetic is tested without waiting. It is atomic because a server's
// goroutine advances it while the test reads it.
type fakeClock struct{ elapsed atomic.Int64 }

func (c *fakeClock) now() time.Time { return time.Unix(1000, 0).Add(time.Duration(c.elapsed.Load())) }

func (c *fakeClock) advance(d time.Duration) { c.elapsed.Add(int64(d)) }

func fakeLink(p Profile) (*Link, *fakeClock) {
	clock := &fakeClock{}
	l := New()
	l.now = clock.now
	l.sleep = clock.advance
	l.Set(p)
	return l, clock
}

func TestReserveQueuesBytesAtTheLinkRate(t *testing.T) {
	// 10 Mbit/s is 1.25 MB/s: 1250 bytes take 1 ms.
	l, _ := fakeLink(Profile{Mbps: 10})
	for i := 1; i <= 5; i++ {
		if got, want := l.reserve(1250), time.Duration(i)*time.Millisecond; got != want {
			t.Fatalf("reservation %d waits %v, want %v (bytes queue behind earlier ones)", i, got, want)
		}
	}
}

func TestAnIdleLinkBanksNothing(t *testing.T) {
	l, clock := fakeLink(Profile{Mbps: 10})
	l.reserve(1250)
	clock.advance(time.Second)
	if got := l.reserve(12500); got != 10*time.Millisecond {
		t.Fatalf("after a pause, 12500 bytes wait %v, want 10ms: a pause must not let a burst through faster", got)
	}
}

func TestUnshapedLinkNeverWaits(t *testing.T) {
	l, _ := fakeLink(Profile{})
	if got := l.reserve(1 << 20); got != 0 {
		t.Fatalf("an unshaped link waits %v", got)
	}
}

func TestSetForgetsTheBacklog(t *testing.T) {
	l, _ := fakeLink(Profile{Mbps: 1})
	l.reserve(1 << 20)
	l.Set(Profile{Mbps: 10})
	if got := l.reserve(1250); got != time.Millisecond {
		t.Fatalf("after Set, 1250 bytes wait %v, want 1ms", got)
	}
}

// TestConnectionsShareOneBucket writes through connections of two
// listeners while the clock stands still: each write waits behind the
// bytes the other connection queued, as on one link.
func TestConnectionsShareOneBucket(t *testing.T) {
	l, _ := fakeLink(Profile{Mbps: 10})
	var waits []time.Duration
	l.sleep = func(d time.Duration) { waits = append(waits, d) }
	a := &conn{Conn: discardConn{}, link: l}
	b := (&listener{link: l}).wrap(discardConn{})
	for _, c := range []net.Conn{a, b, a} {
		if _, err := c.Write(make([]byte, 1250)); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}
	if len(waits) != len(want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v: the second connection must queue behind the first", waits, want)
		}
	}
}

// discardConn is a connection that accepts every write.
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error) { return len(p), nil }

func TestWritesAreCutIntoChunks(t *testing.T) {
	l, _ := fakeLink(Profile{Mbps: 8})
	var waits []time.Duration
	l.sleep = func(d time.Duration) { waits = append(waits, d) }
	c := &conn{Conn: discardConn{}, link: l}
	if n, err := c.Write(make([]byte, 3*chunk+1)); n != 3*chunk+1 || err != nil {
		t.Fatalf("wrote %d, %v", n, err)
	}
	if len(waits) != 4 {
		t.Fatalf("a write of 3 chunks and a byte waited %d times, want 4 (so that other connections get turns)", len(waits))
	}
}

func TestListenerShapesAcceptedConnections(t *testing.T) {
	l, clock := fakeLink(Profile{Mbps: 8})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l.Listener(ln), Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write(make([]byte, 50_000))
	})}}
	srv.Start()
	defer srv.Close()
	start := clock.now()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// The body and the response headers crossed the link.
	if got := clock.now().Sub(start); got < 50*time.Millisecond || got > 52*time.Millisecond {
		t.Fatalf("a 50 KB response took %v of link time, want just over 50ms", got)
	}
}

func TestHandlerAddsTheLatencyToEachResponse(t *testing.T) {
	l, clock := fakeLink(Profile{Latency: 150 * time.Millisecond})
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	start := clock.now()
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	if got := clock.now().Sub(start); got != 450*time.Millisecond {
		t.Fatalf("three responses waited %v, want 450ms", got)
	}
}
