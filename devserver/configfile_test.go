package devserver

import (
	"database/sql"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// salesCSV is the data the configuration tests load.
const salesCSV = `tenant,region,revenue,share
acme,East,100,0.5
acme,West,50,0.25
globex,East,1000,
`

// dataDoc is a file with one CSV dataset and one dashboard over it.
const dataDoc = `
[[datasets]]
id = 7
table = "sales"
csv = "sales.csv"

[[dashboards]]
id = 3
uuid = "11111111-2222-4333-8444-555555555555"
title = "Mine"

[[dashboards.charts]]
id = 30
title = "Revenue"
kind = "big_number"
dataset = 7
select = "SUM(revenue) AS revenue"

[[dashboards.charts]]
id = 31
title = "By region"
kind = "bar"
dataset = 7
select = "region, SUM(revenue) AS revenue"
group_by = "region"
order_by = "revenue %s"
row_limit = 1
tab = "Details"
`

// writeFiles writes files into a fresh directory and returns the path of
// the first one named (the configuration).
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "dev.toml")
}

// loadDoc loads a configuration (dev.toml) beside sales.csv.
func loadDoc(t *testing.T, doc string) (*ConfigFile, error) {
	t.Helper()
	return LoadConfigFile(writeFiles(t, map[string]string{"dev.toml": doc, "sales.csv": salesCSV}))
}

// hostFromDoc loads a configuration and serves its host.
func hostFromDoc(t *testing.T, doc string) (*httptest.Server, *ConfigFile) {
	t.Helper()
	cf, err := loadDoc(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	return serveFile(t, cf), cf
}

// serveFile serves the host a configuration file describes until the test
// ends.
func serveFile(t *testing.T, cf *ConfigFile) *httptest.Server {
	t.Helper()
	cf.Config.ReloadPoll = -1
	h, err := NewBIHost(cf.Config)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); h.Close() })
	return srv
}

// mintFor mints a guest token for one dashboard as an account.
func mintFor(t *testing.T, base, user, pass, dashboard string, rls ...map[string]any) string {
	t.Helper()
	if rls == nil {
		rls = []map[string]any{}
	}
	access := do(t, "POST", base+"/api/v1/security/login", map[string]any{"username": user, "password": pass, "provider": "db"}).Want(t, 200)
	r := do(t, "POST", base+"/api/v1/security/guest_token/", map[string]any{
		"user":      map[string]any{"username": "v", "first_name": "V", "last_name": "W"},
		"resources": []map[string]any{{"type": "dashboard", "id": dashboard}},
		"rls":       rls,
	}, "Authorization", "Bearer "+access.JSON["access_token"].(string)).Want(t, 200)
	return r.JSON["token"].(string)
}

// chartRows runs a chart of a dashboard with a token and returns its rows.
func chartRows(t *testing.T, base, tok string, dashboard, chart, dataset int) []any {
	t.Helper()
	r := do(t, "POST", base+"/api/v1/chart/data", map[string]any{
		"datasource": map[string]any{"id": dataset, "type": "table"},
		"form_data":  map[string]any{"slice_id": chart, "dashboardId": dashboard},
	}, "X-GuestToken", tok).Want(t, 200)
	return r.JSON["result"].([]any)[0].(map[string]any)["data"].([]any)
}

func TestConfigFileDataWithRLS(t *testing.T) {
	srv, _ := hostFromDoc(t, dataDoc)
	uuid := "11111111-2222-4333-8444-555555555555"
	all := mintFor(t, srv.URL, "admin", "admin", uuid)
	if rows := chartRows(t, srv.URL, all, 3, 30, 7); toJSON(rows) != `[{"revenue":1150}]` {
		t.Errorf("total without RLS: %s", toJSON(rows))
	}
	acme := mintFor(t, srv.URL, "admin", "admin", uuid, map[string]any{"dataset": 7, "clause": "tenant = 'acme'"})
	if rows := chartRows(t, srv.URL, acme, 3, 30, 7); toJSON(rows) != `[{"revenue":150}]` {
		t.Errorf("acme's total: %s", toJSON(rows))
	}
	// order_by with %s (DESC by default) and row_limit = 1 keep East only.
	if rows := chartRows(t, srv.URL, acme, 3, 31, 7); toJSON(rows) != `[{"region":"East","revenue":100}]` {
		t.Errorf("acme by region: %s", toJSON(rows))
	}
	// The dashboard lists its own charts, tabs and no filters.
	r := do(t, "GET", srv.URL+"/api/v1/dashboard/3", nil, "X-GuestToken", acme).Want(t, 200)
	res := r.JSON["result"].(map[string]any)
	if got := toJSON(layoutTabs(t, res)); got != `[{"id":"TAB-Overview","title":"Overview"},{"id":"TAB-Details","title":"Details"}]` {
		t.Errorf("tabs %s", got)
	}
	if n := len(res["charts"].([]any)); n != 2 || toJSON(nativeFilters(t, res)) != "[]" {
		t.Errorf("charts %d, filters %s", n, toJSON(nativeFilters(t, res)))
	}
	// CSV types: revenue INTEGER, share REAL with an empty cell as NULL.
	r = do(t, "GET", srv.URL+"/api/v1/dashboard/3/datasets", nil, "X-GuestToken", acme).Want(t, 200)
	if !strings.Contains(toJSON(r.JSON), `"table_name":"sales"`) || !strings.Contains(toJSON(r.JSON), `"column_name":"share"`) {
		t.Errorf("datasets %s", toJSON(r.JSON))
	}
}

func TestStarterFileServesItsData(t *testing.T) {
	path, err := WriteStarter(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := LoadConfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := serveFile(t, cf)
	uuid := cf.Config.Dashboards[0].UUID
	if cf.App.Dashboard != uuid || !looksLikeUUID(uuid) || len(cf.Config.Secret) < 32 {
		t.Fatalf("starter uuid %q, app dashboard %q, secret %q", uuid, cf.App.Dashboard, cf.Config.Secret)
	}
	tok := mintFor(t, srv.URL, "admin", "admin", uuid, map[string]any{"clause": "tenant = 'globex'"})
	if rows := chartRows(t, srv.URL, tok, 1, 1, 1); toJSON(rows) != `[{"revenue":10500}]` {
		t.Errorf("globex's total from sales.csv: %s", toJSON(rows))
	}
	// The viewer logs in but may not mint (the role without the permission).
	access := do(t, "POST", srv.URL+"/api/v1/security/login", map[string]any{"username": "viewer", "password": "viewer", "provider": "db"}).Want(t, 200)
	do(t, "POST", srv.URL+"/api/v1/security/guest_token/", map[string]any{
		"user": map[string]any{"username": "v"}, "resources": []map[string]any{{"type": "dashboard", "id": uuid}}, "rls": []any{},
	}, "Authorization", "Bearer "+access.JSON["access_token"].(string)).Want(t, 403)
	// Two inits choose different uuids and secrets.
	other, _ := WriteStarter(t.TempDir(), false)
	cf2, err := LoadConfigFile(other)
	if err != nil || cf2.Config.Dashboards[0].UUID == uuid || cf2.Config.Secret == cf.Config.Secret {
		t.Errorf("second starter: %v", err)
	}
}

func TestSQLiteAndSQLDatasets(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, "wh.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE facts (tenant TEXT, amount INTEGER)`, `INSERT INTO facts VALUES ('acme', 5), ('acme', 6), ('globex', 70)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	doc := `
[[datasets]]
id = 1
table = "amounts"
sqlite = "wh.db"
sqlite_table = "facts"

[[datasets]]
id = 2
table = "big"
sql = "SELECT tenant, amount FROM amounts WHERE amount > 5"

[[dashboards]]
id = 1
uuid = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

[[dashboards.charts]]
id = 1
kind = "table"
dataset = 1
select = "tenant, SUM(amount) AS amount"
group_by = "tenant"
order_by = "tenant"

[[dashboards.charts]]
id = 2
kind = "big_number"
dataset = 2
select = "COUNT(*) AS n"

[[dashboards.filters]]
column = "tenant"
dataset = 1
`
	if err := os.WriteFile(filepath.Join(dir, "dev.toml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	cf, err := LoadConfigFile(filepath.Join(dir, "dev.toml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := serveFile(t, cf)
	tok := mintFor(t, srv.URL, "admin", "admin", "1", map[string]any{"dataset": 1, "clause": "tenant = 'acme'"})
	if rows := chartRows(t, srv.URL, tok, 1, 1, 1); toJSON(rows) != `[{"amount":11,"tenant":"acme"}]` {
		t.Errorf("sqlite dataset under RLS: %s", toJSON(rows))
	}
	// The RLS rule names dataset 1, so the view (dataset 2) sees every row.
	if rows := chartRows(t, srv.URL, tok, 1, 2, 2); toJSON(rows) != `[{"n":2}]` {
		t.Errorf("sql dataset: %s", toJSON(rows))
	}
	r := do(t, "GET", srv.URL+"/api/v1/dashboard/1", nil, "X-GuestToken", tok).Want(t, 200)
	if got := toJSON(nativeFilters(t, r.JSON["result"].(map[string]any))); !strings.Contains(got, `"column":"tenant"`) || !strings.Contains(got, `"name":"tenant"`) {
		t.Errorf("filters %s", got)
	}
}

// keyCases set each key of the file and check its effect. Data keys are
// checked by the tests above, which serve them.
var keyCases = []struct {
	key, doc string
	ok       func(cf *ConfigFile) bool
}{
	{"allowed_origins", `allowed_origins = ["http://localhost:3000", "*"]`, func(cf *ConfigFile) bool {
		return toJSON(cf.AllowedOrigins) == `["http://localhost:3000","*"]` && toJSON(cf.Config.Dashboards[0].AllowedDomains) == `["http://localhost:3000","*"]`
	}},
	{"faults", `faults = "guest_token_fail=2,slow=10ms"`, func(cf *ConfigFile) bool {
		return cf.Faults.GuestTokenFail == 2 && cf.Faults.Slow == 10*time.Millisecond
	}},
	{"server.bi_addr", "[server]\nbi_addr = \"127.0.0.1:0\"", func(cf *ConfigFile) bool { return cf.BIAddr == "127.0.0.1:0" }},
	{"server.app_addr", "[server]\napp_addr = \"127.0.0.1:9\"", func(cf *ConfigFile) bool { return cf.AppAddr == "127.0.0.1:9" }},
	{"server.dist", "[server]\ndist = \"build\"", func(cf *ConfigFile) bool { return cf.Dist == filepath.Join(filepath.Dir(cf.Path), "build") }},
	{"guest_token.secret", "[guest_token]\nsecret = \"s3cret\"", func(cf *ConfigFile) bool { return cf.Config.Secret == "s3cret" }},
	{"guest_token.algorithm", "[guest_token]\nalgorithm = \"HS512\"", func(cf *ConfigFile) bool { return cf.Config.Algorithm == "HS512" }},
	{"guest_token.audience", "[guest_token]\naudience = \"https://bi.example.com\"", func(cf *ConfigFile) bool { return cf.Config.Audience == "https://bi.example.com" }},
	{"guest_token.header", "[guest_token]\nheader = \"X-Token\"", func(cf *ConfigFile) bool { return cf.Config.TokenHeader == "X-Token" }},
	{"guest_token.lifetime", "[guest_token]\nlifetime = \"90s\"", func(cf *ConfigFile) bool { return cf.Config.TokenLifetime == 90*time.Second }},
	{"security.strict_csrf", "[security]\nstrict_csrf = true", func(cf *ConfigFile) bool { return cf.Config.StrictCSRF }},
	{"security.framing", "[security]\nframing = \"stock\"", func(cf *ConfigFile) bool { return cf.Config.Framing == FramingStock }},
	{"security.access_token_lifetime", "[security]\naccess_token_lifetime = \"2m\"", func(cf *ConfigFile) bool { return cf.Config.AccessTokenLifetime == 2*time.Minute }},
	{"app.dashboard", "[app]\ndashboard = \"" + DemoDashboardUUID + "\"", func(cf *ConfigFile) bool { return cf.App.Dashboard == DemoDashboardUUID }},
	{"app.tenants", "[app]\ntenants = [\"a\", \"b\"]", func(cf *ConfigFile) bool { return toJSON(cf.App.Tenants) == `["a","b"]` }},
	{"app.tenant_column", "[app]\ntenant_column = \"org\"", func(cf *ConfigFile) bool { return cf.App.TenantColumn == "org" }},
	{"app.username", "[app]\nusername = \"u\"\npassword = \"p\"", func(cf *ConfigFile) bool { return cf.App.Username == "u" && cf.App.Password == "p" }},
	{"app.password", "[app]\nusername = \"u\"\npassword = \"p\"", func(cf *ConfigFile) bool { return cf.App.Password == "p" }},
	{"roles.name", "[[roles]]\nname = \"Minter\"\ngrant_guest_token = true\n[[accounts]]\nusername = \"m\"\npassword = \"p\"\nrole = \"Minter\"",
		func(cf *ConfigFile) bool { return cf.Config.Accounts[0].CanGrantGuestToken }},
	{"roles.grant_guest_token", "[[roles]]\nname = \"Reader\"\n[[accounts]]\nusername = \"r\"\npassword = \"p\"\nrole = \"Reader\"",
		func(cf *ConfigFile) bool { return !cf.Config.Accounts[0].CanGrantGuestToken }},
	{"accounts.username", "[[accounts]]\nusername = \"svc\"\npassword = \"pw\"", func(cf *ConfigFile) bool {
		return len(cf.Config.Accounts) == 1 && cf.Config.Accounts[0].Username == "svc" && cf.Config.Accounts[0].CanGrantGuestToken
	}},
	{"accounts.password", "[[accounts]]\nusername = \"svc\"\npassword = \"pw\"", func(cf *ConfigFile) bool { return cf.Config.Accounts[0].Password == "pw" }},
	{"accounts.role", "[[accounts]]\nusername = \"g\"\npassword = \"pw\"\nrole = \"Gamma\"", func(cf *ConfigFile) bool { return !cf.Config.Accounts[0].CanGrantGuestToken }},
	{"accounts.api_key", "[[accounts]]\nusername = \"svc\"\npassword = \"pw\"\napi_key = \"k\"", func(cf *ConfigFile) bool { return cf.Config.Accounts[0].APIKey == "k" }},
	{"preset_tokens.name", "[[preset_tokens]]\nname = \"n\"\nsecret = \"s\"", func(cf *ConfigFile) bool { return toJSON(cf.Config.PresetTokens) == `[{"Name":"n","Secret":"s"}]` }},
	{"preset_tokens.secret", "[[preset_tokens]]\nname = \"n\"\nsecret = \"s\"", func(cf *ConfigFile) bool { return cf.Config.PresetTokens[0].Secret == "s" }},
	{"luzmo_keys.key", "[[luzmo_keys]]\nkey = \"k\"\ntoken = \"t\"", func(cf *ConfigFile) bool { return toJSON(cf.Config.LuzmoKeys) == `[{"Name":"k","Secret":"t"}]` }},
	{"luzmo_keys.token", "[[luzmo_keys]]\nkey = \"k\"\ntoken = \"t\"", func(cf *ConfigFile) bool { return cf.Config.LuzmoKeys[0].Secret == "t" }},
	{"datasets.id", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Datasets[0].ID == 7 }},
	{"datasets.table", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Datasets[0].Table == "sales" }},
	{"datasets.csv", dataDoc, func(cf *ConfigFile) bool {
		return cf.Config.Datasets[0].Source.CSV == filepath.Join(filepath.Dir(cf.Path), "sales.csv")
	}},
	{"datasets.sqlite", "[[datasets]]\nid = 1\ntable = \"t\"\nsqlite = \"/data/w.db\"\nsqlite_table = \"facts\"\n[[dashboards]]\nid = 1",
		func(cf *ConfigFile) bool { return cf.Config.Datasets[0].Source.SQLiteFile == "/data/w.db" }},
	{"datasets.sqlite_table", "[[datasets]]\nid = 1\ntable = \"t\"\nsqlite = \"w.db\"\nsqlite_table = \"facts\"\n[[dashboards]]\nid = 1",
		func(cf *ConfigFile) bool { return cf.Config.Datasets[0].Source.SQLiteTable == "facts" }},
	{"datasets.sql", "[[datasets]]\nid = 1\ntable = \"t\"\nsql = \"SELECT 1 AS x\"\n[[dashboards]]\nid = 1",
		func(cf *ConfigFile) bool { return cf.Config.Datasets[0].Source.SQL == "SELECT 1 AS x" }},
	{"dashboards.id", dataDoc, func(cf *ConfigFile) bool { return len(cf.Config.Dashboards) == 1 && cf.Config.Dashboards[0].ID == 3 }},
	{"dashboards.uuid", dataDoc, func(cf *ConfigFile) bool {
		return cf.Config.Dashboards[0].UUID == "11111111-2222-4333-8444-555555555555"
	}},
	{"dashboards.slug", "[[dashboards]]\nid = 4\nslug = \"kpis\"", func(cf *ConfigFile) bool { return cf.Config.Dashboards[0].Slug == "kpis" }},
	{"dashboards.title", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Dashboards[0].Title == "Mine" }},
	{"dashboards.allowed_origins", "allowed_origins = [\"http://a.test\"]\n[[dashboards]]\nid = 4\nallowed_origins = [\"http://b.test\"]",
		func(cf *ConfigFile) bool {
			return toJSON(cf.Config.Dashboards[0].AllowedDomains) == `["http://a.test","http://b.test"]`
		}},
	{"dashboards.charts", dataDoc, func(cf *ConfigFile) bool {
		return toJSON(cf.Config.Dashboards[0].Charts) == `[30,31]` && len(cf.Config.Charts) == 2
	}},
	{"dashboards.charts.id", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].ID == 31 }},
	{"dashboards.charts.title", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].Name == "By region" }},
	{"dashboards.charts.kind", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].Viz == "bar" }},
	{"dashboards.charts.dataset", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].Dataset == 7 }},
	{"dashboards.charts.select", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].Select == "region, SUM(revenue) AS revenue" }},
	{"dashboards.charts.group_by", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].GroupBy == "region" }},
	{"dashboards.charts.order_by", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].Order == "revenue %s" }},
	{"dashboards.charts.row_limit", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].RowLimit == 1 }},
	{"dashboards.charts.tab", dataDoc, func(cf *ConfigFile) bool { return cf.Config.Charts[1].Tab == "Details" }},
	{"dashboards.filters", dataDoc + "[[dashboards.filters]]\ncolumn = \"region\"\ndataset = 7\nname = \"Region\"",
		func(cf *ConfigFile) bool {
			return toJSON(cf.Config.Dashboards[0].Filters) == `[{"Name":"Region","Column":"region","Dataset":7}]`
		}},
	{"dashboards.filters.column", dataDoc + "[[dashboards.filters]]\ncolumn = \"tenant\"\ndataset = 7", func(cf *ConfigFile) bool { return cf.Config.Dashboards[0].Filters[0].Column == "tenant" }},
	{"dashboards.filters.dataset", dataDoc + "[[dashboards.filters]]\ncolumn = \"tenant\"\ndataset = 7", func(cf *ConfigFile) bool { return cf.Config.Dashboards[0].Filters[0].Dataset == 7 }},
	{"dashboards.filters.name", dataDoc + "[[dashboards.filters]]\ncolumn = \"tenant\"\ndataset = 7\nname = \"Who\"", func(cf *ConfigFile) bool { return cf.Config.Dashboards[0].Filters[0].Name == "Who" }},
}

func TestEveryConfigKey(t *testing.T) {
	for _, c := range keyCases {
		cf, err := loadDoc(t, c.doc)
		if err != nil {
			t.Errorf("%s: %v", c.key, err)
			continue
		}
		if !c.ok(cf) {
			t.Errorf("%s: not applied: %+v", c.key, cf)
		}
	}
}

// TestEveryKeyHasACase walks the file's schema: a key added without a case
// above fails here.
func TestEveryKeyHasACase(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range keyCases {
		covered[c.key] = true
	}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			key := prefix + f.Tag.Get("toml")
			ft := f.Type
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if strings.Contains(key, ".") && !covered[key] {
					t.Errorf("no test sets %s", key)
				}
				walk(key+".", ft)
				continue
			}
			if !covered[key] {
				t.Errorf("no test sets %s", key)
			}
		}
	}
	walk("", reflect.TypeOf(fileSchema{}))
}

func TestNoFileSectionKeepsTheDemo(t *testing.T) {
	cf, err := loadDoc(t, "# nothing but a comment\n")
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	got := cf.Config
	got.file = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("an empty file changed the demo:\n%+v\n%+v", got, want)
	}
}

// badCases are mistakes; each must name the key and line and say what to do.
var badCases = []struct {
	name, doc, want string
}{
	{"unknown key", "[guest_token]\nsecret = \"s\"\nsecert = \"t\"\n", `:3: key guest_token.secert: unknown key; remove it or fix its spelling`},
	{"unknown key in an entry", dataDoc + "[[dashboards]]\nid = 9\ncolour = 1\n", `key dashboards[1].colour: unknown key`},
	{"wrong type", "[guest_token]\nlifetime = 300\n", `:2: key guest_token.lifetime: is a TOML integer, but the key takes a string; write the value as a string`},
	{"wrong type in an entry", "[[dashboards]]\nid = \"one\"\n", `:2: key dashboards[0].id: is a TOML string, but the key takes an integer`},
	{"syntax", "allowed_origins = [\"http://a\"\n", `:1: TOML syntax error`},
	{"missing CSV", strings.Replace(dataDoc, `csv = "sales.csv"`, `csv = "nope.csv"`, 1), `:5: key datasets[0].csv: cannot read the CSV file: open `},
	{"bad SQL in a chart", strings.Replace(dataDoc, `select = "SUM(revenue) AS revenue"`, `select = "SUM(revnue) AS revenue"`, 1), `:17: key dashboards[0].charts[0].select: SQLite refused "SUM(revnue) AS revenue" over dataset 7 (sales; columns tenant, region, revenue, share)`},
	{"bad SQL in a dataset", "[[datasets]]\nid = 1\ntable = \"v\"\nsql = \"SELEC 1\"\n[[dashboards]]\nid = 1\n", `:4: key datasets[0].sql: SQLite refused the query`},
	{"bad group_by", strings.Replace(dataDoc, `group_by = "region"`, `group_by = "regio"`, 1), `key dashboards[0].charts[1].group_by: SQLite refused "regio"`},
	{"duplicate uuid", dataDoc + "[[dashboards]]\nid = 4\nuuid = \"11111111-2222-4333-8444-555555555555\"\n", `:31: key dashboards[1].uuid: "11111111-2222-4333-8444-555555555555" is already used by dashboards[0].uuid; give each dashboard its own`},
	{"duplicate chart id", dataDoc + "[[dashboards]]\nid = 4\n[[dashboards.charts]]\nid = 30\nkind = \"bar\"\ndataset = 7\nselect = \"region\"\n", `:32: key dashboards[1].charts[0].id: id 30 is used by another chart`},
	{"unknown chart kind", strings.Replace(dataDoc, `kind = "bar"`, `kind = "pie"`, 1), `:22: key dashboards[0].charts[1].kind: "pie" is not a kind the page draws`},
	{"chart over no dataset", strings.Replace(dataDoc, "dataset = 7\nselect = \"SUM", "dataset = 8\nselect = \"SUM", 1), `key dashboards[0].charts[0].dataset: no dataset has id 8`},
	{"two sources", strings.Replace(dataDoc, `csv = "sales.csv"`, "csv = \"sales.csv\"\nsql = \"SELECT 1\"", 1), `:2: key datasets[0]: needs exactly one of csv, sqlite or sql`},
	{"bad table name", strings.Replace(dataDoc, `table = "sales"`, `table = "sales; DROP"`, 1), `:4: key datasets[0].table: "sales; DROP" is not a table name`},
	{"missing SQLite file", "[[datasets]]\nid = 1\ntable = \"t\"\nsqlite = \"gone.db\"\n[[dashboards]]\nid = 1\n", `:4: key datasets[0].sqlite: cannot read the SQLite file`},
	{"sqlite_table alone", "[[datasets]]\nid = 1\ntable = \"t\"\nsqlite_table = \"x\"\n", `:4: key datasets[0].sqlite_table: is set without sqlite`},
	{"datasets without dashboards", "[[datasets]]\nid = 1\ntable = \"t\"\ncsv = \"sales.csv\"\n", `:1: key datasets: datasets are set but no [[dashboards]] shows them`},
	{"charts without datasets", "[[dashboards]]\nid = 1\n[[dashboards.charts]]\nid = 1\n", `:3: key dashboards[0].charts: charts need datasets`},
	{"bad uuid", "[[dashboards]]\nid = 1\nuuid = \"abc\"\n", `:3: key dashboards[0].uuid: "abc" is not a UUID`},
	{"no dashboard id", "[[dashboards]]\ntitle = \"x\"\n", `:1: key dashboards[0].id: needs a positive id`},
	{"bad origin", "allowed_origins = [\"localhost:3000/app\"]\n", `:1: key allowed_origins[0]: "localhost:3000/app" is not an origin; write an origin like "http://localhost:3000"`},
	{"origin with a path", "[[dashboards]]\nid = 1\nallowed_origins = [\"http://a.test/x\"]\n", `:3: key dashboards[0].allowed_origins[0]: "http://a.test/x" is not an origin`},
	{"bad algorithm", "[guest_token]\nalgorithm = \"RS256\"\n", `:2: key guest_token.algorithm: "RS256" is not supported; use HS256, HS384 or HS512`},
	{"bad header", "[guest_token]\nheader = \"X Token\"\n", `:2: key guest_token.header: "X Token" is not an HTTP header name`},
	{"bad duration", "[guest_token]\nlifetime = \"5 minutes\"\n", `:2: key guest_token.lifetime: "5 minutes" is not a positive duration; write it like "5m"`},
	{"bad access lifetime", "[security]\naccess_token_lifetime = \"-1m\"\n", `:2: key security.access_token_lifetime: "-1m" is not a positive duration`},
	{"bad framing", "[security]\nframing = \"deny\"\n", `:2: key security.framing: "deny" is not a framing mode; use "csp", "stock" or "none"`},
	{"bad faults", "faults = \"explode\"\n", `:1: key faults: `},
	{"undefined role", "[[accounts]]\nusername = \"a\"\npassword = \"b\"\nrole = \"Boss\"\n", `:4: key accounts[0].role: role "Boss" is not defined; use Admin, Gamma or a [[roles]] entry's name`},
	{"role twice", "[[roles]]\nname = \"Gamma\"\n", `:2: key roles[0].name: role "Gamma" is defined twice`},
	{"role without name", "[[roles]]\ngrant_guest_token = true\n", `:1: key roles[0].name: is missing`},
	{"account twice", "[[accounts]]\nusername = \"a\"\npassword = \"b\"\n[[accounts]]\nusername = \"a\"\npassword = \"c\"\n", `:5: key accounts[1].username: "a" is used by another account`},
	{"account without password", "[[accounts]]\nusername = \"a\"\n", `:1: key accounts[0].password: is missing`},
	{"api key twice", "[[accounts]]\nusername = \"a\"\npassword = \"b\"\napi_key = \"k\"\n[[accounts]]\nusername = \"c\"\npassword = \"d\"\napi_key = \"k\"\n", `:8: key accounts[1].api_key: is used by another account`},
	{"preset half", "[[preset_tokens]]\nname = \"n\"\n", `:1: key preset_tokens[0]: needs both name and secret`},
	{"luzmo half", "[[luzmo_keys]]\ntoken = \"t\"\n", `:1: key luzmo_keys[0]: needs both key and token`},
	{"app dashboard unknown", "[app]\ndashboard = \"11111111-2222-4333-8444-555555555555\"\n", `:2: key app.dashboard: no dashboard has embedded uuid`},
	{"app username alone", "[app]\nusername = \"u\"\n", `:2: key app.username: username and password go together`},
	{"filter over no dataset", dataDoc + "[[dashboards.filters]]\ncolumn = \"region\"\ndataset = 9\n", `key dashboards[0].filters[0].dataset: no dataset has id 9`},
	{"CSV with a repeated column", strings.Replace(dataDoc, `csv = "sales.csv"`, `csv = "dup.csv"`, 1), `key datasets[0].csv: `},
}

func TestBadConfigFiles(t *testing.T) {
	for _, c := range badCases {
		dir := t.TempDir()
		path := filepath.Join(dir, "dev.toml")
		os.WriteFile(path, []byte(c.doc), 0o644)
		os.WriteFile(filepath.Join(dir, "sales.csv"), []byte(salesCSV), 0o644)
		os.WriteFile(filepath.Join(dir, "dup.csv"), []byte("a,A\n1,2\n"), 0o644)
		cf, err := LoadConfigFile(path)
		if err == nil {
			// Data mistakes surface when the host loads the data.
			var h *BIHost
			if h, err = NewBIHost(cf.Config); err == nil {
				h.Close()
			}
		}
		var fe *ConfigFileError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err %v, want a *ConfigFileError", c.name, err)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, path) || !strings.Contains(msg, c.want) || fe.Fix == "" {
			t.Errorf("%s:\n got %s\nwant %s…%s…; <what to do>", c.name, msg, path, c.want)
		}
	}
}

func TestMissingConfigFile(t *testing.T) {
	_, err := LoadConfigFile(filepath.Join(t.TempDir(), "none.toml"))
	if err == nil || !strings.Contains(err.Error(), "none.toml: cannot read the configuration file") || !strings.Contains(err.Error(), "dashembed-dev init") {
		t.Fatalf("err %v", err)
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, ok := range []string{"*", "http://localhost:3000", "https://app.example.com/", "portal.example.com", "localhost:8080"} {
		if err := CheckOrigin(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", " http://a", "ftp://a", "http://a/b", "http://a?x", "http://u@a", "a/b", "http://"} {
		if CheckOrigin(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestConfigInGo(t *testing.T) {
	base := func() Config {
		c := DefaultConfig()
		c.Datasets = []Dataset{{ID: 1, Table: "t", Source: DataSource{SQL: "SELECT 1 AS x"}}}
		c.Charts = []Chart{{ID: 5, Viz: "big_number", Dataset: 1, Select: "x"}}
		c.Dashboards[0].Charts = []int{5}
		return c
	}
	if h, err := NewBIHost(base()); err != nil {
		t.Fatal(err)
	} else {
		h.Close()
	}
	c := base()
	c.Dashboards[0].Charts = []int{6}
	if _, err := NewBIHost(c); err == nil || !strings.Contains(err.Error(), "dashboard 1 shows chart 6") {
		t.Errorf("unknown chart: %v", err)
	}
	c = base()
	c.Datasets = nil
	if _, err := NewBIHost(c); err == nil || !strings.Contains(err.Error(), "Config.Charts needs Config.Datasets") {
		t.Errorf("charts without datasets: %v", err)
	}
	c = base()
	c.Charts[0].Select = "nope"
	if _, err := NewBIHost(c); err == nil || !strings.Contains(err.Error(), "Config.Charts[0].select: SQLite refused") {
		t.Errorf("bad select in Go: %v", err)
	}
}
