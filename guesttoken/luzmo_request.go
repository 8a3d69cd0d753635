package guesttoken

import (
	"encoding/json"
	"strings"
	"time"
)

// LuzmoRole is what an embed user may do in Luzmo's UI.
type LuzmoRole string

// The roles Luzmo accepts for embed tokens.
const (
	// LuzmoViewer may view and interact with dashboards (the default).
	LuzmoViewer LuzmoRole = "viewer"
	// LuzmoDesigner may also edit dashboards and create new ones.
	LuzmoDesigner LuzmoRole = "designer"
	// LuzmoOwner may also manage and share what they can access.
	LuzmoOwner LuzmoRole = "owner"
)

// LuzmoRight is an access level on a collection, dashboard or dataset. Each
// level includes the ones before it: read < use < modify < own.
type LuzmoRight string

// The access levels, from least to most.
const (
	// LuzmoRead allows seeing the object's metadata.
	LuzmoRead LuzmoRight = "read"
	// LuzmoUse allows viewing a dashboard or querying a dataset.
	LuzmoUse LuzmoRight = "use"
	// LuzmoModify allows changing the object.
	LuzmoModify LuzmoRight = "modify"
	// LuzmoOwn allows everything, including deleting and sharing.
	LuzmoOwn LuzmoRight = "own"
)

func (r LuzmoRight) valid() bool {
	switch r {
	case LuzmoRead, LuzmoUse, LuzmoModify, LuzmoOwn:
		return true
	}
	return false
}

// LuzmoRequest describes the embed user and what a Luzmo embed token grants.
type LuzmoRequest struct {
	// Username is the user's stable, immutable id in the host app (not an
	// e-mail address, which can change): Luzmo ties the user's saved content
	// to it. Required.
	Username string
	// Name is the user's full name, shown as the author of their content.
	// Required.
	Name string
	// Email is the user's e-mail address. Required.
	Email string
	// Suborganization groups users who share content; typically the tenant.
	// Empty means Username, which isolates each user.
	Suborganization string
	// Role defaults to LuzmoViewer.
	Role LuzmoRole
	// Access lists what the token opens; at least one entry is required.
	Access LuzmoAccess
	// Expiry is when the token stops working; zero means 24 hours from now.
	// It must be in the future and at most a year away.
	Expiry time.Time
	// InactivityInterval ends the session after this long without use; zero
	// disables it, otherwise it must be at least 2 minutes. Sent in whole
	// seconds.
	InactivityInterval time.Duration
	// Extra holds further embed-token properties this type does not model
	// (theme, locale_id, parameter_overrides, filters, ...), sent as given.
	// Its keys must not repeat a modelled property.
	Extra map[string]any
}

// LuzmoAccess is the set of objects an embed token opens. A dashboard or
// dataset entry overrides what a collection gives for that object.
type LuzmoAccess struct {
	// Collections grants every object in each collection.
	Collections []LuzmoCollectionAccess
	// Dashboards grants individual dashboards.
	Dashboards []LuzmoAccessEntry
	// Datasets grants individual datasets.
	Datasets []LuzmoAccessEntry
}

// LuzmoCollectionAccess grants the objects of one collection.
type LuzmoCollectionAccess struct {
	// ID is the collection's id.
	ID string
	// InheritRights is the level given on each object in the collection.
	InheritRights LuzmoRight
}

// LuzmoAccessEntry grants one dashboard or dataset.
type LuzmoAccessEntry struct {
	// ID is the dashboard's or dataset's id.
	ID string
	// Rights is the level granted; it must be given explicitly, because the
	// difference between "use" and "modify" is a security decision.
	Rights LuzmoRight
}

// minInactivity is the shortest inactivity interval Luzmo accepts.
const minInactivity = 2 * time.Minute

// defaultLuzmoExpiry is Luzmo's own default, made explicit so the token's
// lifetime does not depend on which API answers.
const defaultLuzmoExpiry = 24 * time.Hour

// modelledLuzmoKeys are the properties LuzmoRequest sets itself, which Extra
// must not override.
var modelledLuzmoKeys = []string{"type", "username", "name", "email", "suborganization", "role", "access", "expiry", "inactivity_interval"}

// Validate reports every problem in r as a *ValidationError.
func (r LuzmoRequest) Validate() error {
	return r.validate(time.Now())
}

func (r LuzmoRequest) validate(now time.Time) error {
	var p problems
	if strings.TrimSpace(r.Username) == "" {
		p.addf("username: empty")
	}
	if strings.TrimSpace(r.Name) == "" {
		p.addf("name: empty")
	}
	if !strings.Contains(r.Email, "@") {
		p.addf("email: %q is not an e-mail address", r.Email)
	}
	switch r.Role {
	case "", LuzmoViewer, LuzmoDesigner, LuzmoOwner:
	default:
		p.addf("role: %q is not one of viewer, designer, owner", r.Role)
	}
	a := r.Access
	if len(a.Collections)+len(a.Dashboards)+len(a.Datasets) == 0 {
		p.addf("access: at least one collection, dashboard or dataset is required")
	}
	for i, c := range a.Collections {
		if c.ID == "" {
			p.addf("access.collections[%d].id: empty", i)
		}
		if !c.InheritRights.valid() {
			p.addf("access.collections[%d].inheritRights: %q is not one of read, use, modify, own", i, c.InheritRights)
		}
	}
	for _, list := range []struct {
		name    string
		entries []LuzmoAccessEntry
	}{{"dashboards", a.Dashboards}, {"datasets", a.Datasets}} {
		for i, e := range list.entries {
			if e.ID == "" {
				p.addf("access.%s[%d].id: empty", list.name, i)
			}
			if !e.Rights.valid() {
				p.addf("access.%s[%d].rights: %q is not one of read, use, modify, own", list.name, i, e.Rights)
			}
		}
	}
	if !r.Expiry.IsZero() {
		if !r.Expiry.After(now) {
			p.addf("expiry: %s is not in the future", r.Expiry.Format(time.RFC3339))
		} else if r.Expiry.After(now.AddDate(1, 0, 0)) {
			p.addf("expiry: %s is more than a year away", r.Expiry.Format(time.RFC3339))
		}
	}
	if r.InactivityInterval < 0 || (r.InactivityInterval > 0 && r.InactivityInterval < minInactivity) {
		p.addf("inactivity interval: %s must be 0 or at least %s", r.InactivityInterval, minInactivity)
	}
	for _, k := range modelledLuzmoKeys {
		if _, ok := r.Extra[k]; ok {
			p.addf("extra: %q is set by a LuzmoRequest field", k)
		}
	}
	if r.Extra != nil {
		if _, err := json.Marshal(r.Extra); err != nil {
			p.addf("extra: not JSON-encodable: %v", err)
		}
	}
	return p.err()
}

// properties validates r and builds the "properties" object of the
// authorization request, filling in the defaults.
func (r LuzmoRequest) properties(now time.Time) (map[string]any, error) {
	if err := r.validate(now); err != nil {
		return nil, err
	}
	props := make(map[string]any, len(r.Extra)+len(modelledLuzmoKeys))
	for k, v := range r.Extra {
		props[k] = v
	}
	sub := r.Suborganization
	if sub == "" {
		sub = r.Username
	}
	role := r.Role
	if role == "" {
		role = LuzmoViewer
	}
	expiry := r.Expiry
	if expiry.IsZero() {
		expiry = now.Add(defaultLuzmoExpiry)
	}
	props["type"] = "embed"
	props["username"] = r.Username
	props["name"] = r.Name
	props["email"] = r.Email
	props["suborganization"] = sub
	props["role"] = role
	props["access"] = wireLuzmoAccess(r.Access)
	props["expiry"] = expiry.UTC().Format(time.RFC3339)
	if r.InactivityInterval > 0 {
		props["inactivity_interval"] = int64(r.InactivityInterval / time.Second)
	}
	return props, nil
}

type wireLuzmoCollection struct {
	ID            string     `json:"id"`
	InheritRights LuzmoRight `json:"inheritRights"`
}

type wireLuzmoEntry struct {
	ID     string     `json:"id"`
	Rights LuzmoRight `json:"rights"`
}

type wireLuzmoAccessList struct {
	Collections []wireLuzmoCollection `json:"collections,omitempty"`
	Dashboards  []wireLuzmoEntry      `json:"dashboards,omitempty"`
	Datasets    []wireLuzmoEntry      `json:"datasets,omitempty"`
}

func wireLuzmoAccess(a LuzmoAccess) wireLuzmoAccessList {
	var w wireLuzmoAccessList
	for _, c := range a.Collections {
		w.Collections = append(w.Collections, wireLuzmoCollection(c))
	}
	for _, d := range a.Dashboards {
		w.Dashboards = append(w.Dashboards, wireLuzmoEntry(d))
	}
	for _, d := range a.Datasets {
		w.Datasets = append(w.Datasets, wireLuzmoEntry(d))
	}
	return w
}
