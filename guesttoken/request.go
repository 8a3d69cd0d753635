package guesttoken

import (
	"encoding/json"
	"strings"
)

// ResourceDashboard is the only resource type Superset's guest-token API
// accepts.
const ResourceDashboard = "dashboard"

// GuestTokenRequest is what a Superset, CalabiIQ or Preset guest token grants:
// who the viewer is, which dashboards they may open and which row-level
// security rules narrow the data they see.
type GuestTokenRequest struct {
	// User describes the viewer; it is shown in the dashboard and is available
	// to RLS templating on the BI host.
	User User
	// Resources lists the dashboards the token opens; at least one is required.
	Resources []Resource
	// RLS lists the row-level security rules baked into the token. Empty
	// means no extra filtering. See the package documentation for the SQL
	// injection risk.
	RLS []RLSRule
}

// User is the guest user a token is minted for.
type User struct {
	// Username identifies the viewer in the host app.
	Username string
	// FirstName is shown in the dashboard's UI.
	FirstName string
	// LastName is shown in the dashboard's UI.
	LastName string
	// Attributes are extra values the BI host can use, for example in RLS
	// templates. They must be JSON-encodable.
	Attributes map[string]any
}

// Resource is one object the guest token opens.
type Resource struct {
	// Type is the resource type; empty means ResourceDashboard, the only type
	// the API supports.
	Type string
	// ID is the dashboard's id, slug or embedded UUID. Surrounding
	// whitespace, a common copy-paste accident, is dropped.
	ID string
}

// RLSRule is one row-level security clause.
type RLSRule struct {
	// Dataset limits the rule to the dataset with this id; nil applies it to
	// every dataset the dashboard queries.
	Dataset *int
	// Clause is a SQL boolean expression AND-ed into the WHERE clause of every
	// query on the affected datasets, e.g. `tenant_id = 'acme'`. Build it with
	// ClauseEquals or QuoteLiteral, never by pasting untrusted text.
	Clause string
}

// Validate reports every problem in r that the API would reject, or that
// would mint a token that cannot work, as a *ValidationError.
func (r GuestTokenRequest) Validate() error {
	var p problems
	if len(r.Resources) == 0 {
		p.addf("resources: at least one dashboard is required")
	}
	for i, res := range r.Resources {
		if res.Type != "" && res.Type != ResourceDashboard {
			p.addf("resources[%d].type: %q is not supported (only %q)", i, res.Type, ResourceDashboard)
		}
		if strings.TrimSpace(res.ID) == "" {
			p.addf("resources[%d].id: empty", i)
		}
	}
	for i, rule := range r.RLS {
		if rule.Dataset != nil && *rule.Dataset <= 0 {
			p.addf("rls[%d].dataset: %d is not a dataset id", i, *rule.Dataset)
		}
		if strings.TrimSpace(rule.Clause) == "" {
			// An empty clause would make the BI host run "WHERE ()" and fail
			// every chart, which is worse than refusing the token here.
			p.addf("rls[%d].clause: empty", i)
		}
		if strings.ContainsRune(rule.Clause, 0) {
			p.addf("rls[%d].clause: contains a NUL byte", i)
		}
	}
	if r.User.Attributes != nil {
		if _, err := json.Marshal(r.User.Attributes); err != nil {
			p.addf("user.attributes: not JSON-encodable: %v", err)
		}
	}
	return p.err()
}

// wireGuestTokenRequest is the JSON body of Superset's guest-token API, which
// Preset shares.
type wireGuestTokenRequest struct {
	User      wireUser       `json:"user"`
	Resources []wireResource `json:"resources"`
	// RLS is never omitted: the API requires the key even when it is empty.
	RLS []wireRLS `json:"rls"`
}

type wireUser struct {
	Username   string         `json:"username"`
	FirstName  string         `json:"first_name"`
	LastName   string         `json:"last_name"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

type wireResource struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type wireRLS struct {
	Dataset *int   `json:"dataset,omitempty"`
	Clause  string `json:"clause"`
}

// body validates r and encodes it as the API expects.
func (r GuestTokenRequest) body() ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	w := wireGuestTokenRequest{
		User: wireUser{
			Username:   r.User.Username,
			FirstName:  r.User.FirstName,
			LastName:   r.User.LastName,
			Attributes: r.User.Attributes,
		},
		Resources: make([]wireResource, 0, len(r.Resources)),
		RLS:       make([]wireRLS, 0, len(r.RLS)),
	}
	for _, res := range r.Resources {
		typ := res.Type
		if typ == "" {
			typ = ResourceDashboard
		}
		w.Resources = append(w.Resources, wireResource{Type: typ, ID: strings.TrimSpace(res.ID)})
	}
	for _, rule := range r.RLS {
		w.RLS = append(w.RLS, wireRLS{Dataset: rule.Dataset, Clause: rule.Clause})
	}
	return json.Marshal(w)
}
