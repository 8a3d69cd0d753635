package data

import (
	"net/http"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// The /api/v1/me/ endpoints read the user from the session or a guest
// token, never from a Bearer token (they sit outside Superset's JWT layer),
// and the mock has no session login: they answer guests only, and 401
// {"message": "Not authorized"} to anyone else.

// HandleMe is GET /api/v1/me/: who the guest is, as Superset's
// UserResponseSchema dumps a guest user: its token's names or GuestUser's
// defaults.
func (a *API) HandleMe(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	apijson.Write(w, http.StatusOK, map[string]any{"result": map[string]any{
		"username": c.User.Name(), "first_name": c.User.First(), "last_name": c.User.Last(),
		"is_active": true, "is_anonymous": false,
	}})
}

// HandleMeRoles is GET /api/v1/me/roles/: the embedded page's first call,
// which tells it whether the guest token works. The shape is Superset's
// bootstrap data of a guest user: the token's names or GuestUser's
// defaults, and the guest role (GUEST_ROLE_NAME, "Public" by default)
// without data permissions, since guests reach data only through their
// dashboards.
func (a *API) HandleMeRoles(w http.ResponseWriter, r *http.Request, c *guest.Claims) {
	apijson.Write(w, http.StatusOK, map[string]any{"result": map[string]any{
		"username": c.User.Name(), "firstName": c.User.First(), "lastName": c.User.Last(),
		"isActive": true, "isAnonymous": false, "permissions": map[string]any{}, "groups": []string{},
		"roles": map[string]any{
			"Public": [][]string{{"can_read", "Dashboard"}, {"can_read", "Chart"}, {"can_read", "DashboardPermalinkRestApi"}},
		},
	}})
}
