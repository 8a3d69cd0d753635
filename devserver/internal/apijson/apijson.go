// Package apijson speaks JSON the way Superset's REST API does, so that a
// host app's backend meets the same bodies and errors against the mock as
// against the real product.
//
// A request body comes in through ReadObject, which enforces the size limit,
// the JSON content type and syntax, and a top-level object; its failures are
// a BodyError carrying the status and message Superset would answer with.
// Handlers then read fields with OptString, ReqString, OptBool and AsInt,
// collecting marshmallow-style SchemaErrors (field → messages, nested for
// objects and list items) so one answer names everything that is wrong.
// Answers go out through Write and WriteError as {"message": ...}, or
// WriteUnauthorized for Superset's 401 with a detail of what was wrong.
package apijson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// ErrNotJSON is Superset's answer to a body that is not a JSON document.
const ErrNotJSON = "Request payload is not JSON"

// Write answers with status and v encoded as JSON. Encoding errors can only
// come from a programming mistake, so they panic into the recover middleware
// rather than being silently dropped.
func Write(w http.ResponseWriter, status int, v any) {
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

// WriteError answers with status and Superset's error shape {"message": msg};
// msg is a string, or a field → messages map for schema errors.
func WriteError(w http.ResponseWriter, status int, msg any) {
	Write(w, status, map[string]any{"message": msg})
}

// WriteUnauthorized answers 401 with Superset's message and, beside it, what
// exactly was wrong.
func WriteUnauthorized(w http.ResponseWriter, detail string) {
	Write(w, http.StatusUnauthorized, map[string]any{"message": "Not authorized", "detail": detail})
}

// BodyError is a request body that could not be read or decoded; Status is
// what the client should get.
type BodyError struct {
	Status int
	Msg    any // a string, or SchemaErrors
}

// Error returns the message.
func (e *BodyError) Error() string { return fmt.Sprint(e.Msg) }

// Write answers the request with the error.
func (e *BodyError) Write(w http.ResponseWriter) { WriteError(w, e.Status, e.Msg) }

// ReadObject reads the request body as one JSON object. It enforces the body
// limit (413), the JSON content type and syntax (400 with Superset's
// "Request payload is not JSON"), and that the top level is an object.
// Numbers are kept as json.Number so that schema checks can tell 1 from 1.5.
func ReadObject(r *http.Request) (map[string]any, *BodyError) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &BodyError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("Request body is larger than the limit of %d bytes", tooBig.Limit)}
		}
		return nil, &BodyError{http.StatusBadRequest, "Could not read the request body: " + err.Error()}
	}
	// Flask only parses bodies declared as JSON; Superset then answers
	// "not JSON" even when the bytes are valid JSON.
	if ct != "application/json" && !(len(ct) > 5 && ct[len(ct)-5:] == "+json") {
		return nil, &BodyError{http.StatusBadRequest, ErrNotJSON}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &BodyError{http.StatusBadRequest, ErrNotJSON}
	}
	if dec.More() {
		return nil, &BodyError{http.StatusBadRequest, ErrNotJSON}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		// marshmallow reports a non-object payload under "_schema".
		return nil, &BodyError{http.StatusBadRequest, SchemaErrors{"_schema": []string{MsgNotObject}}}
	}
	return obj, nil
}

// SchemaErrors collects marshmallow-style validation errors: field name →
// list of messages, or field name → nested SchemaErrors for nested objects
// and list items (keyed by index).
type SchemaErrors map[string]any

// Add records msg against field.
func (s SchemaErrors) Add(field, msg string) {
	if prev, ok := s[field].([]string); ok {
		s[field] = append(prev, msg)
		return
	}
	s[field] = []string{msg}
}

// Nest records a nested error set under field when it is not empty.
func (s SchemaErrors) Nest(field string, inner SchemaErrors) {
	if len(inner) > 0 {
		s[field] = inner
	}
}

// Marshmallow's messages, so that error bodies read like Superset's.
const (
	MsgRequired   = "Missing data for required field."
	MsgNotString  = "Not a valid string."
	MsgNotInteger = "Not a valid integer."
	MsgNotBoolean = "Not a valid boolean."
	MsgNotList    = "Not a valid list."
	MsgNotObject  = "Invalid input type."
	MsgNullField  = "Field may not be null."
)

// OptString reads an optional string field; a present value of another type
// is a schema error.
func OptString(m map[string]any, key string, errs SchemaErrors) (string, bool) {
	v, ok := m[key]
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		if v == nil {
			errs.Add(key, MsgNullField)
		} else {
			errs.Add(key, MsgNotString)
		}
		return "", false
	}
	return s, true
}

// ReqString reads a required string field.
func ReqString(m map[string]any, key string, errs SchemaErrors) string {
	if _, ok := m[key]; !ok {
		errs.Add(key, MsgRequired)
		return ""
	}
	s, _ := OptString(m, key, errs)
	return s
}

// OptBool reads an optional boolean field.
func OptBool(m map[string]any, key string, errs SchemaErrors) bool {
	v, ok := m[key]
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		errs.Add(key, MsgNotBoolean)
	}
	return b
}

// AsInt converts a JSON number (or nothing else) to an int.
func AsInt(v any) (int, bool) {
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
