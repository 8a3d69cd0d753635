package guesttoken

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// errNotConstructed is returned by a client's zero value, which has no
// address or credentials, instead of a nil-pointer panic.
var errNotConstructed = errors.New("guesttoken: client not created with its New function")

// APIError is a non-2xx answer from the BI host's API. It keeps the status and
// the server's own message, because "401 Not authorized" and "400
// EmbeddedDashboard not found." call for different fixes.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Message is the server's explanation, taken from the usual JSON error
	// fields (message, msg, error, errors[].message), or the start of the body
	// when it is not JSON, or the status text when the body is empty.
	Message string
	// Body is the raw answer, possibly truncated to the client's read limit.
	Body []byte
	// Endpoint is the method and path that answered, e.g.
	// "POST /api/v1/security/guest_token/".
	Endpoint string
}

// Error reports the endpoint, the status and the server's message.
func (e *APIError) Error() string {
	return fmt.Sprintf("guesttoken: %s: %d %s: %s", e.Endpoint, e.Status, http.StatusText(e.Status), e.Message)
}

// Temporary reports whether the same call may succeed later: true for 429 and
// 5xx, which are the answers this package retries.
func (e *APIError) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// ResponseError is a 2xx answer whose body is not what the API documents: not
// JSON, or JSON without the expected token. It is returned instead of an empty
// token so that a proxy's HTML page or a changed API fails loudly.
type ResponseError struct {
	// Endpoint is the method and path that answered.
	Endpoint string
	// Status is the HTTP status code of the answer.
	Status int
	// Body is the raw answer, possibly truncated.
	Body []byte
	// Reason says what was wrong with it.
	Reason string
}

// Error names the endpoint and says what was malformed.
func (e *ResponseError) Error() string {
	return fmt.Sprintf("guesttoken: %s: malformed %d response: %s (body: %s)", e.Endpoint, e.Status, e.Reason, snippet(e.Body))
}

// newAPIError builds an APIError, digging the message out of whichever error
// shape the vendor uses: Superset's {"message": ...} (a string or, for schema
// errors, an object), flask-jwt-extended's {"msg": ...}, Superset's newer
// {"errors":[{"message": ...}]}, and Luzmo's {"message": ...}.
func newAPIError(endpoint string, status int, body []byte) *APIError {
	return &APIError{Status: status, Message: serverMessage(status, body), Body: body, Endpoint: endpoint}
}

func serverMessage(status int, body []byte) string {
	var shape struct {
		Message json.RawMessage `json:"message"`
		Msg     json.RawMessage `json:"msg"`
		Error   json.RawMessage `json:"error"`
		Errors  []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &shape) == nil {
		for _, raw := range []json.RawMessage{shape.Message, shape.Msg, shape.Error} {
			if m := rawText(raw); m != "" {
				return m
			}
		}
		var msgs []string
		for _, e := range shape.Errors {
			if e.Message != "" {
				msgs = append(msgs, e.Message)
			}
		}
		if len(msgs) > 0 {
			return strings.Join(msgs, "; ")
		}
	}
	if s := snippet(body); s != "" {
		return s
	}
	return http.StatusText(status)
}

// rawText renders a JSON error field: a string as itself, anything else
// (Superset's per-field schema errors) as compact JSON.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

// snippet shortens a body for an error message: an HTML error page can be
// kilobytes long, and the first line is usually what matters.
func snippet(body []byte) string {
	const limit = 200
	s := strings.TrimSpace(string(body))
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
