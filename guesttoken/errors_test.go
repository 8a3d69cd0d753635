package guesttoken

import (
	"strings"
	"testing"
)

func TestServerMessageShapes(t *testing.T) {
	cases := map[string]string{
		`{"message":"Not authorized"}`:                                  "Not authorized",
		`{"message":{"username":["Missing data for required field."]}}`: `{"username":["Missing data for required field."]}`,
		`{"msg":"Token has expired"}`:                                   "Token has expired",
		`{"errors":[{"message":"a"},{"message":"b"}]}`:                  "a; b",
		`{"error":"invalid_grant"}`:                                     "invalid_grant",
		`{"type":{"code":401},"message":"Invalid key or token"}`:        "Invalid key or token",
		`<html><h1>502 Bad Gateway</h1></html>`:                         "<html><h1>502 Bad Gateway</h1></html>",
		``:                                                              "Bad Gateway",
		`{"message":null}`:                                              `{"message":null}`,
	}
	for body, want := range cases {
		if got := serverMessage(502, []byte(body)); got != want {
			t.Errorf("serverMessage(%s) = %q, want %q", body, got, want)
		}
	}
	long := strings.Repeat("é", 500)
	if got := serverMessage(500, []byte(long)); len(got) > 210 || !strings.HasSuffix(got, "…") {
		t.Errorf("long body not abbreviated: %d bytes", len(got))
	}
}

func TestAPIErrorText(t *testing.T) {
	err := newAPIError("POST /api/v1/security/guest_token/", 400, []byte(`{"message":"EmbeddedDashboard not found."}`))
	want := "guesttoken: POST /api/v1/security/guest_token/: 400 Bad Request: EmbeddedDashboard not found."
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if err.Temporary() {
		t.Error("400 reported as temporary")
	}
	for _, s := range []int{429, 500, 502, 503, 504} {
		if !(&APIError{Status: s}).Temporary() {
			t.Errorf("%d not reported as temporary", s)
		}
	}
}

func TestZeroValueClients(t *testing.T) {
	var s *Superset
	var c CalabiIQ
	var p Preset
	var l Luzmo
	for name, err := range map[string]error{
		"Superset": func() error { _, err := s.GuestToken(t.Context(), dashboardReq()); return err }(),
		"CalabiIQ": func() error { _, err := c.GuestToken(t.Context(), dashboardReq()); return err }(),
		"Preset":   func() error { _, err := p.GuestToken(t.Context(), dashboardReq()); return err }(),
		"Luzmo":    func() error { _, err := l.EmbedToken(t.Context(), luzmoReq()); return err }(),
	} {
		if err != errNotConstructed {
			t.Errorf("%s zero value: err = %v", name, err)
		}
	}
}
