package vendors

import (
	"crypto/subtle"
	"net/http"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// HandlePresetAuth is POST /v1/auth/ of Preset's Manager API: an API token
// name and secret buy a Manager access token.
func (a *API) HandlePresetAuth(w http.ResponseWriter, r *http.Request) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	errs := apijson.SchemaErrors{}
	name := apijson.ReqString(body, "name", errs)
	secret := apijson.ReqString(body, "secret", errs)
	if len(errs) > 0 {
		apijson.WriteError(w, http.StatusBadRequest, errs)
		return
	}
	ok := false
	for _, k := range a.cfg.PresetTokens {
		if k.Name == name && subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) == 1 {
			ok = true
		}
	}
	if !ok {
		apijson.WriteError(w, http.StatusUnauthorized, "Not authorized: unknown API token name or wrong secret")
		return
	}
	tok, err := a.cfg.Auth.MintPreset(name)
	if err != nil {
		panic(err)
	}
	a.cfg.Controls.Publish("login", map[string]any{"preset_token": name})
	apijson.Write(w, http.StatusOK, map[string]any{"payload": map[string]string{"access_token": tok}})
}

// HandlePresetGuestToken is POST /v1/teams/<team>/workspaces/<ws>/guest-token/:
// Preset's guest tokens, with the same body as Superset's and the token
// wrapped in {payload:{token}}.
func (a *API) HandlePresetGuestToken(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Controls.GuestTokenFault(w, r) {
		return
	}
	subject, err := a.cfg.Auth.PresetSubject(r)
	if err != nil {
		apijson.WriteUnauthorized(w, err.Error())
		return
	}
	who := map[string]any{"by": "preset:" + subject, "team": r.PathValue("team"), "workspace": r.PathValue("ws")}
	if token, ok := a.cfg.Guests.MintFromBody(w, r, who); ok {
		apijson.Write(w, http.StatusOK, map[string]any{"payload": map[string]string{"token": token}})
	}
}
