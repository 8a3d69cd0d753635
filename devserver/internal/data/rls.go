package data

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/guest"
)

// whereClause is the WHERE of one query: SQL with placeholders, its
// arguments, and a readable version (values inlined) for the debug panel and
// the event feed.
type whereClause struct {
	sql     string
	args    []any
	display string
	rules   []guest.RLSRule // the rules that applied
}

// queryFilter is a native filter sent with a chart-data request.
type queryFilter struct {
	Col string
	Op  string // IN, NOT IN, ==, !=
	Val []any
}

// usernameTemplate matches Superset's {{ current_username() }} macro.
var usernameTemplate = regexp.MustCompile(`\{\{\s*current_username\(\s*\)\s*\}\}`)

// sqlQuote writes s as an SQL string literal.
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// renderClause expands the templating Superset offers inside RLS clauses
// (only current_username is supported here).
func renderClause(clause, username string) string {
	return usernameTemplate.ReplaceAllLiteralString(clause, sqlQuote(username))
}

// applicableRules returns the rules that apply to a dataset: those naming it
// and those naming no dataset, as Superset's guest RLS does. Superset tests
// the dataset for truth, so a rule for dataset 0 applies to every dataset.
func applicableRules(rules []guest.RLSRule, ds Dataset) []guest.RLSRule {
	var out []guest.RLSRule
	for _, r := range rules {
		if r.Dataset == nil || *r.Dataset == 0 || *r.Dataset == ds.ID {
			out = append(out, r)
		}
	}
	return out
}

// rlsError is an RLS clause the database could not use. It is the host
// backend's mistake, reported to the chart as a clear 400, never a 500.
type rlsError struct {
	clause string
	err    error
}

// Error names the clause and what the database said about it.
func (e *rlsError) Error() string {
	return fmt.Sprintf("RLS clause %q from the guest token is not valid SQL for this dataset: %v", e.clause, e.err)
}

// buildWhere combines native filters and RLS into one WHERE: each filter a
// parameterised predicate, each applicable RLS clause parenthesised, all
// AND-ed. Each clause is checked alone first, so that a broken one is named
// in the error instead of surfacing as a confusing failure of the whole
// query.
func (s *Store) buildWhere(ctx context.Context, ds Dataset, filters []queryFilter, rules []guest.RLSRule, username string) (whereClause, error) {
	var w whereClause
	var parts, shown []string
	for _, f := range filters {
		if !hasColumn(ds, f.Col) {
			return w, fmt.Errorf("filter column %q is not a column of dataset %d (%s); columns: %s",
				f.Col, ds.ID, ds.Table, strings.Join(ds.Columns, ", "))
		}
		col := `"` + f.Col + `"`
		switch f.Op {
		case "IN", "NOT IN":
			if len(f.Val) == 0 {
				continue // an empty selection filters nothing, as in Superset
			}
			marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.Val)), ", ")
			parts = append(parts, fmt.Sprintf("%s %s (%s)", col, f.Op, marks))
			var vs []string
			for _, v := range f.Val {
				vs = append(vs, displayValue(v))
			}
			shown = append(shown, fmt.Sprintf("%s %s (%s)", f.Col, f.Op, strings.Join(vs, ", ")))
			w.args = append(w.args, f.Val...)
		case "==", "!=":
			if len(f.Val) != 1 {
				return w, fmt.Errorf("filter %s %s needs exactly one value, got %d", f.Col, f.Op, len(f.Val))
			}
			op := map[string]string{"==": "=", "!=": "<>"}[f.Op]
			parts = append(parts, col+" "+op+" ?")
			shown = append(shown, f.Col+" "+op+" "+displayValue(f.Val[0]))
			w.args = append(w.args, f.Val[0])
		default:
			return w, fmt.Errorf("filter operator %q is not supported (use IN, NOT IN, == or !=)", f.Op)
		}
	}
	w.rules = applicableRules(rules, ds)
	for _, r := range w.rules {
		clause := renderClause(r.Clause, username)
		if strings.TrimSpace(clause) == "" {
			return w, &rlsError{r.Clause, fmt.Errorf("the clause is empty")}
		}
		if err := selfContained(clause); err != nil {
			return w, &rlsError{r.Clause, err}
		}
		// The newline keeps a trailing "--" comment in a clause from
		// swallowing the rest of the query.
		wrapped := "(" + clause + "\n)"
		if err := s.checkClause(ctx, ds, wrapped); err != nil {
			return w, &rlsError{r.Clause, err}
		}
		parts = append(parts, wrapped)
		shown = append(shown, "("+clause+")")
	}
	w.sql = strings.Join(parts, " AND ")
	w.display = strings.Join(shown, " AND ")
	return w, nil
}

// checkClause asks SQLite to plan a query with the clause alone.
func (s *Store) checkClause(ctx context.Context, ds Dataset, wrapped string) error {
	rows, err := s.db.QueryContext(ctx, "EXPLAIN SELECT 1 FROM "+ds.Table+" WHERE "+wrapped)
	if err != nil {
		return err
	}
	return rows.Close()
}

// hasColumn reports whether ds has the column.
func hasColumn(ds Dataset, col string) bool {
	for _, c := range ds.Columns {
		if c == col {
			return true
		}
	}
	return false
}

// displayValue writes a filter value as SQL for display.
func displayValue(v any) string {
	if s, ok := v.(string); ok {
		return sqlQuote(s)
	}
	return fmt.Sprint(v)
}
