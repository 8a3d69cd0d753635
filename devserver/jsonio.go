package devserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// errNotJSON is Superset's answer to a body that is not a JSON document.
const errNotJSON = "Request payload is not JSON"

// writeJSON answers with status and v encoded as JSON. Encoding errors can
// only come from a programming mistake, so they panic into the recover
// middleware rather than being silently dropped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("devserver: encoding response: %v", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// writeError answers with status and Superset's error shape {"message": msg};
// msg is a string, or a field → messages map for schema errors.
func writeError(w http.ResponseWriter, status int, msg any) {
	writeJSON(w, status, map[string]any{"message": msg})
}

// bodyError is a request body that could not be read or decoded; status is
// what the client should get.
type bodyError struct {
	status int
	msg    any // a string, or schemaErrors
}

// Error returns the message.
func (e *bodyError) Error() string { return fmt.Sprint(e.msg) }

// write answers the request with the error.
func (e *bodyError) write(w http.ResponseWriter) { writeError(w, e.status, e.msg) }

// readJSONObject reads the request body as one JSON object. It enforces the
// body limit (413), the JSON content type and syntax (400 with Superset's
// "Request payload is not JSON"), and that the top level is an object.
// Numbers are kept as json.Number so that schema checks can tell 1 from 1.5.
func readJSONObject(r *http.Request) (map[string]any, *bodyError) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &bodyError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("Request body is larger than the limit of %d bytes", tooBig.Limit)}
		}
		return nil, &bodyError{http.StatusBadRequest, "Could not read the request body: " + err.Error()}
	}
	// Flask only parses bodies declared as JSON; Superset then answers
	// "not JSON" even when the bytes are valid JSON.
	if ct != "application/json" && !(len(ct) > 5 && ct[len(ct)-5:] == "+json") {
		return nil, &bodyError{http.StatusBadRequest, errNotJSON}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &bodyError{http.StatusBadRequest, errNotJSON}
	}
	if dec.More() {
		return nil, &bodyError{http.StatusBadRequest, errNotJSON}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		// marshmallow reports a non-object payload under "_schema".
		return nil, &bodyError{http.StatusBadRequest, schemaErrors{"_schema": []string{msgNotObject}}}
	}
	return obj, nil
}

// schemaErrors collects marshmallow-style validation errors: field name →
// list of messages, or field name → nested schemaErrors for nested objects
// and list items (keyed by index).
type schemaErrors map[string]any

// add records msg against field.
func (s schemaErrors) add(field, msg string) {
	if prev, ok := s[field].([]string); ok {
		s[field] = append(prev, msg)
		return
	}
	s[field] = []string{msg}
}

// nest records a nested error set under field when it is not empty.
func (s schemaErrors) nest(field string, inner schemaErrors) {
	if len(inner) > 0 {
		s[field] = inner
	}
}

// Marshmallow's messages, so that error bodies read like Superset's.
const (
	msgRequired   = "Missing data for required field."
	msgNotString  = "Not a valid string."
	msgNotInteger = "Not a valid integer."
	msgNotBoolean = "Not a valid boolean."
	msgNotList    = "Not a valid list."
	msgNotObject  = "Invalid input type."
	msgNullField  = "Field may not be null."
)

// optString reads an optional string field; a present value of another type
// is a schema error.
func optString(m map[string]any, key string, errs schemaErrors) (string, bool) {
	v, ok := m[key]
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		if v == nil {
			errs.add(key, msgNullField)
		} else {
			errs.add(key, msgNotString)
		}
		return "", false
	}
	return s, true
}

// reqString reads a required string field.
func reqString(m map[string]any, key string, errs schemaErrors) string {
	if _, ok := m[key]; !ok {
		errs.add(key, msgRequired)
		return ""
	}
	s, _ := optString(m, key, errs)
	return s
}

// optBool reads an optional boolean field.
func optBool(m map[string]any, key string, errs schemaErrors) bool {
	v, ok := m[key]
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		errs.add(key, msgNotBoolean)
	}
	return b
}

// asInt converts a JSON number (or nothing else) to an int.
func asInt(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil || i != int64(int(i)) {
		return 0, false
	}
	return int(i), true
}
