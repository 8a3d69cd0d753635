package devserver

import (
	"errors"

	"github.com/dashembed/dashembed/devserver/internal/dashboards"
	"github.com/dashembed/dashembed/devserver/internal/data"
)

// The data a host serves in place of the demo's. The types live with the
// code that loads and queries them (internal/data, internal/dashboards);
// these names are how callers outside the dev server refer to them.
type (
	// Dataset is one table of the host's SQLite: its ID (what RLS rules
	// name in their "dataset" field), Table name and Source. Columns are
	// read back from SQLite once it is loaded.
	Dataset = data.Dataset
	// DataSource is where a dataset's rows come from: a CSV file, a table
	// of a SQLite file, or an SQL query over earlier datasets.
	DataSource = data.Source
	// Chart is one chart: its ID, Name, Viz (big_number, bar, line or
	// table), Dataset, Tab, and the SQL pieces of its query (Select,
	// GroupBy, Order; Order may hold %s for the sort direction) and
	// RowLimit. Guest RLS is AND-ed into its WHERE.
	Chart = data.Chart
	// Filter is a native filter of a dashboard: a Column of a Dataset, with
	// a Name for its label.
	Filter = dashboards.Filter
)

// openData opens the demo database, or the configured datasets and charts.
// An error about one of them names the configuration file's key and line
// when the Config came from a file.
func openData(cfg Config) (*data.Store, error) {
	if len(cfg.Datasets) == 0 {
		if len(cfg.Charts) > 0 {
			return nil, errConfig("Config.Charts needs Config.Datasets: the demo data's charts are fixed")
		}
		return data.Open()
	}
	ids := map[int]bool{}
	for _, c := range cfg.Charts {
		ids[c.ID] = true
	}
	for _, d := range cfg.Dashboards {
		for _, id := range d.Charts {
			if !ids[id] {
				return nil, errConfig("dashboard %d shows chart %d, which Config.Charts does not hold", d.ID, id)
			}
		}
	}
	store, err := data.OpenSources(cfg.Datasets, cfg.Charts)
	var le *data.LoadError
	if errors.As(err, &le) {
		if cfg.file != nil {
			return nil, cfg.file.loadError(le)
		}
		return nil, errConfig("Config.%ss[%d].%s: %v", map[string]string{"dataset": "Dataset", "chart": "Chart"}[le.What], le.Index, le.Field, le.Err)
	}
	return store, err
}
