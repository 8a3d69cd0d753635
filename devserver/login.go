package devserver

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// handleLogin is POST /api/v1/security/login: a service account trades its
// username and password for an access token (and a refresh token when
// refresh is true).
func (h *BIHost) handleLogin(w http.ResponseWriter, r *http.Request) {
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return
	}
	errs := schemaErrors{}
	username := reqString(body, "username", errs)
	password := reqString(body, "password", errs)
	provider, hasProvider := optString(body, "provider", errs)
	refresh := optBool(body, "refresh", errs)
	if hasProvider && provider != "db" && provider != "ldap" {
		errs.add("provider", "Must be one of: db, ldap.")
	}
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, errs)
		return
	}
	if !hasProvider {
		// Flask-AppBuilder's schema does not require provider, but without
		// one no authenticator runs and the login fails with 401.
		h.log.Warn("login without provider: stock Superset answers 401 here; send provider \"db\"", "username", username)
		writeUnauthorized(w, `no "provider" given; use "db"`)
		return
	}
	acct, ok := h.checkPassword(username, password)
	if !ok {
		h.log.Info("login failed", "username", username)
		writeError(w, http.StatusUnauthorized, "Not authorized")
		return
	}
	access, err := h.mintServiceToken(acct.Username, "access", h.cfg.AccessTokenLifetime)
	if err != nil {
		panic(err)
	}
	resp := map[string]string{"access_token": access}
	if refresh {
		rt, err := h.mintServiceToken(acct.Username, "refresh", 30*24*time.Hour)
		if err != nil {
			panic(err)
		}
		resp["refresh_token"] = rt
	}
	h.events.publish("login", map[string]any{"username": acct.Username, "provider": provider, "refresh": refresh})
	writeJSON(w, http.StatusOK, resp)
}

// checkPassword finds the account with these credentials.
func (h *BIHost) checkPassword(username, password string) (Account, bool) {
	for _, a := range h.cfg.Accounts {
		if a.Username == username && subtle.ConstantTimeCompare([]byte(a.Password), []byte(password)) == 1 {
			return a, true
		}
	}
	return Account{}, false
}

// handleRefresh is POST /api/v1/security/refresh: a refresh token (Bearer)
// buys a new access token.
func (h *BIHost) handleRefresh(w http.ResponseWriter, r *http.Request) {
	acct, err := h.authenticate(r, "refresh")
	if err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	access, err := h.mintServiceToken(acct.Username, "access", h.cfg.AccessTokenLifetime)
	if err != nil {
		panic(err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"access_token": access})
}
