package devtest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// Mint is a guest token the host minted: who asked (By: the account, or
// "luzmo:<key>"), for which user and resources, with which RLS rules.
type Mint struct {
	By        string                    `json:"by"`
	User      devserver.GuestUser       `json:"user"`
	Resources []devserver.GuestResource `json:"resources"`
	RLS       []devserver.RLSRule       `json:"rls_rules"`
}

// ChartQuery is a call of the embedded page's API holding a guest token:
// the path, the status, the guest, the token's RLS rules, and for chart data
// the chart and the WHERE it ran with.
type ChartQuery struct {
	Path   string              `json:"path"`
	Status int                 `json:"status"`
	User   string              `json:"user"`
	RLS    []devserver.RLSRule `json:"rls_rules"`
	Chart  int                 `json:"chart"`
	Where  string              `json:"where"`
}

// Events returns the host's event feed so far, oldest first.
func (h *Host) Events() []devserver.Event { return h.BI.Events() }

// Mints returns the guest tokens minted so far.
func (h *Host) Mints() []Mint { return decodeEvents[Mint](h.Events(), "token_minted") }

// ChartQueries returns the chart-data calls so far: those of the API calls
// that ran a chart.
func (h *Host) ChartQueries() []ChartQuery {
	var out []ChartQuery
	for _, q := range decodeEvents[ChartQuery](h.Events(), "api_call") {
		if q.Chart != 0 {
			out = append(out, q)
		}
	}
	return out
}

// WaitMint waits up to 30 s for a minted token that match accepts (nil
// accepts any) and returns it; the test fails if none comes.
func (h *Host) WaitMint(t testing.TB, match func(Mint) bool) Mint {
	t.Helper()
	return wait(t, "a guest token to be minted", h.Mints, match)
}

// WaitChartQuery waits up to 30 s for a chart query that match accepts (nil
// accepts any) and returns it; the test fails if none comes.
func (h *Host) WaitChartQuery(t testing.TB, match func(ChartQuery) bool) ChartQuery {
	t.Helper()
	return wait(t, "a chart query", h.ChartQueries, match)
}

// waitTimeout bounds the waits: long enough for a browser to load a page.
const waitTimeout = 30 * time.Second

// wait polls list until an item matches.
func wait[T any](t testing.TB, what string, list func() []T, match func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, x := range list() {
			if match == nil || match(x) {
				return x
			}
		}
		if time.Now().After(deadline) {
			var zero T
			t.Fatalf("devtest: no %s after %v (saw %d)", what, waitTimeout, len(list()))
			return zero
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// decodeEvents reads the details of the events of one kind as T, through
// JSON: the shape the feed sends to a browser.
func decodeEvents[T any](events []devserver.Event, kind string) []T {
	var out []T
	for _, e := range events {
		if e.Kind != kind {
			continue
		}
		b, err := json.Marshal(e.Detail)
		if err != nil {
			continue
		}
		var x T
		if json.Unmarshal(b, &x) == nil {
			out = append(out, x)
		}
	}
	return out
}
