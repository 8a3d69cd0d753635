package devtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/devtest"
	"github.com/dashembed/dashembed/guesttoken"
)

// TestHostAppBackendAgainstTheKit is how a host app uses the kit: its
// backend mints a tenant's token through guesttoken, the embedded page's
// chart call runs with it, and the test asserts both from the event feed.
func TestHostAppBackendAgainstTheKit(t *testing.T) {
	bi := devtest.Start(t, devtest.ConfigFile("testdata/dashembed.toml"), devtest.Allow("http://localhost:3000"))
	if bi.DashboardUUID != "0f0e0d0c-0b0a-4908-8706-050403020100" || bi.Username != "admin" || bi.Secret == "" {
		t.Fatalf("host %+v", bi)
	}
	client, err := guesttoken.NewSuperset(bi.URL, guesttoken.Credentials{Username: bi.Username, Password: bi.Password})
	if err != nil {
		t.Fatal(err)
	}
	clause, err := guesttoken.ClauseEquals("customer", "alpha")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := client.GuestToken(context.Background(), guesttoken.GuestTokenRequest{
		User:      guesttoken.User{Username: "alice"},
		Resources: []guesttoken.Resource{{ID: bi.DashboardUUID}},
		RLS:       []guesttoken.RLSRule{{Clause: clause}},
	})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := bi.BI.VerifyGuestToken(tok)
	if err != nil || claims.User.Username != "alice" {
		t.Fatalf("token: %v %+v", err, claims)
	}

	mint := bi.WaitMint(t, func(m devtest.Mint) bool { return m.User.Username == "alice" })
	if mint.By != "admin" || len(mint.RLS) != 1 || mint.RLS[0].Clause != "customer = 'alpha'" {
		t.Errorf("minted %+v", mint)
	}

	// What the embedded page does with the token.
	req, _ := http.NewRequest("POST", bi.URL+"/api/v1/chart/data",
		strings.NewReader(`{"datasource":{"id":1,"type":"table"},"form_data":{"slice_id":10,"dashboardId":1}}`))
	req.Header.Set(bi.TokenHeader, tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Result []struct {
			Data []map[string]float64 `json:"data"`
		} `json:"result"`
	}
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(body.Result) != 1 || body.Result[0].Data[0]["amount"] != 150 {
		t.Fatalf("chart data %d %+v", resp.StatusCode, body)
	}
	q := bi.WaitChartQuery(t, func(q devtest.ChartQuery) bool { return q.Chart == 10 })
	if q.User != "alice" || q.Status != 200 || q.Where != "(customer = 'alpha')" || len(q.RLS) != 1 {
		t.Errorf("chart query %+v", q)
	}
}

func TestDemoByDefaultWithOptions(t *testing.T) {
	bi := devtest.Start(t, devtest.Faults("guest_token_fail=1"), devtest.Allow("http://localhost:5000"),
		devtest.Configure(func(c *devserver.Config) { c.Audience = "tests" }))
	if bi.DashboardUUID != devserver.DemoDashboardUUID || bi.Audience != "tests" || bi.BI.Faults().GuestTokenFail != 1 {
		t.Fatalf("host %+v faults %+v", bi, bi.BI.Faults())
	}
	if got := bi.BI.Config().Dashboards[0].AllowedDomains; len(got) != 1 || got[0] != "http://localhost:5000" {
		t.Errorf("allowed domains %v", got)
	}
	// No SDK was given: its files answer 404 saying how to get one.
	resp, err := http.Get(bi.SDKURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("SDK without Dist: %d", resp.StatusCode)
	}
	if len(bi.Mints()) != 0 || len(bi.ChartQueries()) != 0 {
		t.Errorf("events before anything happened: %v", bi.Events())
	}
}
