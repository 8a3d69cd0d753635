package guest

import (
	"strconv"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/dashboards"
)

// Access reports whether the claims grant access to dashboard d, as
// Superset's has_guest_access does: a dashboard resource whose id is the
// dashboard's numeric id or its embedded UUID, compared as strings. A slug,
// or a UUID in capitals, grants nothing, although the guest-token endpoint
// accepts both when minting. An admin sees every dashboard.
func Access(c *Claims, d dashboards.Dashboard) bool {
	if c.Admin {
		return true
	}
	for _, r := range c.Resources {
		if r.Type != "dashboard" {
			continue
		}
		if r.ID == strconv.Itoa(d.ID) || (d.UUID != "" && r.ID == strings.ToLower(d.UUID)) {
			return true
		}
	}
	return false
}

// warnUnusableResource tells the developer about a resource Superset mints
// a token for but that opens nothing in the embedded page: a slug or a UUID
// in capitals (no access at all), or a dashboard without embedding (its
// embedded page does not exist).
func (s *Service) warnUnusableResource(res Resource) {
	d, _ := s.cfg.Dashboards.Find(res.ID)
	var why string
	switch {
	case !Access(&Claims{Resources: []Resource{res}}, d):
		why = "Superset grants access by dashboard id or embedded UUID (lower case) only; this token will get 403 from the dashboard API"
	case d.UUID == "":
		why = "the dashboard has no embedded configuration, so there is no embedded page to open with this token"
	default:
		return
	}
	s.cfg.Log.Warn("guest token resource will not open the dashboard", "id", res.ID, "why", why)
	s.cfg.Controls.Publish("token_warning", map[string]any{"resource": res.ID, "why": why})
}
