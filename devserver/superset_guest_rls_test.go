package devserver

// Superset's tests/integration_tests/security/row_level_security_tests.py,
// class GuestTokenRowLevelSecurityTests, replayed over HTTP: the guest
// token's RLS rules, signed into the token by hand as in the source tests,
// and the WHERE each chart's query runs with.

import (
	"testing"
	"time"
)

// whereWith runs a chart with a token carrying rules and returns the
// effective WHERE the mock reports.
func whereWith(t *testing.T, base string, chart int, rules ...any) string {
	t.Helper()
	c := guestClaims(time.Now(), map[string]any{})
	c["rls_rules"] = rules
	r := chartData(t, base, handSigned(t, c), chart, nil).Want(t, 200)
	return r.JSON["result"].([]any)[0].(map[string]any)["where"].(string)
}

// aliceRule is the source tests' rule, for the orders dataset (1).
var aliceRule = map[string]any{"dataset": 1, "clause": "tenant = 'acme'"}

func TestSupersetGuestTokenRowLevelSecurity_test_rls_filter_alters_query(t *testing.T) {
	_, srv := testHost(t, nil)
	if w := whereWith(t, srv.URL, 1, aliceRule); w != "(tenant = 'acme')" {
		t.Fatalf("where %q", w)
	}
}

func TestSupersetGuestTokenRowLevelSecurity_test_rls_filter_does_not_alter_unrelated_query(t *testing.T) {
	_, srv := testHost(t, nil)
	if w := whereWith(t, srv.URL, 1, map[string]any{"dataset": 1 + 1, "clause": "tenant = 'acme'"}); w != "" {
		t.Fatalf("where %q", w)
	}
}

func TestSupersetGuestTokenRowLevelSecurity_test_multiple_rls_filters_are_unionized(t *testing.T) {
	_, srv := testHost(t, nil)
	w := whereWith(t, srv.URL, 1, aliceRule, map[string]any{"dataset": 1, "clause": "region = 'North'"})
	if w != "(tenant = 'acme') AND (region = 'North')" {
		t.Fatalf("where %q", w)
	}
}

func TestSupersetGuestTokenRowLevelSecurity_test_rls_filter_for_all_datasets(t *testing.T) {
	_, srv := testHost(t, nil)
	all := map[string]any{"clause": "tenant = 'acme'"}
	for _, chart := range []int{1, 6} { // orders and targets
		if w := whereWith(t, srv.URL, chart, all); w != "(tenant = 'acme')" {
			t.Fatalf("chart %d: where %q", chart, w)
		}
	}
}

func TestSupersetGuestTokenRowLevelSecurity_test_dataset_id_can_be_string(t *testing.T) {
	_, srv := testHost(t, nil)
	if w := whereWith(t, srv.URL, 1, map[string]any{"dataset": "1", "clause": "tenant = 'acme'"}); w != "(tenant = 'acme')" {
		t.Fatalf("where %q", w)
	}
	// The same string for another dataset leaves this one alone.
	if w := whereWith(t, srv.URL, 1, map[string]any{"dataset": "2", "clause": "tenant = 'acme'"}); w != "" {
		t.Fatalf("where %q", w)
	}
}
