package guesttoken

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// malformedBodies are 2xx answers that must not turn into a token.
var malformedBodies = map[string]string{
	"html":         "<html><body>Welcome to nginx!</body></html>",
	"empty":        "",
	"null":         "null",
	"array":        `["token"]`,
	"wrong key":    `{"tok":"abc"}`,
	"empty token":  `{"token":"","access_token":"","result":"","payload":{},"id":"","refresh_token":""}`,
	"wrong type":   `{"token":5,"access_token":5,"result":5,"payload":{"token":5,"access_token":5},"id":5}`,
	"truncated":    `{"token":"abc`,
	"two values":   `{"token":"a"}{"token":"b"}`,
	"payload null": `{"payload":null}`,
}

// answerOn makes one endpoint answer 200 with body; other endpoints behave.
func answerOn(path, body string) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, path) {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
		return true
	}
}

func checkMalformed(t *testing.T, err error, endpoint string) {
	t.Helper()
	var respErr *ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("err = %v, want a *ResponseError", err)
	}
	if respErr.Endpoint != endpoint || !strings.Contains(err.Error(), endpoint) {
		t.Errorf("error %q does not name %s", err, endpoint)
	}
}

func TestMalformedSupersetAnswers(t *testing.T) {
	for _, endpoint := range []string{"POST /api/v1/security/login", "POST /api/v1/security/guest_token/", "GET /api/v1/security/csrf_token/"} {
		for name, body := range malformedBodies {
			t.Run(endpoint+"/"+name, func(t *testing.T) {
				f := newFakeSuperset(t, func(f *fakeSuperset) { f.requireCSRF = true })
				f.before.set(answerOn(strings.Fields(endpoint)[1], body))
				c := newTestSuperset(t, f, WithCSRF(true))
				tok, err := c.GuestToken(context.Background(), dashboardReq())
				if tok != "" {
					t.Errorf("token %q from a malformed answer", tok)
				}
				checkMalformed(t, err, endpoint)
			})
		}
	}
}

func TestMalformedRefreshAnswerFallsBackToLogin(t *testing.T) {
	f := newFakeSuperset(t, nil)
	c := newTestSuperset(t, f)
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.before.set(answerOn("/security/refresh", "<html>oops</html>"))
	f.revokeAccess()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if n := f.logins.Load(); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}

func TestMalformedPresetAnswers(t *testing.T) {
	for _, path := range []string{"/v1/auth/", "/guest-token/"} {
		for name, body := range malformedBodies {
			t.Run(path+"/"+name, func(t *testing.T) {
				f := newFakePreset(t)
				f.before.set(answerOn(path, body))
				c := newTestPreset(t, f)
				tok, err := c.GuestToken(context.Background(), dashboardReq())
				if tok != "" {
					t.Errorf("token %q from a malformed answer", tok)
				}
				endpoint := "POST /v1/auth/"
				if path != "/v1/auth/" {
					endpoint = "POST " + c.tokenPath
				}
				checkMalformed(t, err, endpoint)
			})
		}
	}
}

func TestMalformedLuzmoAnswers(t *testing.T) {
	bodies := map[string]string{"only id": `{"id":"x"}`, "only token": `{"token":"x"}`}
	for k, v := range malformedBodies {
		bodies[k] = v
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			f := newFakeLuzmo(t)
			f.before.set(answerOn("/authorization", body))
			c := newTestLuzmo(t, f)
			tok, err := c.EmbedToken(context.Background(), luzmoReq())
			if tok != (LuzmoToken{}) {
				t.Errorf("token %+v from a malformed answer", tok)
			}
			checkMalformed(t, err, "POST /0.1.0/authorization")
		})
	}
}

func TestMalformedAnswerIsNotRetried(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	fn, seen := failFirst(100, http.StatusOK, "<html></html>")
	f.before.set(fn)
	_, err := c.GuestToken(context.Background(), dashboardReq())
	checkMalformed(t, err, "POST /api/v1/security/guest_token/")
	if n := seen.Load(); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestOversizedAnswer(t *testing.T) {
	c, f := newCalabiWithFaults(t)
	f.before.set(answerOn("/guest_token/", `{"token":"`+strings.Repeat("a", maxResponseBytes)+`"}`))
	_, err := c.GuestToken(context.Background(), dashboardReq())
	checkMalformed(t, err, "POST /api/v1/security/guest_token/")
	if len(err.Error()) > 1000 {
		t.Errorf("error message is %d bytes long; the body should be abbreviated", len(err.Error()))
	}
}
