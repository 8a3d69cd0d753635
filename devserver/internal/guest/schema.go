package guest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// request is a validated guest-token request body.
type request struct {
	user      User
	resources []Resource
	rls       []RLSRule
}

// parseRequest checks the body as Superset does: first against its
// GuestTokenCreateSchema (unknown keys ignored, every field error reported
// at once, marshmallow's coercions and messages), then that each dashboard
// resource exists, then that a user was given. A non-zero status means the
// request is refused with msg (a string or apijson.SchemaErrors).
func (s *Service) parseRequest(body map[string]any) (request, int, any) {
	var req request
	errs := apijson.SchemaErrors{}
	userV, hasUser := body["user"]
	if hasUser {
		req.user = parseUser(userV, errs)
		s.warnEmptyNames(userV)
	}
	req.resources = parseResources(body, errs)
	req.rls = parseRules(body, errs)
	if len(errs) > 0 {
		return req, http.StatusBadRequest, errs
	}
	for _, res := range req.resources {
		// Superset accepts a dashboard's id or slug, embedded or not, or an
		// embedded UUID; it checks access only when the token is used.
		if _, ok := s.cfg.Dashboards.Find(res.ID); !ok {
			s.cfg.Log.Info("guest token for unknown dashboard", "id", res.ID)
			return req, http.StatusBadRequest, "EmbeddedDashboard not found."
		}
		s.warnUnusableResource(res)
	}
	if !hasUser {
		s.cfg.Controls.Difference(`guest token request without "user" refused with 400`,
			"stock Superset answers 500 here (it reads body[\"user\"] unchecked); send user {username, first_name, last_name}")
		return req, http.StatusBadRequest, apijson.SchemaErrors{"user": []string{
			apijson.MsgRequired + " Send user {username, first_name, last_name}; stock Superset fails with 500 without it.",
		}}
	}
	return req, 0, nil
}

// parseUser loads the user object (Superset's UserSchema). Only the fields
// sent are kept: the token carries exactly them, and an absent, null or
// empty attributes object stays as it was.
func parseUser(v any, errs apijson.SchemaErrors) User {
	var u User
	m, bad := apijson.Nested(v)
	if bad != nil {
		errs["user"] = bad
		return u
	}
	ue := apijson.SchemaErrors{}
	u.Username, _ = apijson.OptString(m, "username", ue)
	u.FirstName, _ = apijson.OptString(m, "first_name", ue)
	u.LastName, _ = apijson.OptString(m, "last_name", ue)
	if a, ok := m["attributes"]; ok {
		switch a.(type) {
		case map[string]any, nil:
			u.Attributes, _ = json.Marshal(a)
		default:
			ue.Add("attributes", apijson.MsgNotMapping)
		}
	}
	errs.Nest("user", ue)
	return u
}

// parseResources loads the required resources list (ResourceSchema items:
// type is an enum of "dashboard", id a string).
func parseResources(body map[string]any, errs apijson.SchemaErrors) []Resource {
	out := []Resource{}
	ok := eachItem(body, "resources", errs, func(m map[string]any, ie apijson.SchemaErrors) {
		// An enum loaded by value: anything but "dashboard", of any type,
		// gets the same message.
		typ, hasType := m["type"]
		switch {
		case !hasType:
			ie.Add("type", apijson.MsgRequired)
		case typ == nil:
			ie.Add("type", apijson.MsgNullField)
		case typ != "dashboard":
			ie.Add("type", "Must be one of: dashboard.")
		}
		out = append(out, Resource{Type: "dashboard", ID: apijson.ReqString(m, "id", ie)})
	})
	if !ok {
		return nil
	}
	return out
}

// parseRules loads the required rls list (RlsRuleSchema items: an optional
// integer dataset, with marshmallow's coercion of "7" to 7, and a clause).
func parseRules(body map[string]any, errs apijson.SchemaErrors) []RLSRule {
	out := []RLSRule{}
	ok := eachItem(body, "rls", errs, func(m map[string]any, ie apijson.SchemaErrors) {
		var rule RLSRule
		if dv, ok := m["dataset"]; ok {
			if n, msg := apijson.Integer(dv); msg != "" {
				ie.Add("dataset", msg)
			} else {
				rule.Dataset = &n
			}
		}
		rule.Clause = apijson.ReqString(m, "clause", ie)
		out = append(out, rule)
	})
	if !ok {
		return nil
	}
	return out
}

// eachItem loads the required list of objects under key (a List of a
// Nested schema): item reads each object into its own error set, and the
// errors are nested by index, marshmallow's way. It reports false when the
// list itself is missing or not a list.
func eachItem(body map[string]any, key string, errs apijson.SchemaErrors, item func(m map[string]any, ie apijson.SchemaErrors)) bool {
	v, ok := body[key]
	if !ok {
		errs.Add(key, apijson.MsgRequired)
		return false
	}
	list, msg := apijson.List(v)
	if msg != "" {
		errs.Add(key, msg)
		return false
	}
	le := apijson.SchemaErrors{}
	for i, x := range list {
		m, bad := apijson.Nested(x)
		if bad != nil {
			le[strconv.Itoa(i)] = bad
			continue
		}
		ie := apijson.SchemaErrors{}
		item(m, ie)
		le.Nest(strconv.Itoa(i), ie)
	}
	errs.Nest(key, le)
	return true
}

// warnEmptyNames reports user names sent as "": the token leaves them out,
// so the guest gets Superset's defaults ("guest_user", "Guest", "User")
// where Superset would keep the empty string.
func (s *Service) warnEmptyNames(v any) {
	m, _ := v.(map[string]any)
	for _, k := range []string{"username", "first_name", "last_name"} {
		if m[k] == "" {
			s.cfg.Controls.Difference("user."+k+" sent as \"\" is left out of the guest token",
				"Superset keeps the empty string in the token; send a name or leave the field out")
		}
	}
}
