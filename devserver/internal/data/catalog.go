package data

import (
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/dashboards"
)

// tab is one tab of a dashboard's tab bar.
type tab struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// defaultTab is where a chart without a tab goes: the page needs at least one.
const defaultTab = "Overview"

// dashboardCharts returns the charts a dashboard shows, in its order; a
// dashboard that names none shows every chart of the store.
func (s *Store) dashboardCharts(d dashboards.Dashboard) []Chart {
	if len(d.Charts) == 0 {
		return s.charts
	}
	var out []Chart
	for _, id := range d.Charts {
		if c, ok := s.chartByID(id); ok {
			out = append(out, c)
		}
	}
	return out
}

// dashboardFilters returns a dashboard's native filters in the API's shape;
// a dashboard that names none gets the store's default filters.
func (s *Store) dashboardFilters(d dashboards.Dashboard) []nativeFilter {
	if d.Filters == nil {
		return s.filters
	}
	out := []nativeFilter{}
	for _, f := range d.Filters {
		name := f.Name
		if name == "" {
			name = f.Column
		}
		out = append(out, nativeFilter{ID: "NATIVE_FILTER-" + f.Column, Name: name, Column: f.Column, DatasetID: f.Dataset})
	}
	return out
}

// tabsOf lists the tabs of a set of charts in order of first use. The demo's
// tab ids have titles of their own; any other tab id is its own title.
func tabsOf(charts []Chart) []tab {
	out := []tab{}
	seen := map[string]bool{}
	for _, c := range charts {
		id := tabID(c)
		if seen[id] {
			continue
		}
		seen[id] = true
		title := strings.TrimPrefix(id, "TAB-")
		for _, t := range demoTabs {
			if t.ID == id {
				title = t.Title
			}
		}
		out = append(out, tab{ID: id, Title: title})
	}
	if len(out) == 0 {
		out = append(out, tab{ID: "TAB-" + defaultTab, Title: defaultTab})
	}
	return out
}

// tabID is the id of a chart's tab: its Tab, prefixed like Superset's
// ids, or the default tab's.
func tabID(c Chart) string {
	t := c.Tab
	if t == "" {
		t = defaultTab
	}
	if strings.HasPrefix(t, "TAB-") {
		return t
	}
	return "TAB-" + t
}
