package guest

import (
	"net/http"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// verifyAudience is the audience tokens must carry to be accepted.
func (s *Service) verifyAudience() string {
	if s.cfg.VerifyAudience != "" {
		return s.cfg.VerifyAudience
	}
	return s.cfg.Audience
}

// DataAccess reports whether the guest role may query datasets, and answers
// 403 with Superset's message when it may not (a GUEST_ROLE_NAME role
// without datasource access).
func (s *Service) DataAccess(w http.ResponseWriter) bool {
	if !s.cfg.RoleWithoutData {
		return true
	}
	apijson.WriteError(w, http.StatusForbidden,
		"This endpoint requires the datasource, database or `all_datasource_access` permission (the guest role has none)")
	return false
}
