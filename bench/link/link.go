// Package link shapes the benchmark's loopback servers like one network
// link between the visitor and the internet: every byte that either origin
// sends goes through one token bucket shared by all their connections, and
// every response waits one round trip before its first byte. Only the
// servers' side is shaped: the browser's requests are small. DevTools network emulation cannot model
// this: it throttles the host page and a cross-site iframe as separate
// targets, so the SDK would never compete with the dashboard for bandwidth.
package link

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Profile is what a link is shaped to. The zero Profile leaves traffic
// alone.
type Profile struct {
	// Mbps is the throughput from the servers to the browser, in Mbit/s;
	// 0 is unlimited.
	Mbps float64
	// Latency is added before each response: the request's and the first
	// byte's trip together.
	Latency time.Duration
}

// bytesPerSecond is the profile's throughput in bytes per second.
func (p Profile) bytesPerSecond() float64 { return p.Mbps * 1e6 / 8 }

// chunk is the most one reservation takes: big writes are cut up so that
// concurrent responses share the link in turns, as packets of different
// connections do, instead of one response holding it for its whole body.
const chunk = 4096

// Link is the shared bottleneck. Its token bucket fills at the link's rate
// and holds nothing in reserve (a pause banks no burst), so it is kept as
// one time: when everything reserved so far has crossed the link (the
// "theoretical arrival time" of the generic cell rate algorithm). A writer
// reserves its bytes, then sleeps until they are through.
type Link struct {
	mu      sync.Mutex
	profile Profile
	// done is when the bytes reserved so far have crossed the link.
	done time.Time

	// now and sleep are the clock, replaced in tests.
	now   func() time.Time
	sleep func(time.Duration)
}

// New returns an unshaped link.
func New() *Link {
	return &Link{now: time.Now, sleep: time.Sleep}
}

// Set changes the link's profile for the connections already open and
// those to come, and forgets any backlog.
func (l *Link) Set(p Profile) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.profile = p
	l.done = time.Time{}
}

// Profile returns the link's current profile.
func (l *Link) Profile() Profile {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.profile
}

// reserve books n bytes on the link and returns how long the writer must
// wait until they have crossed it. An idle link does not bank capacity:
// a burst after a pause still goes at the link's rate.
func (l *Link) reserve(n int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	rate := l.profile.bytesPerSecond()
	if rate <= 0 {
		return 0
	}
	now := l.now()
	if l.done.Before(now) {
		l.done = now
	}
	l.done = l.done.Add(time.Duration(float64(n) / rate * float64(time.Second)))
	return l.done.Sub(now)
}

// Listener returns ln with every accepted connection's writes going
// through the link.
func (l *Link) Listener(ln net.Listener) net.Listener {
	return &listener{Listener: ln, link: l}
}

// Handler delays each response by the link's latency before h sees the
// request. The wait holds no bandwidth: other responses keep flowing.
func (l *Link) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := l.Profile().Latency; d > 0 {
			l.sleep(d)
		}
		h.ServeHTTP(w, r)
	})
}

type listener struct {
	net.Listener
	link *Link
}

func (ln *listener) Accept() (net.Conn, error) {
	c, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return ln.wrap(c), nil
}

func (ln *listener) wrap(c net.Conn) net.Conn { return &conn{Conn: c, link: ln.link} }

// conn is a connection whose writes cross the link.
type conn struct {
	net.Conn
	link *Link
}

// Write sends p a chunk at a time, each once the link has carried it.
func (c *conn) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), chunk)
		if d := c.link.reserve(n); d > 0 {
			c.link.sleep(d)
		}
		m, err := c.Conn.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}
