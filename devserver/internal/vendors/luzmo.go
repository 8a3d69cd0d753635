package vendors

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/guest"
	"github.com/dashembed/dashembed/devserver/internal/randid"
)

// luzmoRights orders Luzmo's access rights: each includes the ones before.
var luzmoRights = []string{"read", "use", "modify", "own"}

// luzmoRightRank returns a right's rank, or -1 for an unknown right.
func luzmoRightRank(s string) int {
	for i, r := range luzmoRights {
		if r == s {
			return i
		}
	}
	return -1
}

// luzmoError answers in Luzmo's error shape.
func luzmoError(w http.ResponseWriter, status int, msg string) {
	apijson.Write(w, status, map[string]any{
		"type":    map[string]any{"code": status, "description": http.StatusText(status)},
		"message": msg,
	})
}

// HandleLuzmoAuthorization is POST /0.1.0/authorization: Luzmo's embed
// authorization. It validates the request as Luzmo documents it and answers
// {id, token, ...}; the extra "dashembed" field shows how the rights map
// onto Superset-style guest-token resources.
func (a *API) HandleLuzmoAuthorization(w http.ResponseWriter, r *http.Request) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		luzmoError(w, berr.Status, fmt.Sprint(berr.Msg))
		return
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	str := func(m map[string]any, k string) (string, bool) {
		v, ok := m[k]
		if !ok {
			return "", false
		}
		s, isStr := v.(string)
		if !isStr {
			bad("%s must be a string", k)
		}
		return s, isStr
	}

	if action, _ := str(body, "action"); action != "create" {
		bad(`action must be "create"`)
	}
	if v, _ := str(body, "version"); v != "0.1.0" {
		bad(`version must be "0.1.0"`)
	}
	key, _ := str(body, "key")
	token, _ := str(body, "token")
	if key == "" || token == "" {
		luzmoError(w, http.StatusUnauthorized, "key and token (your API key and token) are required")
		return
	}
	authorized := false
	for _, k := range a.cfg.LuzmoKeys {
		if k.Name == key && subtle.ConstantTimeCompare([]byte(k.Secret), []byte(token)) == 1 {
			authorized = true
		}
	}
	if !authorized {
		luzmoError(w, http.StatusUnauthorized, "Unknown API key or wrong token")
		return
	}
	props, ok := body["properties"].(map[string]any)
	if !ok {
		luzmoError(w, http.StatusBadRequest, "properties is required and must be an object")
		return
	}
	if t, _ := str(props, "type"); t != "embed" {
		bad(`properties.type must be "embed" (the mock implements embed tokens only)`)
	}
	username, _ := str(props, "username")
	name, _ := str(props, "name")
	email, _ := str(props, "email")
	for k, v := range map[string]string{"username": username, "name": name, "email": email} {
		if v == "" {
			bad("properties.%s is required", k)
		}
	}
	if email != "" && !strings.Contains(email, "@") {
		bad("properties.email %q is not an e-mail address", email)
	}
	subOrg, hasSub := str(props, "suborganization")
	if !hasSub || subOrg == "" {
		subOrg = username
	}
	role, hasRole := str(props, "role")
	if !hasRole {
		role = "viewer"
	}
	if role != "viewer" && role != "designer" && role != "owner" {
		bad("properties.role %q must be viewer, designer or owner", role)
	}

	now := a.cfg.Now().UTC()
	expiry := now.Add(24 * time.Hour)
	if s, ok := str(props, "expiry"); ok {
		t, err := time.Parse(time.RFC3339, s)
		switch {
		case err != nil:
			bad("properties.expiry %q is not an RFC 3339 date (like 2030-01-31T12:00:00Z)", s)
		case !t.After(now):
			bad("properties.expiry %s is in the past", s)
		case t.After(now.AddDate(1, 0, 0)):
			bad("properties.expiry %s is more than one year ahead", s)
		default:
			expiry = t.UTC()
		}
	}
	inactivity := 0
	if v, ok := props["inactivity_interval"]; ok {
		n, isInt := apijson.AsInt(v)
		switch {
		case !isInt:
			bad("properties.inactivity_interval must be a whole number of seconds")
		case n != 0 && n < 120:
			bad("properties.inactivity_interval must be 0 (off) or at least 120 seconds, got %d", n)
		default:
			inactivity = n
		}
	}

	access, effective, resources := a.parseLuzmoAccess(props["access"], bad)
	if len(problems) > 0 {
		luzmoError(w, http.StatusBadRequest, strings.Join(problems, "; "))
		return
	}
	id := randid.UUID()
	resp := map[string]any{
		"id": id, "token": randid.Hex(32), "user_id": randid.UUID(), "type": "embed",
		"username": username, "name": name, "email": email, "suborganization": subOrg, "role": role,
		"access": access, "expiry": expiry.Format(time.RFC3339), "inactivity_interval": inactivity,
		"created_at": now.Format(time.RFC3339), "updated_at": now.Format(time.RFC3339),
		"dashembed": map[string]any{
			"effective_rights":      effective,
			"guest_token_resources": resources,
			"note":                  "authKey = id, authToken = token in the Luzmo frontend component",
		},
	}
	a.cfg.Controls.Publish("token_minted", map[string]any{"by": "luzmo:" + key, "username": username, "role": role,
		"expiry": expiry.Format(time.RFC3339), "effective_rights": effective})
	apijson.Write(w, http.StatusOK, resp)
}

// parseLuzmoAccess validates properties.access: collections {id,
// inheritRights}, dashboards and datasets {id, rights}, at least one entry.
// It returns the access object, the effective rights per kind (an explicit
// dashboard or dataset entry overrides what a collection grants) and the
// guest-token resources the dashboards map to.
func (a *API) parseLuzmoAccess(v any, bad func(string, ...any)) (map[string]any, map[string]any, []guest.Resource) {
	access, ok := v.(map[string]any)
	if !ok {
		bad("properties.access is required: {collections, dashboards, datasets}")
		return nil, nil, nil
	}
	effective := map[string]any{}
	var resources []guest.Resource
	total := 0
	for _, kind := range []string{"collections", "dashboards", "datasets"} {
		lv, present := access[kind]
		if !present {
			continue
		}
		list, ok := lv.([]any)
		if !ok {
			bad("properties.access.%s must be a list", kind)
			continue
		}
		rights := map[string]string{}
		field := "rights"
		if kind == "collections" {
			field = "inheritRights"
		}
		for i, item := range list {
			total++
			m, ok := item.(map[string]any)
			if !ok {
				bad("properties.access.%s[%d] must be an object", kind, i)
				continue
			}
			id, _ := m["id"].(string)
			if id == "" {
				bad("properties.access.%s[%d].id is required", kind, i)
				continue
			}
			right, _ := m[field].(string)
			if luzmoRightRank(right) < 0 {
				bad("properties.access.%s[%d].%s must be one of %s", kind, i, field, strings.Join(luzmoRights, ", "))
				continue
			}
			if prev, ok := rights[id]; !ok || luzmoRightRank(right) > luzmoRightRank(prev) {
				rights[id] = right
			}
			if kind == "dashboards" {
				resources = append(resources, guest.Resource{Type: "dashboard", ID: id})
			}
		}
		effective[kind] = rights
	}
	if total == 0 {
		bad("properties.access must grant at least one collection, dashboard or dataset")
	}
	for _, res := range resources {
		if _, ok := a.cfg.Dashboards.Find(res.ID); !ok {
			a.cfg.Log.Info("luzmo access names a dashboard the mock does not know; Luzmo would reject an unknown id", "id", res.ID)
		}
	}
	return access, effective, resources
}
