package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxBody bounds what a probe reads: enough for the SDK's uncompressed wasm.
const maxBody = 32 << 20

// exchange is one request the doctor made and what came back, kept so that
// later checks can read what the guest-token client did (the Authorization
// it sent, the server's Date, how long the call took).
type exchange struct {
	method, path  string
	status        int
	start, end    time.Time
	date          string
	authorization string
}

// recorder is an http.RoundTripper that logs every exchange.
type recorder struct {
	base http.RoundTripper
	now  func() time.Time
	mu   sync.Mutex
	log  []exchange
}

// RoundTrip implements http.RoundTripper.
func (rec *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	start := rec.now()
	resp, err := rec.base.RoundTrip(req)
	x := exchange{method: req.Method, path: req.URL.Path, start: start, end: rec.now(), authorization: req.Header.Get("Authorization")}
	if resp != nil {
		x.status, x.date = resp.StatusCode, resp.Header.Get("Date")
	}
	rec.mu.Lock()
	rec.log = append(rec.log, x)
	rec.mu.Unlock()
	return resp, err
}

// last returns the latest exchange whose path ends with suffix.
func (rec *recorder) last(suffix string) (exchange, bool) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i := len(rec.log) - 1; i >= 0; i-- {
		if strings.HasSuffix(rec.log[i].path, suffix) {
			return rec.log[i], true
		}
	}
	return exchange{}, false
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
	// gzipped reports that the server compressed the body (Go's transport
	// asked for gzip and decoded it).
	gzipped bool
}

// do sends one probe, bounded by the run's timeout, and reads the answer.
func (r *run) do(ctx context.Context, method, url string, hdr http.Header, body []byte) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return answer{}, r.describe(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, r.describe(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b, gzipped: resp.Uncompressed}, nil
}

// describe turns a timeout into words a reader can act on.
func (r *run) describe(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %s", r.opts.Timeout)
	}
	return err
}

// bearer builds an Authorization header.
func bearer(tok string) http.Header {
	return http.Header{"Authorization": {tok}}
}

// short cuts a server message to one line of reasonable length.
func short(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
