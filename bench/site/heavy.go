package site

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// The sizes of the heavy dashboard page's scripts: the mock embedded page
// gets, before its own script (which starts the switchboard), the scripts a
// real dashboard loads first; Superset's embedded entry and vendor chunks
// weigh about 1.9 MB on the wire.
const (
	HeavyEntryBytes  = 1_500_000
	HeavyVendorBytes = 400_000
)

// heavyScripts are the heavy page's scripts by name, generated once.
var heavyScripts = map[string][]byte{
	"entry.js":  heavyScript(HeavyEntryBytes, 1),
	"vendor.js": heavyScript(HeavyVendorBytes, 2),
}

// heavyScript is a script of about n bytes that no compression shrinks,
// so that it weighs the same on the wire in every cell: random bytes in a
// block comment, then one statement that records when it ran. Bytes that
// are not UTF-8 decode to U+FFFD, which a comment may hold; '*' is left
// out so that the comment cannot end early.
func heavyScript(n int, seed uint64) []byte {
	tail := []byte("*/\n(self.benchHeavy = self.benchHeavy || []).push(performance.now());\n")
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]byte, 0, n)
	out = append(out, "/*"...)
	for len(out) < n-len(tail) {
		b := byte(r.Uint32())
		if b == '*' {
			continue
		}
		out = append(out, b)
	}
	return append(out, tail...)
}

// embeddedScript is the mock page's own script tag: the heavy scripts go
// right before it, deferred as it is, so that they run first and in order.
var embeddedScript = []byte(`<script src="/static/page/embedded.js" defer></script>`)

// frameProbe reports, from inside the heavy page, the moment its first
// guest token arrives (the page sets body[data-token-count] to "1"), on the
// same epoch clock as the host page's marks. A cross-site iframe runs in
// its own process, out of reach of the host tab's injected scripts, so the
// page itself carries the probe and sends the time to the bench's server.
const frameProbe = `<script>(() => {
  let sent = false;
  const check = () => {
    if (sent || !document.body || document.body.dataset.tokenCount !== '1') return;
    sent = true;
    const at = performance.timeOrigin + performance.now();
    navigator.sendBeacon('/bench/frame-token', JSON.stringify({ at, url: location.href }));
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-token-count'] });
})();</script>
<script src="/bench/heavy/entry.js" defer></script>
<script src="/bench/heavy/vendor.js" defer></script>
`

// heavyPage returns the BI host's embedded page with the probe and the
// heavy scripts inserted, or ok false when the page is not the one the
// insertion expects (an error page, or a changed page).
func heavyPage(page []byte) (out []byte, ok bool) {
	i := bytes.Index(page, embeddedScript)
	if i < 0 {
		return nil, false
	}
	out = append(out, page[:i]...)
	out = append(out, frameProbe...)
	return append(out, page[i:]...), true
}

// serveEmbedded is GET /embedded/{uuid}: the BI host's page, made heavy
// when the conditions say so.
func (s *Site) serveEmbedded(w http.ResponseWriter, r *http.Request) {
	if !s.Conditions().Heavy {
		s.BI.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	s.BI.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		page, ok := heavyPage(body)
		if !ok {
			// Measuring a light page as if it were heavy would be worse
			// than failing the run.
			http.Error(w, "bench: the embedded page has no "+string(embeddedScript)+" to insert the heavy scripts before", http.StatusInternalServerError)
			return
		}
		body = page
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	w.Write(body)
}

// serveHeavy is GET /bench/heavy/{file}: the heavy scripts, never
// cacheable and never compressed (they would not shrink).
func (s *Site) serveHeavy(w http.ResponseWriter, r *http.Request) {
	data, ok := heavyScripts[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// FrameToken is one report of the heavy page's probe.
type FrameToken struct {
	// At is the epoch milliseconds at which the token arrived.
	At  float64 `json:"at"`
	URL string  `json:"url"`
}

// serveFrameToken is POST /bench/frame-token, the probe's beacon.
func (s *Site) serveFrameToken(w http.ResponseWriter, r *http.Request) {
	var t FrameToken
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&t); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case s.frameTokens <- t:
	default: // nobody is reading: a stray beacon must not block a server
	}
	w.WriteHeader(http.StatusNoContent)
}

// NextFrameToken waits up to timeout for the heavy page's next token
// report and returns its epoch milliseconds.
func (s *Site) NextFrameToken(timeout time.Duration) (float64, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case t := <-s.frameTokens:
		return t.At, nil
	case <-timer.C:
		return 0, errNoFrameToken(timeout)
	}
}

// DrainFrameTokens forgets reports left over from an earlier run.
func (s *Site) DrainFrameTokens() {
	for {
		select {
		case <-s.frameTokens:
		default:
			return
		}
	}
}

type errNoFrameToken time.Duration

func (e errNoFrameToken) Error() string {
	return "no guest token reached the heavy embedded page within " + time.Duration(e).String()
}
