package data

import (
	"context"
	"testing"
)

// open opens a store that the test closes.
func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// revenue sums revenue with a hand-written WHERE, straight on the database.
func revenue(t *testing.T, s *Store, where string) float64 {
	t.Helper()
	var v float64
	if err := s.db.QueryRow("SELECT COALESCE(SUM(revenue), 0) FROM orders WHERE " + where).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := open(t), open(t)
	if x, y := revenue(t, a, "1=1"), revenue(t, b, "1=1"); x != y || x == 0 {
		t.Fatalf("seed sums %v %v", x, y)
	}
	if got := revenue(t, a, "tenant = 'acme' AND region = 'North'"); got != 13180 {
		t.Fatalf("acme North revenue %v, want 13180", got)
	}
	var n int
	a.db.QueryRow("SELECT COUNT(*) FROM orders").Scan(&n)
	if n != len(seedTenants)*len(seedRegions)*len(seedMonths)*len(seedProducts) {
		t.Fatalf("%d orders", n)
	}
}

func TestRLSCannotWrite(t *testing.T) {
	s := open(t)
	// Even a clause that smuggles a statement in cannot change data: the
	// connection is query_only.
	if _, err := s.db.ExecContext(context.Background(), "DELETE FROM orders"); err == nil {
		t.Fatal("the demo database accepted a write")
	}
}
