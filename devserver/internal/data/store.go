package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Store is the demo database: an in-memory SQLite with a deterministic
// seed, queried with real SQL so that RLS clauses behave as they would on a
// real warehouse.
type Store struct {
	db       *sql.DB
	datasets []Dataset
	charts   []Chart
	// filters are the native filters of dashboards that name none.
	filters []nativeFilter
}

// Dataset describes one table the demo charts query.
type Dataset struct {
	ID      int      `json:"id"`
	Table   string   `json:"table_name"`
	Columns []string `json:"columns"`
	// Source is where OpenSources loads the table from; the demo datasets
	// have none (they are seeded).
	Source Source `json:"-"`
}

// demoDatasets are the datasets of the demo database. Dataset ids are what
// RLS rules name in their "dataset" field.
var demoDatasets = []Dataset{
	{ID: 1, Table: "orders", Columns: []string{"id", "tenant", "region", "product", "month", "quantity", "revenue"}},
	{ID: 2, Table: "targets", Columns: []string{"tenant", "region", "month", "target"}},
}

// datasetByID finds one of the store's datasets.
func (s *Store) datasetByID(id int) (Dataset, bool) {
	for _, d := range s.datasets {
		if d.ID == id {
			return d, true
		}
	}
	return Dataset{}, false
}

// Seed dimensions. Tenants are what a host app typically isolates with RLS.
var (
	seedTenants  = []string{"acme", "globex", "initech"}
	seedRegions  = []string{"East", "North", "South", "West"}
	seedProducts = []string{"Gadget", "Gizmo", "Widget"}
	seedMonths   = []string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06",
		"2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"}
)

// Tenants returns the tenants the demo data is seeded with, in order.
func Tenants() []string { return slices.Clone(seedTenants) }

// openMemory opens an empty in-memory database. One connection only: every
// connection to ":memory:" would be a different, empty database.
func openMemory() (*sql.DB, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("devserver: opening sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Open creates and seeds the demo database.
func Open() (*Store, error) {
	db, err := openMemory()
	if err != nil {
		return nil, err
	}
	if err := seed(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("devserver: seeding sqlite: %w", err)
	}
	// Guest RLS clauses are spliced into queries; query_only makes sure a
	// clause can never change the data, whatever it contains.
	if _, err := db.Exec("PRAGMA query_only = ON"); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, datasets: demoDatasets, charts: demoCharts, filters: demoFilters}, nil
}

// seed fills the tables with a deterministic pseudo-random series (a fixed
// linear congruential generator), so tests can assert exact sums.
func seed(db *sql.DB) error {
	ctx := context.Background()
	stmts := []string{
		`CREATE TABLE orders (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, region TEXT NOT NULL,
			product TEXT NOT NULL, month TEXT NOT NULL, quantity INTEGER NOT NULL, revenue INTEGER NOT NULL)`,
		`CREATE TABLE targets (tenant TEXT NOT NULL, region TEXT NOT NULL, month TEXT NOT NULL, target INTEGER NOT NULL)`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.Prepare(`INSERT INTO orders (id, tenant, region, product, month, quantity, revenue) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	insT, err := tx.Prepare(`INSERT INTO targets (tenant, region, month, target) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	state := uint32(20250101)
	next := func(n uint32) int {
		state = state*1664525 + 1013904223
		return int((state >> 8) % n)
	}
	price := map[string]int{"Gadget": 25, "Gizmo": 40, "Widget": 10}
	id := 0
	for ti, t := range seedTenants {
		for _, r := range seedRegions {
			for _, m := range seedMonths {
				total := 0
				for _, p := range seedProducts {
					qty := 5 + next(20) + 3*ti
					id++
					if _, err := ins.Exec(id, t, r, p, m, qty, qty*price[p]); err != nil {
						return err
					}
					total += qty * price[p]
				}
				if _, err := insT.Exec(t, r, m, total-total%100+100*(next(5)-2)); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

// DB is the database itself, read-only: tests compare the API's answers
// with SQL of their own.
func (s *Store) DB() *sql.DB { return s.db }

// Close releases the database.
func (s *Store) Close() { s.db.Close() }
