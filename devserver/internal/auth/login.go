package auth

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// HandleLogin is POST /api/v1/security/login: a service account trades its
// username and password for an access token (and a refresh token when
// refresh is true).
func (s *Service) HandleLogin(w http.ResponseWriter, r *http.Request) {
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	errs := apijson.SchemaErrors{}
	username := apijson.ReqString(body, "username", errs)
	password := apijson.ReqString(body, "password", errs)
	provider, hasProvider := apijson.OptString(body, "provider", errs)
	refresh := apijson.OptBool(body, "refresh", errs)
	if hasProvider && provider != "db" && provider != "ldap" {
		errs.Add("provider", "Must be one of: db, ldap.")
	}
	if len(errs) > 0 {
		apijson.WriteError(w, http.StatusBadRequest, errs)
		return
	}
	if !hasProvider {
		// Flask-AppBuilder's schema does not require provider, but without
		// one no authenticator runs and the login fails with 401.
		s.cfg.Log.Warn("login without provider: stock Superset answers 401 here; send provider \"db\"", "username", username)
		apijson.WriteUnauthorized(w, `no "provider" given; use "db"`)
		return
	}
	acct, ok := s.checkPassword(username, password)
	if !ok {
		s.cfg.Log.Info("login failed", "username", username)
		apijson.WriteError(w, http.StatusUnauthorized, "Not authorized")
		return
	}
	access, err := s.mint(acct.Username, typeAccess, s.cfg.AccessLifetime)
	if err != nil {
		panic(err)
	}
	resp := map[string]string{"access_token": access}
	if refresh {
		rt, err := s.mint(acct.Username, typeRefresh, 30*24*time.Hour)
		if err != nil {
			panic(err)
		}
		resp["refresh_token"] = rt
	}
	s.cfg.Controls.Publish("login", map[string]any{"username": acct.Username, "provider": provider, "refresh": refresh})
	apijson.Write(w, http.StatusOK, resp)
}

// checkPassword finds the account with these credentials.
func (s *Service) checkPassword(username, password string) (Account, bool) {
	for _, a := range s.cfg.Accounts {
		if a.Username == username && subtle.ConstantTimeCompare([]byte(a.Password), []byte(password)) == 1 {
			return a, true
		}
	}
	return Account{}, false
}

// HandleRefresh is POST /api/v1/security/refresh: a refresh token (Bearer)
// buys a new access token.
func (s *Service) HandleRefresh(w http.ResponseWriter, r *http.Request) {
	acct, err := s.authenticate(r, typeRefresh)
	if err != nil {
		WriteError(w, err)
		return
	}
	access, err := s.mint(acct.Username, typeAccess, s.cfg.AccessLifetime)
	if err != nil {
		panic(err)
	}
	apijson.Write(w, http.StatusOK, map[string]string{"access_token": access})
}
