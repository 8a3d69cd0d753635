package guesttoken

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func newTestLuzmo(t *testing.T, f *fakeLuzmo, opts ...Option) *Luzmo {
	t.Helper()
	c, err := NewLuzmo(LuzmoCredentials{Key: f.key, Token: f.token}, append([]Option{WithBaseURL(f.URL), fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func luzmoReq() LuzmoRequest {
	return LuzmoRequest{
		Username: "user-42",
		Name:     "Ada Lovelace",
		Email:    "ada@example.com",
		Access: LuzmoAccess{
			Collections: []LuzmoCollectionAccess{{ID: "col-1", InheritRights: LuzmoUse}},
			Dashboards:  []LuzmoAccessEntry{{ID: "dash-1", Rights: LuzmoUse}},
			Datasets:    []LuzmoAccessEntry{{ID: "set-1", Rights: LuzmoRead}},
		},
	}
}

func TestLuzmoHappyPath(t *testing.T) {
	f := newFakeLuzmo(t)
	c := newTestLuzmo(t, f)
	req := luzmoReq()
	req.InactivityInterval = 10 * time.Minute
	req.Extra = map[string]any{"locale_id": "en"}
	tok, err := c.EmbedToken(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.ID, "auth-") || tok.Token == "" {
		t.Errorf("token = %+v", tok)
	}
	body := f.body()
	if body["action"] != "create" || body["key"] != f.key || body["token"] != f.token || body["version"] != "0.1.0" {
		t.Errorf("envelope = %v", body)
	}
	props := body["properties"].(map[string]any)
	if props["type"] != "embed" || props["role"] != "viewer" || props["suborganization"] != "user-42" {
		t.Errorf("defaults not applied: %v", props)
	}
	if props["inactivity_interval"] != float64(600) || props["locale_id"] != "en" {
		t.Errorf("inactivity or extra wrong: %v", props)
	}
	exp, err := time.Parse(time.RFC3339, props["expiry"].(string))
	if err != nil || exp.Sub(time.Now()) < 23*time.Hour || exp.Sub(time.Now()) > 25*time.Hour {
		t.Errorf("expiry = %v, want about 24 h from now", props["expiry"])
	}
	access := props["access"].(map[string]any)
	col := access["collections"].([]any)[0].(map[string]any)
	if col["id"] != "col-1" || col["inheritRights"] != "use" {
		t.Errorf("collections = %v", access["collections"])
	}
	ds := access["datasets"].([]any)[0].(map[string]any)
	if ds["rights"] != "read" {
		t.Errorf("datasets = %v", access["datasets"])
	}
}

func TestLuzmoBadKey(t *testing.T) {
	f := newFakeLuzmo(t)
	c, err := NewLuzmo(LuzmoCredentials{Key: f.key, Token: "wrong"}, WithBaseURL(f.URL), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.EmbedToken(context.Background(), luzmoReq())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Message != "Invalid key or token" {
		t.Fatalf("err = %v, want 401 with Luzmo's message", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the API token: %v", err)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("calls = %d, want 1", n)
	}
}

func TestLuzmoValidation(t *testing.T) {
	now := time.Now()
	cases := map[string]struct {
		edit func(*LuzmoRequest)
		want string
	}{
		"no access":       {func(r *LuzmoRequest) { r.Access = LuzmoAccess{} }, "access: at least one"},
		"no username":     {func(r *LuzmoRequest) { r.Username = " " }, "username: empty"},
		"no name":         {func(r *LuzmoRequest) { r.Name = "" }, "name: empty"},
		"bad email":       {func(r *LuzmoRequest) { r.Email = "ada" }, "email:"},
		"bad role":        {func(r *LuzmoRequest) { r.Role = "admin" }, "role:"},
		"missing rights":  {func(r *LuzmoRequest) { r.Access.Dashboards[0].Rights = "" }, "access.dashboards[0].rights"},
		"bad inherit":     {func(r *LuzmoRequest) { r.Access.Collections[0].InheritRights = "all" }, "access.collections[0].inheritRights"},
		"empty id":        {func(r *LuzmoRequest) { r.Access.Datasets[0].ID = "" }, "access.datasets[0].id"},
		"past expiry":     {func(r *LuzmoRequest) { r.Expiry = now.Add(-time.Minute) }, "not in the future"},
		"far expiry":      {func(r *LuzmoRequest) { r.Expiry = now.AddDate(1, 0, 1) }, "more than a year"},
		"short idle":      {func(r *LuzmoRequest) { r.InactivityInterval = time.Minute }, "inactivity interval"},
		"extra collision": {func(r *LuzmoRequest) { r.Extra = map[string]any{"role": "owner"} }, `extra: "role"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := luzmoReq()
			tc.edit(&r)
			err := r.validate(now)
			var verr *ValidationError
			if !errors.As(err, &verr) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a ValidationError mentioning %q", err, tc.want)
			}
		})
	}
	if err := luzmoReq().validate(now); err != nil {
		t.Errorf("valid request refused: %v", err)
	}
}

func TestLuzmoExplicitFields(t *testing.T) {
	f := newFakeLuzmo(t)
	c := newTestLuzmo(t, f)
	req := luzmoReq()
	req.Role = LuzmoDesigner
	req.Suborganization = "acme"
	req.Expiry = time.Now().Add(time.Hour).Truncate(time.Second)
	if _, err := c.EmbedToken(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	props := f.body()["properties"].(map[string]any)
	if props["role"] != "designer" || props["suborganization"] != "acme" || props["expiry"] != req.Expiry.UTC().Format(time.RFC3339) {
		t.Errorf("properties = %v", props)
	}
	if _, has := props["inactivity_interval"]; has {
		t.Errorf("inactivity_interval sent although zero")
	}
}
