package guesttoken

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// decode parses a 2xx answer into v. Unknown fields are accepted, since
// vendors add fields over time, but the body must be one JSON object: a proxy's
// HTML page or a truncated answer becomes a *ResponseError naming the
// endpoint.
func decode(r request, resp response, v any) error {
	dec := json.NewDecoder(bytes.NewReader(resp.body))
	if err := dec.Decode(v); err != nil {
		return malformed(r, resp, fmt.Sprintf("not the expected JSON: %v", err))
	}
	if dec.More() {
		return malformed(r, resp, "trailing data after the JSON value")
	}
	return nil
}

// malformed builds the error for a 2xx answer that lacks what the API
// documents.
func malformed(r request, resp response, reason string) error {
	return &ResponseError{Endpoint: r.endpoint(), Status: resp.status, Body: resp.body, Reason: reason}
}
