package data

import (
	"context"
	"errors"
	"testing"

	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// FuzzRLSClause: whatever clause a guest token carries, the RLS handling
// either refuses it with an *rlsError or runs it as one self-contained
// condition: AND-ed with a clause that matches nothing, it matches nothing
// (a clause cannot close its parentheses and OR its way out), and the data
// is unchanged.
func FuzzRLSClause(f *testing.F) {
	for _, seed := range []string{
		"tenant = 'acme'", "tenant = {{ current_username() }}", "1=1) OR (1=1", "1) --", "x /*",
		"tenant = 'a'' OR 1=1 --'", "1=1; DELETE FROM orders", `"tenant" = 'acme'`, "(((1)))", ")(", "-- only a comment",
		"region IN ('North', 'South')", "tenant = 'acme' /* ) OR ( */", "[tenant] = 'x'", "`tenant` = ')'",
	} {
		f.Add(seed, "guest")
	}
	s, err := Open()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(s.Close)
	ds, _ := s.datasetByID(1)
	var total int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM orders").Scan(&total); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, clause, username string) {
		ctx := context.Background()
		nothing := "0"
		rules := []guest.RLSRule{{Clause: clause}, {Clause: nothing}}
		w, err := s.buildWhere(ctx, ds, nil, rules, username)
		if err != nil {
			var re *rlsError
			if !errors.As(err, &re) {
				t.Fatalf("clause %q: error %T %v, want an *rlsError", clause, err, err)
			}
			return
		}
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM orders WHERE "+w.sql, w.args...).Scan(&n); err != nil {
			t.Fatalf("clause %q was accepted but its query fails: %v", clause, err)
		}
		if n != 0 {
			t.Fatalf("clause %q AND-ed with %q matches %d rows: it escapes its parentheses (%s)", clause, nothing, n, w.sql)
		}
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM orders").Scan(&n); err != nil || n != total {
			t.Fatalf("clause %q changed the data: %d rows, want %d (%v)", clause, n, total, err)
		}
	})
}
