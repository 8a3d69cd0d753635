package devserver

import (
	"net/http"
	"runtime/debug"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/httpkit"
)

// serveWithMiddleware wraps the router: recover from bugs, bound request
// bodies, apply the slow-response fault and log each request.
func (h *BIHost) serveWithMiddleware(w http.ResponseWriter, r *http.Request) {
	rec := &httpkit.StatusRecorder{ResponseWriter: w}
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
			if rec.Status == 0 {
				apijson.WriteError(rec, http.StatusInternalServerError, "Internal server error (a bug in the dev server; see its log)")
			}
		}
		h.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.Status, "duration", time.Since(start))
	}()
	if r.Body != nil {
		r.Body = http.MaxBytesReader(rec, r.Body, h.cfg.MaxBodyBytes)
	}
	if h.cfg.ClockSkew != 0 {
		// net/http keeps a Date the handler set: this one comes from the
		// skewed clock, as a host whose clock is off would send it.
		rec.Header().Set("Date", h.cfg.Now().UTC().Format(http.TimeFormat))
	}
	if !h.ctl.SlowFault(rec, r) {
		return
	}
	h.router.ServeHTTP(rec, r)
}
