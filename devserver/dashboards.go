package devserver

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dashboardStore holds the dashboards and their embedded configuration,
// which the embedded-config API changes at run time.
type dashboardStore struct {
	mu   sync.RWMutex
	list []*dashboardRecord
}

// dashboardRecord is a dashboard plus the audit fields Superset returns for
// its embedded configuration.
type dashboardRecord struct {
	Dashboard
	changedOn time.Time
	changedBy string
}

// newDashboardStore copies the configured dashboards.
func newDashboardStore(ds []Dashboard, now time.Time) *dashboardStore {
	s := &dashboardStore{}
	for _, d := range ds {
		d.AllowedDomains = append([]string(nil), d.AllowedDomains...)
		s.list = append(s.list, &dashboardRecord{Dashboard: d, changedOn: now, changedBy: "config"})
	}
	return s
}

// find resolves a dashboard id, slug or embedded UUID. Superset accepts all
// three wherever "id_or_slug" appears, and resolves UUIDs on embedded routes.
func (s *dashboardStore) find(key string) (Dashboard, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.findLocked(key); r != nil {
		return r.copy(), true
	}
	return Dashboard{}, false
}

// findLocked is find for callers holding the lock.
func (s *dashboardStore) findLocked(key string) *dashboardRecord {
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

// byUUID resolves an embedded UUID only: /embedded/<uuid> does not accept
// ids or slugs.
func (s *dashboardStore) byUUID(uuid string) (Dashboard, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.list {
		if r.UUID != "" && strings.EqualFold(r.UUID, uuid) {
			return r.copy(), true
		}
	}
	return Dashboard{}, false
}

// all returns copies of every dashboard.
func (s *dashboardStore) all() []Dashboard {
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
func (r *dashboardRecord) copy() Dashboard {
	d := r.Dashboard
	d.AllowedDomains = append([]string(nil), r.AllowedDomains...)
	return d
}

// embeddedConfig is the result object of the embedded-config API.
type embeddedConfig struct {
	UUID           string   `json:"uuid"`
	AllowedDomains []string `json:"allowed_domains"`
	DashboardID    string   `json:"dashboard_id"`
	ChangedOn      string   `json:"changed_on"`
	ChangedBy      any      `json:"changed_by"`
}

// embedded returns the embedded configuration of a dashboard, or false when
// the dashboard is unknown or not embedded.
func (s *dashboardStore) embedded(key string) (embeddedConfig, bool, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.findLocked(key)
	if r == nil {
		return embeddedConfig{}, false, false
	}
	if r.UUID == "" {
		return embeddedConfig{}, true, false
	}
	return r.embeddedConfig(), true, true
}

// embeddedConfig renders the record the way Superset serialises it.
func (r *dashboardRecord) embeddedConfig() embeddedConfig {
	domains := append([]string{}, r.AllowedDomains...)
	return embeddedConfig{
		UUID:           r.UUID,
		AllowedDomains: domains,
		DashboardID:    strconv.Itoa(r.ID),
		ChangedOn:      r.changedOn.UTC().Format("2006-01-02T15:04:05.000000"),
		ChangedBy:      map[string]any{"first_name": r.changedBy, "last_name": "", "id": 1},
	}
}

// upsertEmbedded enables embedding (or updates the allowed domains) and keeps
// an existing UUID, as Superset's upsert does. ok is false for an unknown
// dashboard.
func (s *dashboardStore) upsertEmbedded(key string, domains []string, by string, now time.Time) (embeddedConfig, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.findLocked(key)
	if r == nil {
		return embeddedConfig{}, false
	}
	if r.UUID == "" {
		r.UUID = newUUID()
	}
	r.AllowedDomains = append([]string(nil), domains...)
	r.changedOn, r.changedBy = now, by
	return r.embeddedConfig(), true
}

// deleteEmbedded disables embedding; the UUID is forgotten, as Superset
// deletes the embedded_dashboards row.
func (s *dashboardStore) deleteEmbedded(key string) bool {
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

// newUUID returns a random version-4 UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
