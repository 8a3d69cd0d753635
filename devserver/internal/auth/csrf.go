package auth

import (
	"crypto/subtle"
	"net/http"
	"sync"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/randid"
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

// HandleCSRFToken is GET /api/v1/security/csrf_token/: a logged-in client
// gets a CSRF token and (when it has none) a session cookie it is bound to.
func (s *Service) HandleCSRFToken(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Authenticate(r); err != nil {
		WriteError(w, err)
		return
	}
	sid := ""
	if c, err := r.Cookie(csrfCookie); err == nil {
		sid = c.Value
	}
	s.csrf.mu.Lock()
	defer s.csrf.mu.Unlock()
	if s.csrf.tokens == nil {
		s.csrf.tokens = map[string]string{}
	}
	tok, ok := s.csrf.tokens[sid]
	if sid == "" || !ok {
		sid = randid.Hex(16)
		tok = randid.Hex(20)
		s.csrf.tokens[sid] = tok
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	apijson.Write(w, http.StatusOK, map[string]string{"result": tok})
}

// CheckCSRF enforces X-CSRFToken plus the session cookie in strict mode and
// answers 400 with Flask-WTF's messages when they are wrong. Outside strict
// mode it lets everything through, as deployments that exempt the
// guest-token endpoint do.
func (s *Service) CheckCSRF(w http.ResponseWriter, r *http.Request) bool {
	if !s.cfg.StrictCSRF {
		return true
	}
	sent := r.Header.Get("X-CSRFToken")
	if sent == "" {
		apijson.WriteError(w, http.StatusBadRequest, "400 Bad Request: The CSRF token is missing. (strict CSRF mode: GET /api/v1/security/csrf_token/ first and send its result as X-CSRFToken with the session cookie)")
		return false
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil {
		apijson.WriteError(w, http.StatusBadRequest, "400 Bad Request: The CSRF session token is missing. (send the session cookie set by /api/v1/security/csrf_token/)")
		return false
	}
	s.csrf.mu.Lock()
	want, ok := s.csrf.tokens[c.Value]
	s.csrf.mu.Unlock()
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(sent)) != 1 {
		apijson.WriteError(w, http.StatusBadRequest, "400 Bad Request: The CSRF tokens do not match.")
		return false
	}
	return true
}
