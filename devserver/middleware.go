package devserver

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"time"
)

// statusRecorder remembers the status a handler wrote, so middleware can
// log it and know whether a response has started.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush passes through to the underlying writer when it can flush.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets the websocket upgrade take over the connection.
func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response writer cannot be hijacked")
	}
	s.status = http.StatusSwitchingProtocols
	return hj.Hijack()
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// serveWithMiddleware wraps the router: recover from bugs, bound request
// bodies, apply the slow-response fault and log each request.
func (h *BIHost) serveWithMiddleware(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w}
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			// Only a real bug gets here: every bad input has its own 4xx
			// answer, and a test sends them all to prove it.
			h.panics.Add(1)
			h.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if rec.status == 0 {
				writeError(rec, http.StatusInternalServerError, "Internal server error (a bug in the dev server; see its log)")
			}
		}
		h.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	}()
	if r.Body != nil {
		r.Body = http.MaxBytesReader(rec, r.Body, h.cfg.MaxBodyBytes)
	}
	if !h.slowFault(rec, r) {
		return
	}
	h.router.ServeHTTP(rec, r)
}

// slowFault delays the response when the slow fault is set, globally or in
// the request's ?faults=. It returns false when the client went away or the
// parameter is malformed (and then it has answered).
func (h *BIHost) slowFault(w http.ResponseWriter, r *http.Request) bool {
	local, err := requestFaults(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Bad faults parameter: "+err.Error())
		return false
	}
	d := local.Slow
	if d == 0 {
		d = h.faults.get().Slow
	}
	if d <= 0 {
		return true
	}
	// Read the body first (the handler gets it back from memory): only then
	// does net/http notice a client that gives up during the delay.
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "Request body too large or unreadable: "+err.Error())
			return false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
