// Package dashboards is the mock's catalogue: the dashboards it knows, how
// each is addressed (id, slug, embedded UUID) and where it may be embedded.
//
// The host's configuration seeds the Store; the embedded-config API then
// enables, changes or disables embedding at run time (UpsertEmbedded,
// DeleteEmbedded), as Superset's does. Every other package only reads it:
// the guest-token endpoint checks that a token's resources exist and are
// embedded, the embedded pages resolve their UUID and allowed domains, the
// API checks what a guest may see. Readers get copies, so a later update
// never races with a request in flight.
package dashboards

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dashembed/dashembed/devserver/internal/randid"
)

// Dashboard is one dashboard of the mock host: how it is addressed, where it
// may be embedded, and which charts and filters it shows.
type Dashboard struct {
	// ID is the numeric dashboard id.
	ID int
	// Slug is the optional human-readable address.
	Slug string
	// UUID is the embedded-dashboard UUID; empty means embedding is off.
	UUID string
	// Title is the dashboard title shown on the page.
	Title string
	// AllowedDomains lists the origins that may embed the dashboard; empty
	// allows any. Entries without a scheme (CalabiIQ style) match any scheme.
	AllowedDomains []string
	// Charts are the ids of the charts the dashboard shows, in order; empty
	// shows every chart of the host (the demo's behaviour).
	Charts []int
	// Filters are the dashboard's native filters; nil gives the host's
	// default filters (the demo's region and product).
	Filters []Filter
}

// Filter is one native filter of a dashboard's filter bar: a column of a
// dataset whose distinct values the visitor picks from.
type Filter struct {
	// Name is the label; default the column name.
	Name string
	// Column is the dataset column the filter narrows.
	Column string
	// Dataset is the id of the dataset the column belongs to.
	Dataset int
}

// Store holds the dashboards and their embedded configuration, which the
// embedded-config API changes at run time.
type Store struct {
	mu   sync.RWMutex
	list []*record
}

// record is a dashboard plus the audit fields Superset returns for its
// embedded configuration.
type record struct {
	Dashboard
	changedOn time.Time
	changedBy string
}

// NewStore copies the configured dashboards.
func NewStore(ds []Dashboard, now time.Time) *Store {
	s := &Store{}
	for _, d := range ds {
		d.AllowedDomains = append([]string(nil), d.AllowedDomains...)
		s.list = append(s.list, &record{Dashboard: d, changedOn: now, changedBy: "config"})
	}
	return s
}

// Find resolves a dashboard id, slug or embedded UUID. Superset accepts all
// three wherever "id_or_slug" appears, and resolves UUIDs on embedded routes.
func (s *Store) Find(key string) (Dashboard, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.findLocked(key); r != nil {
		return r.copy(), true
	}
	return Dashboard{}, false
}

// findLocked is Find for callers holding the lock.
func (s *Store) findLocked(key string) *record {
	if key == "" {
		return nil
	}
	id, err := strconv.Atoi(key)
	for _, r := range s.list {
		switch {
		case err == nil && r.ID == id,
			r.Slug != "" && r.Slug == key,
			r.UUID != "" && strings.EqualFold(r.UUID, key):
			return r
		}
	}
	return nil
}

// ByUUID resolves an embedded UUID only: /embedded/<uuid> does not accept
// ids or slugs.
func (s *Store) ByUUID(uuid string) (Dashboard, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.list {
		if r.UUID != "" && strings.EqualFold(r.UUID, uuid) {
			return r.copy(), true
		}
	}
	return Dashboard{}, false
}

// All returns copies of every dashboard.
func (s *Store) All() []Dashboard {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Dashboard, 0, len(s.list))
	for _, r := range s.list {
		out = append(out, r.copy())
	}
	return out
}

// copy returns the dashboard with its own domains slice, so callers can't
// race with later updates.
func (r *record) copy() Dashboard {
	d := r.Dashboard
	d.AllowedDomains = append([]string(nil), r.AllowedDomains...)
	return d
}

// EmbeddedConfig is the result object of the embedded-config API.
type EmbeddedConfig struct {
	UUID           string   `json:"uuid"`
	AllowedDomains []string `json:"allowed_domains"`
	DashboardID    string   `json:"dashboard_id"`
	ChangedOn      string   `json:"changed_on"`
	ChangedBy      any      `json:"changed_by"`
}

// Embedded returns the embedded configuration of a dashboard; found is false
// for an unknown dashboard, embedded false for one with embedding off.
func (s *Store) Embedded(key string) (cfg EmbeddedConfig, found, embedded bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.findLocked(key)
	if r == nil {
		return EmbeddedConfig{}, false, false
	}
	if r.UUID == "" {
		return EmbeddedConfig{}, true, false
	}
	return r.embeddedConfig(), true, true
}

// embeddedConfig renders the record the way Superset serialises it.
func (r *record) embeddedConfig() EmbeddedConfig {
	domains := append([]string{}, r.AllowedDomains...)
	return EmbeddedConfig{
		UUID:           r.UUID,
		AllowedDomains: domains,
		DashboardID:    strconv.Itoa(r.ID),
		ChangedOn:      r.changedOn.UTC().Format("2006-01-02T15:04:05.000000"),
		ChangedBy:      map[string]any{"first_name": r.changedBy, "last_name": "", "id": 1},
	}
}

// UpsertEmbedded enables embedding (or updates the allowed domains) and keeps
// an existing UUID, as Superset's upsert does. ok is false for an unknown
// dashboard.
func (s *Store) UpsertEmbedded(key string, domains []string, by string, now time.Time) (EmbeddedConfig, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.findLocked(key)
	if r == nil {
		return EmbeddedConfig{}, false
	}
	if r.UUID == "" {
		r.UUID = randid.UUID()
	}
	r.AllowedDomains = append([]string(nil), domains...)
	r.changedOn, r.changedBy = now, by
	return r.embeddedConfig(), true
}

// DeleteEmbedded disables embedding; the UUID is forgotten, as Superset
// deletes the embedded_dashboards row.
func (s *Store) DeleteEmbedded(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.findLocked(key)
	if r == nil {
		return false
	}
	r.UUID = ""
	r.AllowedDomains = nil
	return true
}
