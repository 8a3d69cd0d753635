package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sessionCookie is the cookie's name. Cookies are scoped by host, not port,
// so on 127.0.0.1 a generic name such as "session" would collide with other
// apps running locally (the BI host's included).
const sessionCookie = "go_backend_example_session"

// sessions signs and checks session cookies. The cookie carries the username
// and an expiry, signed with HMAC-SHA256: the browser can read it but not
// forge or extend it, and the server keeps no session state.
type sessions struct {
	key      []byte
	lifetime time.Duration
	now      func() time.Time
}

// errNoSession is any missing, malformed, forged or expired cookie; the
// caller only needs to know that the visitor must log in.
var errNoSession = errors.New("not signed in")

// encode returns the cookie value for username, valid until now+lifetime.
func (s *sessions) encode(username string) string {
	exp := s.now().Add(s.lifetime).Unix()
	payload := base64.RawURLEncoding.EncodeToString([]byte(username + "|" + strconv.FormatInt(exp, 10)))
	return payload + "." + s.sign(payload)
}

// decode returns the username of a valid, unexpired cookie value.
func (s *sessions) decode(value string) (string, error) {
	payload, sig, ok := strings.Cut(value, ".")
	if !ok {
		return "", errNoSession
	}
	// hmac.Equal compares in constant time, so the signature cannot be
	// guessed byte by byte from response timings.
	if !hmac.Equal([]byte(sig), []byte(s.sign(payload))) {
		return "", errNoSession
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", errNoSession
	}
	username, expStr, ok := strings.Cut(string(raw), "|")
	exp, err := strconv.ParseInt(expStr, 10, 64)
	if !ok || err != nil || s.now().Unix() >= exp {
		return "", errNoSession
	}
	return username, nil
}

// sign is the base64 HMAC-SHA256 of payload.
func (s *sessions) sign(payload string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// set starts a session for username.
func (s *sessions) set(w http.ResponseWriter, r *http.Request, username string) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    s.encode(username),
		Path:     "/",
		MaxAge:   int(s.lifetime / time.Second),
		HttpOnly: true, // page scripts never need it
		Secure:   r.TLS != nil,
		// Lax keeps the cookie off cross-site POSTs, so another site cannot
		// make a signed-in visitor's browser mint tokens or log out.
		SameSite: http.SameSiteLaxMode,
	})
}

// clear ends the session.
func (s *sessions) clear(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// user returns the signed-in username of the request.
func (s *sessions) user(r *http.Request) (string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", errNoSession
	}
	return s.decode(c.Value)
}
