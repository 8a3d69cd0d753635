package guesttoken

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func newTestPreset(t *testing.T, f *fakePreset, opts ...Option) *Preset {
	t.Helper()
	c, err := NewPreset(f.team, f.workspace, PresetCredentials{APIToken: f.name, APISecret: f.secret},
		append([]Option{WithBaseURL(f.URL), fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPresetHappyPath(t *testing.T) {
	f := newFakePreset(t)
	c := newTestPreset(t, f)
	ctx := context.Background()
	tok, err := c.GuestToken(ctx, dashboardReq())
	if err != nil {
		t.Fatal(err)
	}
	claims := decodeJWTClaims(t, tok)
	if claims["user"].(map[string]any)["username"] != "ada" {
		t.Errorf("user claim = %v", claims["user"])
	}
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	if got := [2]int32{f.auths.Load(), f.guestCalls.Load()}; got != [2]int32{1, 2} {
		t.Errorf("auths, guest calls = %v, want [1 2]: the access token is cached", got)
	}
}

func TestPresetLogsInAgainAfter401(t *testing.T) {
	f := newFakePreset(t)
	c := newTestPreset(t, f)
	ctx := context.Background()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatal(err)
	}
	f.revoke()
	if _, err := c.GuestToken(ctx, dashboardReq()); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if got := [2]int32{f.auths.Load(), f.guestCalls.Load()}; got != [2]int32{2, 3} {
		t.Errorf("auths, guest calls = %v, want [2 3]", got)
	}
}

func TestPresetBadCredentials(t *testing.T) {
	f := newFakePreset(t)
	c, err := NewPreset(f.team, f.workspace, PresetCredentials{APIToken: f.name, APISecret: "nope"}, WithBaseURL(f.URL), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Endpoint != "POST /v1/auth/" || apiErr.Message != "Invalid credentials" {
		t.Fatalf("err = %v, want the 401 from /v1/auth/", err)
	}
	if n := f.auths.Load(); n != 1 {
		t.Errorf("auths = %d, want 1", n)
	}
}

func TestPresetWrongWorkspace(t *testing.T) {
	f := newFakePreset(t)
	c, err := NewPreset(f.team, "other", PresetCredentials{APIToken: f.name, APISecret: f.secret}, WithBaseURL(f.URL), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GuestToken(context.Background(), dashboardReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || apiErr.Endpoint != "POST /v1/teams/acme/workspaces/other/guest-token/" {
		t.Fatalf("err = %v, want a 404 naming the workspace path", err)
	}
}

func TestPresetEscapesPathSegments(t *testing.T) {
	c, err := NewPreset("a/b", "c?d", PresetCredentials{APIToken: "x", APISecret: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/v1/teams/a%2Fb/workspaces/c%3Fd/guest-token/"; c.tokenPath != want {
		t.Errorf("path = %q, want %q", c.tokenPath, want)
	}
	if c.t.baseURL != DefaultPresetURL {
		t.Errorf("base URL = %q, want the default %q", c.t.baseURL, DefaultPresetURL)
	}
}

func TestPresetNeedsConfiguration(t *testing.T) {
	_, err := NewPreset("", "", PresetCredentials{})
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 4 {
		t.Fatalf("err = %v, want four problems", err)
	}
}
