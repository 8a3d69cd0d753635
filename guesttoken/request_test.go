package guesttoken

import (
	"errors"
	"strings"
	"testing"
)

func TestGuestTokenRequestValidation(t *testing.T) {
	zero := 0
	cases := map[string]struct {
		req  GuestTokenRequest
		want []string
	}{
		"no resources": {GuestTokenRequest{User: User{Username: "ada"}}, []string{"resources: at least one"}},
		"bad type":     {GuestTokenRequest{Resources: []Resource{{Type: "chart", ID: "1"}}}, []string{`resources[0].type: "chart"`}},
		"empty id":     {GuestTokenRequest{Resources: []Resource{{ID: "  "}}}, []string{"resources[0].id: empty"}},
		"empty clause": {GuestTokenRequest{Resources: []Resource{{ID: "1"}}, RLS: []RLSRule{{Clause: " "}}}, []string{"rls[0].clause: empty"}},
		"NUL clause":   {GuestTokenRequest{Resources: []Resource{{ID: "1"}}, RLS: []RLSRule{{Clause: "a = 1\x00"}}}, []string{"rls[0].clause: contains a NUL"}},
		"dataset 0":    {GuestTokenRequest{Resources: []Resource{{ID: "1"}}, RLS: []RLSRule{{Dataset: &zero, Clause: "a = 1"}}}, []string{"rls[0].dataset"}},
		"attributes": {GuestTokenRequest{Resources: []Resource{{ID: "1"}}, User: User{Attributes: map[string]any{"f": func() {}}}},
			[]string{"user.attributes: not JSON-encodable"}},
		"all at once": {GuestTokenRequest{Resources: []Resource{{Type: "x"}}, RLS: []RLSRule{{}}},
			[]string{"resources[0].type", "resources[0].id", "rls[0].clause"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.req.Validate()
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if len(verr.Problems) != len(tc.want) {
				t.Errorf("problems = %q, want %d", verr.Problems, len(tc.want))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if err := dashboardReq().Validate(); err != nil {
		t.Errorf("valid request refused: %v", err)
	}
}

func TestGuestTokenRequestWireFormat(t *testing.T) {
	ds := 3
	body, err := GuestTokenRequest{
		User:      User{Username: "ada"},
		Resources: []Resource{{ID: " sales "}},
		RLS:       []RLSRule{{Dataset: &ds, Clause: "a = 1"}, {Clause: "b = 2"}},
	}.body()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"user":{"username":"ada","first_name":"","last_name":""},` +
		`"resources":[{"type":"dashboard","id":"sales"}],` +
		`"rls":[{"dataset":3,"clause":"a = 1"},{"clause":"b = 2"}]}`
	if string(body) != want {
		t.Errorf("body =\n%s\nwant\n%s", body, want)
	}
	if status, msg := checkGuestTokenBody(body); status != 0 {
		t.Errorf("the fake's schema refuses the body: %d %v", status, msg)
	}
}
