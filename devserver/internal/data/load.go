package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Source is where a dataset's rows come from: exactly one of a CSV file
// (header row first, column types inferred), a table of a SQLite file
// (copied into memory; the file is opened read-only), or an SQL query over
// the datasets loaded before it (a view, like Superset's virtual datasets).
type Source struct {
	// CSV is the path of a CSV file.
	CSV string
	// SQLiteFile is the path of a SQLite database; SQLiteTable names the
	// table to copy (default: the dataset's table name).
	SQLiteFile, SQLiteTable string
	// SQL is a SELECT over earlier datasets.
	SQL string
}

// LoadError is a dataset or chart the store could not load: which one (its
// index in the list given to OpenSources), the field at fault and why. The
// caller knows where that item came from and names it for the user.
type LoadError struct {
	// What is "dataset" or "chart".
	What string
	// Index is the item's position in its list.
	Index int
	// Field is the field at fault, e.g. "csv" or "select".
	Field string
	// Err is what went wrong.
	Err error
}

// Error says which item failed and why.
func (e *LoadError) Error() string {
	return fmt.Sprintf("%s %d, %s: %v", e.What, e.Index, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }

// identifier is what a table name may be: it is spliced into queries.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// knownViz are the chart kinds the embedded page draws.
var knownViz = map[string]bool{"big_number": true, "bar": true, "line": true, "table": true}

// OpenSources creates a store holding the given datasets and charts instead
// of the demo data: each dataset is loaded from its Source in order, its
// columns read back from SQLite, and every chart's query is planned once, so
// that a mistake stops the start-up instead of surfacing in a browser.
// Dashboards that name no filters get none.
func OpenSources(datasets []Dataset, charts []Chart) (*Store, error) {
	db, err := openMemory()
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, filters: []nativeFilter{}}
	if err := s.load(datasets, charts); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := db.Exec("PRAGMA query_only = ON"); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// load fills the store's tables, datasets and charts.
func (s *Store) load(datasets []Dataset, charts []Chart) error {
	ids := map[int]bool{}
	tables := map[string]bool{}
	for i, d := range datasets {
		fail := func(field string, err error) error { return &LoadError{"dataset", i, field, err} }
		switch {
		case d.ID <= 0:
			return fail("id", errors.New("needs a positive id"))
		case ids[d.ID]:
			return fail("id", fmt.Errorf("id %d is used by another dataset", d.ID))
		case !identifier.MatchString(d.Table):
			return fail("table", fmt.Errorf("%q is not a table name (letters, digits and _, not starting with a digit)", d.Table))
		case tables[strings.ToLower(d.Table)]:
			return fail("table", fmt.Errorf("table %q is used by another dataset", d.Table))
		}
		ids[d.ID], tables[strings.ToLower(d.Table)] = true, true
		if field, err := s.loadSource(d); err != nil {
			return fail(field, err)
		}
		cols, err := s.columnsOf(d.Table)
		if err != nil {
			return fail("table", err)
		}
		d.Columns = cols
		s.datasets = append(s.datasets, d)
	}
	chartIDs := map[int]bool{}
	for i, c := range charts {
		fail := func(field string, err error) error { return &LoadError{"chart", i, field, err} }
		switch {
		case c.ID <= 0:
			return fail("id", errors.New("needs a positive id"))
		case chartIDs[c.ID]:
			return fail("id", fmt.Errorf("id %d is used by another chart", c.ID))
		case !knownViz[c.Viz]:
			return fail("kind", fmt.Errorf("%q is not a kind the page draws (big_number, bar, line or table)", c.Viz))
		case strings.TrimSpace(c.Select) == "":
			return fail("select", errors.New("is empty: write the SELECT list, e.g. \"region, SUM(revenue) AS revenue\""))
		}
		chartIDs[c.ID] = true
		ds, ok := s.datasetByID(c.Dataset)
		if !ok {
			return fail("dataset", fmt.Errorf("no dataset has id %d", c.Dataset))
		}
		if c.Name == "" {
			c.Name = fmt.Sprintf("Chart %d", c.ID)
		}
		if c.RowLimit <= 0 {
			c.RowLimit = 100
		}
		if field, err := s.planChart(c, ds); err != nil {
			return fail(field, err)
		}
		s.charts = append(s.charts, c)
	}
	return nil
}

// loadSource creates the dataset's table from its source, returning the
// field at fault on error.
func (s *Store) loadSource(d Dataset) (string, error) {
	src := d.Source
	n := 0
	for _, v := range []string{src.CSV, src.SQLiteFile, src.SQL} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return "source", errors.New("needs exactly one of csv, sqlite or sql")
	}
	switch {
	case src.CSV != "":
		return "csv", s.loadCSV(d.Table, src.CSV)
	case src.SQLiteFile != "":
		table := src.SQLiteTable
		if table == "" {
			table = d.Table
		}
		return "sqlite", s.copySQLite(d.Table, src.SQLiteFile, table)
	default:
		if _, err := s.db.Exec(`CREATE VIEW "` + d.Table + `" AS ` + src.SQL); err != nil {
			return "sql", fmt.Errorf("SQLite refused the query: %v", err)
		}
		// A view is checked lazily; selecting from it proves it works.
		if err := s.explain(`SELECT * FROM "` + d.Table + `"`); err != nil {
			return "sql", fmt.Errorf("SQLite refused the query: %v", err)
		}
		return "", nil
	}
}

// loadCSV reads a CSV file with a header row into a new table. A column is
// INTEGER when every non-empty cell is an integer, REAL when every one is a
// number, TEXT otherwise; empty cells are NULL.
func (s *Store) loadCSV(table, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read the CSV file: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err == io.EOF {
		return fmt.Errorf("%s is empty: it needs a header row naming the columns", path)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" || strings.Contains(h, `"`) {
			return fmt.Errorf("%s: header column %d is empty or holds a double quote", path, i+1)
		}
		if seen[strings.ToLower(h)] {
			return fmt.Errorf("%s: column %q appears twice in the header", path, h)
		}
		seen[strings.ToLower(h)] = true
		header[i] = h
	}
	rows, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = `"` + h + `" ` + csvColumnType(rows, i)
	}
	if _, err := s.db.Exec(`CREATE TABLE "` + table + `" (` + strings.Join(cols, ", ") + `)`); err != nil {
		return err
	}
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.Prepare(`INSERT INTO "` + table + `" VALUES (` + strings.TrimSuffix(strings.Repeat("?, ", len(header)), ", ") + `)`)
	if err != nil {
		return err
	}
	for _, row := range rows {
		args := make([]any, len(row))
		for i, v := range row {
			if v != "" {
				args[i] = v // SQLite's column affinity turns "12" into 12
			}
		}
		if _, err := ins.Exec(args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// csvColumnType infers a column's SQLite type from its cells.
func csvColumnType(rows [][]string, col int) string {
	kind := "INTEGER"
	for _, row := range rows {
		v := strings.TrimSpace(row[col])
		if v == "" {
			continue
		}
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			continue
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			kind = "REAL"
			continue
		}
		return "TEXT"
	}
	return kind
}

// copySQLite copies a table of a SQLite file into memory, so the user's
// file is only ever read and RLS clauses run against the copy.
func (s *Store) copySQLite(table, path, from string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("cannot read the SQLite file: %v", err)
	}
	if !identifier.MatchString(from) {
		return fmt.Errorf("%q is not a table name", from)
	}
	u := url.URL{Scheme: "file", Opaque: path, RawQuery: "mode=ro"}
	if _, err := s.db.Exec(`ATTACH DATABASE ? AS src`, u.String()); err != nil {
		return fmt.Errorf("%s is not a SQLite database SQLite can open: %v", path, err)
	}
	defer s.db.Exec(`DETACH DATABASE src`)
	if _, err := s.db.Exec(`CREATE TABLE main."` + table + `" AS SELECT * FROM src."` + from + `"`); err != nil {
		return fmt.Errorf("copying table %q from %s: %v", from, path, err)
	}
	return nil
}

// columnsOf lists a table's (or view's) columns.
func (s *Store) columnsOf(table string) ([]string, error) {
	rows, err := s.db.Query(`SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 && rows.Err() == nil {
		return nil, fmt.Errorf("table %q has no columns", table)
	}
	return cols, rows.Err()
}

// planChart checks that a chart's query is valid SQL over its dataset,
// trying each part alone first so the error names the field at fault.
func (s *Store) planChart(c Chart, ds Dataset) (string, error) {
	from := ` FROM "` + ds.Table + `"`
	if err := s.explain("SELECT " + c.Select + from); err != nil {
		return "select", fmt.Errorf("SQLite refused %q over dataset %d (%s; columns %s): %v", c.Select, ds.ID, ds.Table, strings.Join(ds.Columns, ", "), err)
	}
	if c.GroupBy != "" {
		if err := s.explain("SELECT " + c.Select + from + " GROUP BY " + c.GroupBy); err != nil {
			return "group_by", fmt.Errorf("SQLite refused %q: %v", c.GroupBy, err)
		}
	}
	if c.Order != "" {
		order := strings.ReplaceAll(c.Order, "%s", "ASC")
		q := "SELECT " + c.Select + from
		if c.GroupBy != "" {
			q += " GROUP BY " + c.GroupBy
		}
		if err := s.explain(q + " ORDER BY " + order); err != nil {
			return "order_by", fmt.Errorf("SQLite refused %q: %v", c.Order, err)
		}
	}
	return "", nil
}

// explain asks SQLite to plan a query without running it.
func (s *Store) explain(q string) error {
	rows, err := s.db.Query("EXPLAIN " + q)
	if err != nil {
		return err
	}
	return rows.Close()
}
