package devserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// guestTokenRequest is a validated guest-token request body.
type guestTokenRequest struct {
	user      GuestUser
	resources []GuestResource
	rls       []RLSRule
}

// handleGuestToken is POST /api/v1/security/guest_token/: a service account
// with the grant permission mints a guest token for embedded resources.
func (h *BIHost) handleGuestToken(w http.ResponseWriter, r *http.Request) {
	if h.guestTokenFault(w, r) {
		return
	}
	acct, err := h.authenticate(r, "access")
	if err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	if !acct.CanGrantGuestToken {
		h.log.Warn("guest token refused: account lacks can_grant_guest_token", "username", acct.Username)
		writeError(w, http.StatusUnauthorized, "Not authorized")
		return
	}
	if !h.checkCSRF(w, r) {
		return
	}
	if token, ok := h.mintFromBody(w, r, map[string]any{"by": acct.Username}); ok {
		writeJSON(w, http.StatusOK, map[string]string{"token": token})
	}
}

// mintFromBody reads a guest-token request body (Superset's schema, which
// Preset shares), mints the token and records it in the event feed with who
// asked. It answers the request itself when the body is refused.
func (h *BIHost) mintFromBody(w http.ResponseWriter, r *http.Request, who map[string]any) (string, bool) {
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return "", false
	}
	req, status, msg := h.parseGuestTokenRequest(body)
	if status != 0 {
		writeError(w, status, msg)
		return "", false
	}
	token, claims, err := h.mintGuestToken(req.user, req.resources, req.rls, h.faults.tokenLifetime())
	if err != nil {
		panic(err) // signing with an HMAC key cannot fail but for a bug
	}
	detail := map[string]any{
		"user": claims.User, "resources": claims.Resources, "rls_rules": claims.RLSRules,
		"exp": claims.ExpiresAt, "lifetime_s": claims.ExpiresAt - claims.IssuedAt,
	}
	for k, v := range who {
		detail[k] = v
	}
	h.events.publish("token_minted", detail)
	return token, true
}

// parseGuestTokenRequest checks the body against Superset's
// GuestTokenCreateSchema. A non-zero status means the request is refused
// with msg (a string or schemaErrors).
func (h *BIHost) parseGuestTokenRequest(body map[string]any) (guestTokenRequest, int, any) {
	var req guestTokenRequest
	errs := schemaErrors{}

	userV, hasUser := body["user"]
	switch u := userV.(type) {
	case map[string]any:
		ue := schemaErrors{}
		req.user.Username, _ = optString(u, "username", ue)
		req.user.FirstName, _ = optString(u, "first_name", ue)
		req.user.LastName, _ = optString(u, "last_name", ue)
		if a, ok := u["attributes"]; ok {
			if am, ok := a.(map[string]any); ok {
				req.user.Attributes = am
			} else if a != nil {
				ue.add("attributes", msgNotObject)
			}
		}
		errs.nest("user", ue)
	case nil:
		// handled below, after the other fields, so the message can say
		// everything that is wrong at once.
	default:
		errs.add("user", msgNotObject)
	}

	if rv, ok := body["resources"]; !ok {
		errs.add("resources", msgRequired)
	} else if list, ok := rv.([]any); !ok {
		errs.add("resources", msgNotList)
	} else {
		re := schemaErrors{}
		for i, item := range list {
			ie := schemaErrors{}
			m, ok := item.(map[string]any)
			if !ok {
				ie.add("_schema", msgNotObject)
				re.nest(strconv.Itoa(i), ie)
				continue
			}
			typ := reqString(m, "type", ie)
			if _, ok := ie["type"]; !ok && typ != "dashboard" {
				ie.add("type", "Must be one of: dashboard.")
			}
			id := reqString(m, "id", ie)
			re.nest(strconv.Itoa(i), ie)
			req.resources = append(req.resources, GuestResource{Type: typ, ID: id})
		}
		errs.nest("resources", re)
	}

	if rv, ok := body["rls"]; !ok {
		errs.add("rls", msgRequired)
	} else if list, ok := rv.([]any); !ok {
		errs.add("rls", msgNotList)
	} else {
		req.rls = []RLSRule{}
		re := schemaErrors{}
		for i, item := range list {
			ie := schemaErrors{}
			m, ok := item.(map[string]any)
			if !ok {
				ie.add("_schema", msgNotObject)
				re.nest(strconv.Itoa(i), ie)
				continue
			}
			var rule RLSRule
			if dv, ok := m["dataset"]; ok && dv != nil {
				if n, ok := asInt(dv); ok {
					rule.Dataset = &n
				} else {
					ie.add("dataset", msgNotInteger)
				}
			}
			rule.Clause = reqString(m, "clause", ie)
			re.nest(strconv.Itoa(i), ie)
			req.rls = append(req.rls, rule)
		}
		errs.nest("rls", re)
	}

	if len(errs) > 0 {
		return req, http.StatusBadRequest, errs
	}
	if !hasUser || userV == nil {
		h.log.Warn("guest token request without \"user\": stock Superset answers 500 here; send user {username, first_name, last_name}")
		return req, http.StatusBadRequest, schemaErrors{"user": []string{
			msgRequired + " Send user {username, first_name, last_name}; stock Superset fails with 500 without it.",
		}}
	}
	for _, res := range req.resources {
		d, ok := h.dash.find(res.ID)
		if !ok || d.UUID == "" {
			h.log.Info("guest token for unknown or non-embedded dashboard", "id", res.ID)
			return req, http.StatusBadRequest, "EmbeddedDashboard not found."
		}
	}
	return req, 0, nil
}

// guestAccess reports whether the claims grant access to dashboard d, as
// Superset's has_guest_access does (by id or embedded UUID; the mock also
// accepts the slug, since tokens may be minted for one).
func guestAccess(c *GuestClaims, d Dashboard) bool {
	for _, r := range c.Resources {
		if r.Type != "dashboard" {
			continue
		}
		if r.ID == fmt.Sprint(d.ID) || (d.UUID != "" && strings.EqualFold(r.ID, d.UUID)) || (d.Slug != "" && r.ID == d.Slug) {
			return true
		}
	}
	return false
}
