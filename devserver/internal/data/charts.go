package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// Chart is one demo chart: which dataset it reads and how.
type Chart struct {
	ID      int
	Name    string
	Viz     string // bar, line, big_number, table
	Dataset int
	Tab     string
	// Select, GroupBy and Order are SQL fragments over the dataset's
	// table. Order may contain %s for ASC/DESC (the chart's sort control).
	Select, GroupBy, Order string
	RowLimit               int
}

// demoTabs are the dashboard's tabs, in order.
var demoTabs = []struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}{{"TAB-overview", "Overview"}, {"TAB-details", "Details"}}

// demoCharts are the charts every demo dashboard shows.
var demoCharts = []Chart{
	{ID: 1, Name: "Total revenue", Viz: "big_number", Dataset: 1, Tab: "TAB-overview",
		Select: "SUM(revenue) AS revenue, COUNT(*) AS orders", RowLimit: 1},
	{ID: 2, Name: "Revenue by region", Viz: "bar", Dataset: 1, Tab: "TAB-overview",
		Select: "region, SUM(revenue) AS revenue", GroupBy: "region", Order: "revenue %s, region", RowLimit: 100},
	{ID: 3, Name: "Monthly revenue", Viz: "line", Dataset: 1, Tab: "TAB-overview",
		Select: "month, SUM(revenue) AS revenue", GroupBy: "month", Order: "month", RowLimit: 100},
	{ID: 4, Name: "Revenue by tenant", Viz: "bar", Dataset: 1, Tab: "TAB-overview",
		Select: "tenant, SUM(revenue) AS revenue", GroupBy: "tenant", Order: "revenue %s, tenant", RowLimit: 100},
	{ID: 5, Name: "Top product × region", Viz: "table", Dataset: 1, Tab: "TAB-details",
		Select: "product, region, SUM(quantity) AS quantity, SUM(revenue) AS revenue", GroupBy: "product, region",
		Order: "revenue %s, product, region", RowLimit: 5},
	{ID: 6, Name: "Sales targets by region", Viz: "bar", Dataset: 2, Tab: "TAB-details",
		Select: "region, SUM(target) AS target", GroupBy: "region", Order: "target %s, region", RowLimit: 100},
}

// Charts returns the charts every demo dashboard shows, in order.
func Charts() []Chart { return slices.Clone(demoCharts) }

// chartByID finds one of the store's charts.
func (s *Store) chartByID(id int) (Chart, bool) {
	for _, c := range s.charts {
		if c.ID == id {
			return c, true
		}
	}
	return Chart{}, false
}

// nativeFilter is one filter of the dashboard's filter bar.
type nativeFilter struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Column    string `json:"column"`
	DatasetID int    `json:"dataset_id"`
}

// demoFilters are the native filters of every demo dashboard.
var demoFilters = []nativeFilter{
	{ID: "NATIVE_FILTER-region", Name: "Region", Column: "region", DatasetID: 1},
	{ID: "NATIVE_FILTER-product", Name: "Product", Column: "product", DatasetID: 1},
}

// chartResult is one query result in Superset's chart-data shape, plus the
// rendered SVG and the effective WHERE.
type chartResult struct {
	Colnames []string         `json:"colnames"`
	Coltypes []int            `json:"coltypes"`
	Data     []map[string]any `json:"data"`
	Rowcount int              `json:"rowcount"`
	RowLimit int              `json:"row_limit"`
	Query    string           `json:"query"`
	Where    string           `json:"where"`
	RLS      []guest.RLSRule  `json:"rls"`
	Applied  []map[string]any `json:"applied_filters"`
	SVG      string           `json:"svg"`
	Status   string           `json:"status"`
	IsCached bool             `json:"is_cached"`
}

// runChart queries a chart with filters and the guest's RLS rules.
func (s *Store) runChart(ctx context.Context, c Chart, filters []queryFilter, rules []guest.RLSRule, username string, desc bool) (*chartResult, error) {
	ds, _ := s.datasetByID(c.Dataset)
	w, err := s.buildWhere(ctx, ds, filters, rules, username)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + c.Select + " FROM " + ds.Table
	shown := q
	if w.sql != "" {
		q += " WHERE " + w.sql
		shown += " WHERE " + w.display
	}
	if c.GroupBy != "" {
		q += " GROUP BY " + c.GroupBy
		shown += " GROUP BY " + c.GroupBy
	}
	if c.Order != "" {
		order := c.Order
		if strings.Contains(order, "%s") {
			dir := "ASC"
			if desc {
				dir = "DESC"
			}
			order = fmt.Sprintf(order, dir)
		}
		q += " ORDER BY " + order
		shown += " ORDER BY " + order
	}
	q += fmt.Sprintf(" LIMIT %d", c.RowLimit)
	shown += fmt.Sprintf(" LIMIT %d", c.RowLimit)
	rows, err := s.db.QueryContext(ctx, q, w.args...)
	if err != nil {
		// The clauses were checked one by one; a failure here comes from
		// their combination (or a bug), and is still the query's fault.
		return nil, fmt.Errorf("query failed: %v", err)
	}
	defer rows.Close()
	res, err := scanRows(rows)
	if err != nil {
		return nil, err
	}
	res.RowLimit = c.RowLimit
	res.Query = shown
	res.Where = w.display
	res.RLS = w.rules
	if res.RLS == nil {
		res.RLS = []guest.RLSRule{}
	}
	res.Applied = []map[string]any{}
	for _, f := range filters {
		res.Applied = append(res.Applied, map[string]any{"column": f.Col})
	}
	res.Status = "success"
	res.SVG = renderChartSVG(c, res)
	return res, nil
}

// scanRows reads a result set into Superset's records orientation.
func scanRows(rows *sql.Rows) (*chartResult, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &chartResult{Colnames: cols, Data: []map[string]any{}}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec := map[string]any{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			rec[c] = vals[i]
		}
		res.Data = append(res.Data, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res.Rowcount = len(res.Data)
	// Superset's GenericDataType: 0 numeric, 1 string.
	res.Coltypes = make([]int, len(cols))
	if len(res.Data) > 0 {
		for i, c := range cols {
			if _, ok := res.Data[0][c].(string); ok {
				res.Coltypes[i] = 1
			}
		}
	}
	return res, nil
}

// columnValues lists the distinct values of a column under the guest's RLS,
// for a native filter's options (Superset applies RLS there too).
func (s *Store) columnValues(ctx context.Context, ds Dataset, col string, rules []guest.RLSRule, username string) ([]any, string, error) {
	if !hasColumn(ds, col) {
		return nil, "", fmt.Errorf("column %q is not a column of dataset %d (%s)", col, ds.ID, ds.Table)
	}
	w, err := s.buildWhere(ctx, ds, nil, rules, username)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT DISTINCT "` + col + `" FROM ` + ds.Table
	if w.sql != "" {
		q += " WHERE " + w.sql
	}
	q += ` ORDER BY 1`
	rows, err := s.db.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, "", fmt.Errorf("query failed: %v", err)
	}
	defer rows.Close()
	out := []any{}
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			return nil, "", err
		}
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		out = append(out, v)
	}
	return out, w.display, rows.Err()
}
