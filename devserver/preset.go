package devserver

import (
	"crypto/subtle"
	"net/http"
)

// handlePresetAuth is POST /v1/auth/ of Preset's Manager API: an API token
// name and secret buy a Manager access token.
func (h *BIHost) handlePresetAuth(w http.ResponseWriter, r *http.Request) {
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return
	}
	errs := schemaErrors{}
	name := reqString(body, "name", errs)
	secret := reqString(body, "secret", errs)
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, errs)
		return
	}
	ok := false
	for _, k := range h.cfg.PresetTokens {
		if k.Name == name && subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) == 1 {
			ok = true
		}
	}
	if !ok {
		writeError(w, http.StatusUnauthorized, "Not authorized: unknown API token name or wrong secret")
		return
	}
	tok, err := h.mintServiceToken(name, "preset", h.cfg.AccessTokenLifetime)
	if err != nil {
		panic(err)
	}
	h.events.publish("login", map[string]any{"preset_token": name})
	writeJSON(w, http.StatusOK, map[string]any{"payload": map[string]string{"access_token": tok}})
}

// handlePresetGuestToken is POST /v1/teams/<team>/workspaces/<ws>/guest-token/:
// Preset's guest tokens, with the same body as Superset's and the token
// wrapped in {payload:{token}}.
func (h *BIHost) handlePresetGuestToken(w http.ResponseWriter, r *http.Request) {
	if h.guestTokenFault(w, r) {
		return
	}
	tok, err := bearer(r)
	if err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	c, err := h.parseServiceToken(tok, "preset")
	if err != nil {
		writeUnauthorized(w, err.Error()+" (use the access_token from POST /v1/auth/)")
		return
	}
	who := map[string]any{"by": "preset:" + c.Subject, "team": r.PathValue("team"), "workspace": r.PathValue("ws")}
	if token, ok := h.mintFromBody(w, r, who); ok {
		writeJSON(w, http.StatusOK, map[string]any{"payload": map[string]string{"token": token}})
	}
}
