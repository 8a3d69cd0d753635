package devserver

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"sync"
)

// csrfCookie is the session cookie CSRF tokens are bound to, named like
// Flask's.
const csrfCookie = "session"

// csrfStore binds CSRF tokens to sessions, as Flask-WTF does through the
// signed session cookie.
type csrfStore struct {
	mu     sync.Mutex
	tokens map[string]string // session id -> csrf token
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// handleCSRFToken is GET /api/v1/security/csrf_token/: a logged-in client
// gets a CSRF token and (when it has none) a session cookie it is bound to.
func (h *BIHost) handleCSRFToken(w http.ResponseWriter, r *http.Request) {
	if _, err := h.authenticate(r, "access"); err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	sid := ""
	if c, err := r.Cookie(csrfCookie); err == nil {
		sid = c.Value
	}
	h.csrf.mu.Lock()
	defer h.csrf.mu.Unlock()
	if h.csrf.tokens == nil {
		h.csrf.tokens = map[string]string{}
	}
	tok, ok := h.csrf.tokens[sid]
	if sid == "" || !ok {
		sid = randomHex(16)
		tok = randomHex(20)
		h.csrf.tokens[sid] = tok
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	writeJSON(w, http.StatusOK, map[string]string{"result": tok})
}

// checkCSRF enforces X-CSRFToken plus the session cookie in strict mode and
// answers 400 with Flask-WTF's messages when they are wrong. Outside strict
// mode it lets everything through, as deployments that exempt the
// guest-token endpoint do.
func (h *BIHost) checkCSRF(w http.ResponseWriter, r *http.Request) bool {
	if !h.cfg.StrictCSRF {
		return true
	}
	sent := r.Header.Get("X-CSRFToken")
	if sent == "" {
		writeError(w, http.StatusBadRequest, "400 Bad Request: The CSRF token is missing. (strict CSRF mode: GET /api/v1/security/csrf_token/ first and send its result as X-CSRFToken with the session cookie)")
		return false
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil {
		writeError(w, http.StatusBadRequest, "400 Bad Request: The CSRF session token is missing. (send the session cookie set by /api/v1/security/csrf_token/)")
		return false
	}
	h.csrf.mu.Lock()
	want, ok := h.csrf.tokens[c.Value]
	h.csrf.mu.Unlock()
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(sent)) != 1 {
		writeError(w, http.StatusBadRequest, "400 Bad Request: The CSRF tokens do not match.")
		return false
	}
	return true
}
