// Package sdktest holds the fixtures the SDK's package tests share: a
// minimal valid embedDashboard argument, as the browser edge copies it,
// and guest tokens.
package sdktest

import (
	"encoding/base64"
	"time"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// Fixtures: a connected mount point and the host app's callbacks.
var (
	Element  = jsvalue.Handle{Kind: jsvalue.KindElement, Name: "HTMLDivElement", Connected: true}
	Function = jsvalue.Handle{Kind: jsvalue.KindFunction, Name: "fetchGuestToken"}
	Resolve  = jsvalue.Handle{Kind: jsvalue.KindFunction, Name: "resolve"}
)

// Drop marks a key for Options to delete from the base argument.
type Drop struct{}

// Options is a minimal valid argument with over applied.
func Options(over map[string]any) map[string]any {
	m := map[string]any{
		"id":              "abc-123",
		"supersetDomain":  "https://bi.example.com",
		"mountPoint":      Element,
		"fetchGuestToken": Function,
	}
	for k, v := range over {
		if _, ok := v.(Drop); ok {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// JWT builds an unsigned JWT whose payload is the given JSON.
func JWT(payload string) string {
	return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
		base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2lnbmF0dXJl"
}

// Epoch is the fake clocks' start: a whole second, far from any zero.
var Epoch = time.Unix(1_700_000_000, 0)
