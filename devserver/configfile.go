package devserver

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// ConfigFile is a dashembed-dev configuration file, read and checked: the
// BI host's Config plus what the command needs besides (where to listen,
// the SDK build, the demo host app).
type ConfigFile struct {
	// Path is the file the settings came from.
	Path string
	// Config is the BI host's configuration: DefaultConfig with the file's
	// settings applied. Its dashboards' AllowedDomains already hold the
	// file's allowed_origins.
	Config Config
	// AllowedOrigins are the file's top-level allowed_origins: the origins
	// allowed to embed every dashboard. "*" means any.
	AllowedOrigins []string
	// Faults are injected from the start.
	Faults Faults
	// BIAddr, AppAddr and Dist are the [server] settings; empty when the file
	// does not set them.
	BIAddr, AppAddr, Dist string
	// App is the [app] section: what the demo host app embeds.
	App FileApp
}

// FileApp is what the demo host app embeds when a file configures the host.
type FileApp struct {
	// Dashboard is the embedded UUID to embed; default the first dashboard
	// with one.
	Dashboard string
	// Tenants and TenantColumn are the tenant switcher's choices and the
	// column its RLS rule filters; default the demo data's.
	Tenants      []string
	TenantColumn string
	// Username and Password are the account the app's backend logs in with;
	// default the first account allowed to mint guest tokens.
	Username, Password string
}

// ConfigFileError is a mistake in a configuration file: the file, the line
// (0 when unknown), the key in dotted form (datasets[0].csv, counting from
// 0), what is wrong and what to do about it.
type ConfigFileError struct {
	// File is the configuration file's path.
	File string
	// Line is the 1-based line of the key, 0 when the file has no such key.
	Line int
	// Key is the key at fault, e.g. dashboards[0].charts[1].select.
	Key string
	// Problem says what is wrong; Fix says what to do about it.
	Problem, Fix string
}

// Error reads "file:line: key: problem; fix".
func (e *ConfigFileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": key %s", e.Key)
	}
	b.WriteString(": " + e.Problem)
	if e.Fix != "" {
		b.WriteString("; " + e.Fix)
	}
	return b.String()
}

// fileSchema is the file's layout; every key a file may hold is here, and a
// key that is not is an error.
type fileSchema struct {
	AllowedOrigins []string        `toml:"allowed_origins"`
	Faults         string          `toml:"faults"`
	Server         fileServer      `toml:"server"`
	GuestToken     fileGuestToken  `toml:"guest_token"`
	Security       fileSecurity    `toml:"security"`
	App            fileAppSection  `toml:"app"`
	Roles          []fileRole      `toml:"roles"`
	Accounts       []fileAccount   `toml:"accounts"`
	PresetTokens   []fileKeyPair   `toml:"preset_tokens"`
	LuzmoKeys      []fileLuzmoKey  `toml:"luzmo_keys"`
	Datasets       []fileDataset   `toml:"datasets"`
	Dashboards     []fileDashboard `toml:"dashboards"`
}

type fileServer struct {
	BIAddr  string `toml:"bi_addr"`
	AppAddr string `toml:"app_addr"`
	Dist    string `toml:"dist"`
}

type fileGuestToken struct {
	Secret    string `toml:"secret"`
	Algorithm string `toml:"algorithm"`
	Audience  string `toml:"audience"`
	Header    string `toml:"header"`
	Lifetime  string `toml:"lifetime"`
}

type fileSecurity struct {
	StrictCSRF          bool   `toml:"strict_csrf"`
	Framing             string `toml:"framing"`
	AccessTokenLifetime string `toml:"access_token_lifetime"`
}

type fileAppSection struct {
	Dashboard    string   `toml:"dashboard"`
	Tenants      []string `toml:"tenants"`
	TenantColumn string   `toml:"tenant_column"`
	Username     string   `toml:"username"`
	Password     string   `toml:"password"`
}

type fileRole struct {
	Name            string `toml:"name"`
	GrantGuestToken bool   `toml:"grant_guest_token"`
}

type fileAccount struct {
	Username string `toml:"username"`
	Password string `toml:"password"`
	Role     string `toml:"role"`
	APIKey   string `toml:"api_key"`
}

type fileKeyPair struct {
	Name   string `toml:"name"`
	Secret string `toml:"secret"`
}

type fileLuzmoKey struct {
	Key   string `toml:"key"`
	Token string `toml:"token"`
}

type fileDataset struct {
	ID          int    `toml:"id"`
	Table       string `toml:"table"`
	CSV         string `toml:"csv"`
	SQLite      string `toml:"sqlite"`
	SQLiteTable string `toml:"sqlite_table"`
	SQL         string `toml:"sql"`
}

type fileDashboard struct {
	ID             int          `toml:"id"`
	UUID           string       `toml:"uuid"`
	Slug           string       `toml:"slug"`
	Title          string       `toml:"title"`
	AllowedOrigins []string     `toml:"allowed_origins"`
	Charts         []fileChart  `toml:"charts"`
	Filters        []fileFilter `toml:"filters"`
}

type fileChart struct {
	ID       int    `toml:"id"`
	Title    string `toml:"title"`
	Kind     string `toml:"kind"`
	Dataset  int    `toml:"dataset"`
	Select   string `toml:"select"`
	GroupBy  string `toml:"group_by"`
	OrderBy  string `toml:"order_by"`
	RowLimit int    `toml:"row_limit"`
	Tab      string `toml:"tab"`
}

type fileFilter struct {
	Column  string `toml:"column"`
	Dataset int    `toml:"dataset"`
	Name    string `toml:"name"`
}

// builtinRoles are Superset's roles a file may name without declaring them:
// Admin may mint guest tokens, Gamma may not.
var builtinRoles = map[string]bool{"Admin": true, "Gamma": false}

// LoadConfigFile reads a TOML configuration file and returns the settings
// it makes, starting from DefaultConfig: a section the file leaves out keeps
// the demo's values. Every mistake (an unknown key, a wrong type, a bad
// value, a missing CSV file, SQL SQLite refuses, a uuid used twice) is a
// *ConfigFileError naming the file, the key, its line and what to do; the
// data files are loaded when NewBIHost opens the data, and their errors are
// named the same way. Relative paths are relative to the file's directory.
func LoadConfigFile(path string) (*ConfigFile, error) {
	doc, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigFileError{File: path, Problem: fmt.Sprintf("cannot read the configuration file: %v", err),
			Fix: "check the -config path, or write a starter file with `dashembed-dev init`"}
	}
	return ParseConfigFile(path, doc)
}

// ParseConfigFile is LoadConfigFile over a file's contents; path names the
// file in errors and anchors its relative paths.
func ParseConfigFile(path string, doc []byte) (*ConfigFile, error) {
	// The line index comes first: a TOML syntax error is best told by the
	// parser itself, and with the index a decoding error can name the
	// entry (dashboards[1]) and not just the table (dashboards).
	idx, ierr := indexLines(path, doc)
	var s fileSchema
	dec := toml.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, decodeError(path, idx, err)
	}
	if ierr != nil {
		return nil, ierr
	}
	b := fileBuilder{path: path, dir: filepath.Dir(path), idx: idx, s: s}
	return b.build()
}

// typeMismatch matches the decoder's message for a value of the wrong type.
var typeMismatch = regexp.MustCompile(`^cannot decode TOML (\w+) into struct field \S+ of type (\S+)$`)

// goTypeWords names the Go types of fileSchema as a user writes them.
var goTypeWords = map[string]string{"string": "a string", "int": "an integer", "bool": "a boolean (true or false)", "[]string": "an array of strings"}

// decodeError turns the TOML decoder's error into a ConfigFileError: an
// unknown key, a value of the wrong type, or a syntax error.
func decodeError(path string, idx *fileIndex, err error) error {
	keyAt := func(line int, key []string) string {
		if idx != nil {
			if k := idx.keyAt(line); k != "" {
				return k
			}
		}
		return strings.Join(key, ".")
	}
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		e := strict.Errors[0]
		line, _ := e.Position()
		return &ConfigFileError{File: path, Line: line, Key: keyAt(line, e.Key()),
			Problem: "unknown key", Fix: "remove it or fix its spelling (`dashembed-dev init` writes a file with every key)"}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(msg); m != nil {
			want := goTypeWords[m[2]]
			if want == "" {
				want = "a table"
				if strings.HasPrefix(m[2], "[]") {
					want = "an array of tables ([[...]])"
				}
			}
			return &ConfigFileError{File: path, Line: line, Key: keyAt(line, de.Key()),
				Problem: fmt.Sprintf("is a TOML %s, but the key takes %s", m[1], want), Fix: "write the value as " + want}
		}
		return &ConfigFileError{File: path, Line: line, Key: strings.Join(de.Key(), "."), Problem: "TOML syntax error: " + msg,
			Fix: "fix the syntax on that line (see https://toml.io)"}
	}
	return &ConfigFileError{File: path, Problem: strings.TrimPrefix(err.Error(), "toml: "), Fix: "fix the file's TOML"}
}

// fileBuilder turns a decoded file into a ConfigFile, checking each value
// and naming its key and line when one is wrong.
type fileBuilder struct {
	path, dir string
	idx       *fileIndex
	s         fileSchema
}

// fail returns the error for a key of the file.
func (b *fileBuilder) fail(key, problem, fix string) error {
	return &ConfigFileError{File: b.path, Line: b.idx.line(key), Key: key, Problem: problem, Fix: fix}
}

// rel makes a path from the file relative to the file's directory.
func (b *fileBuilder) rel(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(b.dir, p)
}

// duration parses a duration key; empty keeps def.
func (b *fileBuilder) duration(key, v string, def time.Duration) (time.Duration, error) {
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, b.fail(key, fmt.Sprintf("%q is not a positive duration", v), `write it like "5m", "90s" or "1h"`)
	}
	return d, nil
}

// build applies the file to DefaultConfig.
func (b *fileBuilder) build() (*ConfigFile, error) {
	s := b.s
	cf := &ConfigFile{Path: b.path, Config: DefaultConfig(), BIAddr: s.Server.BIAddr, AppAddr: s.Server.AppAddr, Dist: b.rel(s.Server.Dist)}
	c := &cf.Config
	c.file = b.idx
	steps := []func(*ConfigFile) error{b.origins, b.guestToken, b.security, b.accounts, b.vendorKeys, b.datasets, b.dashboards, b.app}
	for _, step := range steps {
		if err := step(cf); err != nil {
			return nil, err
		}
	}
	f, err := ParseFaults(s.Faults)
	if err != nil {
		return nil, b.fail("faults", err.Error(), `write them like "token_lifetime=20s,guest_token_fail=2"`)
	}
	cf.Faults = f
	// Whatever withDefaults would refuse is reported now, in the file's
	// terms where the checks above did not already catch it.
	if _, err := cf.Config.withDefaults(); err != nil {
		return nil, &ConfigFileError{File: b.path, Problem: err.Error(), Fix: "fix the setting it names"}
	}
	return cf, nil
}

// origins checks the top-level allowed_origins.
func (b *fileBuilder) origins(cf *ConfigFile) error {
	for i, o := range b.s.AllowedOrigins {
		key := fmt.Sprintf("allowed_origins[%d]", i)
		if err := CheckOrigin(o); err != nil {
			return b.fail(key, err.Error(), `write an origin like "http://localhost:3000", or "*" for any`)
		}
	}
	cf.AllowedOrigins = b.s.AllowedOrigins
	return nil
}

// guestToken applies [guest_token].
func (b *fileBuilder) guestToken(cf *ConfigFile) error {
	g, c := b.s.GuestToken, &cf.Config
	if g.Secret != "" {
		c.Secret = g.Secret
	}
	switch g.Algorithm {
	case "":
	case "HS256", "HS384", "HS512":
		c.Algorithm = g.Algorithm
	default:
		return b.fail("guest_token.algorithm", fmt.Sprintf("%q is not supported", g.Algorithm), "use HS256, HS384 or HS512")
	}
	if g.Audience != "" {
		c.Audience = g.Audience
	}
	if g.Header != "" {
		if strings.ContainsAny(g.Header, " :\t\r\n") {
			return b.fail("guest_token.header", fmt.Sprintf("%q is not an HTTP header name", g.Header), `use a name like "X-GuestToken"`)
		}
		c.TokenHeader = g.Header
	}
	d, err := b.duration("guest_token.lifetime", g.Lifetime, c.TokenLifetime)
	c.TokenLifetime = d
	return err
}

// security applies [security].
func (b *fileBuilder) security(cf *ConfigFile) error {
	sec, c := b.s.Security, &cf.Config
	c.StrictCSRF = sec.StrictCSRF
	switch sec.Framing {
	case "", "csp":
		c.Framing = FramingCSP
	case "stock":
		c.Framing = FramingStock
	case "none":
		c.Framing = FramingNone
	default:
		return b.fail("security.framing", fmt.Sprintf("%q is not a framing mode", sec.Framing), `use "csp", "stock" or "none"`)
	}
	d, err := b.duration("security.access_token_lifetime", sec.AccessTokenLifetime, 0)
	c.AccessTokenLifetime = d
	return err
}

// accounts applies [[roles]] and [[accounts]]; without accounts the demo's
// stay.
func (b *fileBuilder) accounts(cf *ConfigFile) error {
	roles := map[string]bool{}
	for name, grant := range builtinRoles {
		roles[name] = grant
	}
	for i, r := range b.s.Roles {
		key := fmt.Sprintf("roles[%d]", i)
		if r.Name == "" {
			return b.fail(key+".name", "is missing", "name the role, e.g. \"Viewer\"")
		}
		if _, dup := roles[r.Name]; dup {
			return b.fail(key+".name", fmt.Sprintf("role %q is defined twice (Admin and Gamma are built in)", r.Name), "rename one of them")
		}
		roles[r.Name] = r.GrantGuestToken
	}
	if len(b.s.Accounts) == 0 {
		return nil
	}
	cf.Config.Accounts = nil
	users, keys := map[string]bool{}, map[string]bool{}
	for i, a := range b.s.Accounts {
		key := fmt.Sprintf("accounts[%d]", i)
		switch {
		case a.Username == "":
			return b.fail(key+".username", "is missing", "give the account a username")
		case a.Password == "":
			return b.fail(key+".password", "is missing", "give the account a password")
		case users[a.Username]:
			return b.fail(key+".username", fmt.Sprintf("%q is used by another account", a.Username), "use each username once")
		case a.APIKey != "" && keys[a.APIKey]:
			return b.fail(key+".api_key", "is used by another account", "give each account its own API key")
		}
		users[a.Username], keys[a.APIKey] = true, true
		role := a.Role
		if role == "" {
			role = "Admin"
		}
		grant, ok := roles[role]
		if !ok {
			return b.fail(key+".role", fmt.Sprintf("role %q is not defined", role), "use Admin, Gamma or a [[roles]] entry's name")
		}
		cf.Config.Accounts = append(cf.Config.Accounts, Account{Username: a.Username, Password: a.Password, CanGrantGuestToken: grant, APIKey: a.APIKey})
	}
	return nil
}

// vendorKeys applies [[preset_tokens]] and [[luzmo_keys]]; a list the file
// leaves out keeps the demo's pair.
func (b *fileBuilder) vendorKeys(cf *ConfigFile) error {
	if len(b.s.PresetTokens) > 0 {
		cf.Config.PresetTokens = nil
		for i, k := range b.s.PresetTokens {
			if k.Name == "" || k.Secret == "" {
				return b.fail(fmt.Sprintf("preset_tokens[%d]", i), "needs both name and secret", "set both, as Preset's API token and secret")
			}
			cf.Config.PresetTokens = append(cf.Config.PresetTokens, APIKey{Name: k.Name, Secret: k.Secret})
		}
	}
	if len(b.s.LuzmoKeys) > 0 {
		cf.Config.LuzmoKeys = nil
		for i, k := range b.s.LuzmoKeys {
			if k.Key == "" || k.Token == "" {
				return b.fail(fmt.Sprintf("luzmo_keys[%d]", i), "needs both key and token", "set both, as Luzmo's API key and token")
			}
			cf.Config.LuzmoKeys = append(cf.Config.LuzmoKeys, APIKey{Name: k.Key, Secret: k.Token})
		}
	}
	return nil
}

// datasets applies [[datasets]]. Their files are read by NewBIHost; here
// only what can be checked without them is.
func (b *fileBuilder) datasets(cf *ConfigFile) error {
	for i, d := range b.s.Datasets {
		key := fmt.Sprintf("datasets[%d]", i)
		if d.SQLite == "" && d.SQLiteTable != "" {
			return b.fail(key+".sqlite_table", "is set without sqlite", "name the SQLite file with sqlite = \"path.db\"")
		}
		cf.Config.Datasets = append(cf.Config.Datasets, Dataset{ID: d.ID, Table: d.Table, Source: DataSource{
			CSV: b.rel(d.CSV), SQLiteFile: b.rel(d.SQLite), SQLiteTable: d.SQLiteTable, SQL: d.SQL,
		}})
	}
	return nil
}

// dashboards applies [[dashboards]] with their charts and filters; without
// dashboards the demo's stays (and then the file may not have datasets).
func (b *fileBuilder) dashboards(cf *ConfigFile) error {
	c := &cf.Config
	if len(b.s.Dashboards) == 0 {
		if len(b.s.Datasets) > 0 {
			return b.fail("datasets", "datasets are set but no [[dashboards]] shows them", "add a [[dashboards]] entry with [[dashboards.charts]]")
		}
		// The demo's dashboard stays, embeddable from the file's origins.
		c.Dashboards = slices.Clone(c.Dashboards)
		for i := range c.Dashboards {
			c.Dashboards[i].AllowedDomains = originsFor(b.s.AllowedOrigins, nil)
		}
		return nil
	}
	c.Dashboards = nil
	seen := map[string]string{}
	for i, fd := range b.s.Dashboards {
		key := fmt.Sprintf("dashboards[%d]", i)
		if fd.ID <= 0 {
			return b.fail(key+".id", "needs a positive id", "give each dashboard a number, e.g. id = 1")
		}
		if fd.UUID != "" && !looksLikeUUID(fd.UUID) {
			return b.fail(key+".uuid", fmt.Sprintf("%q is not a UUID", fd.UUID), "write one like 5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c (or leave it out: embedding off)")
		}
		for _, k := range []struct{ name, v string }{{"id", fmt.Sprint(fd.ID)}, {"slug", fd.Slug}, {"uuid", strings.ToLower(fd.UUID)}} {
			if k.v == "" {
				continue
			}
			if prev, dup := seen[k.v]; dup {
				return b.fail(key+"."+k.name, fmt.Sprintf("%q is already used by %s", k.v, prev), "give each dashboard its own id, slug and uuid")
			}
			seen[k.v] = key + "." + k.name
		}
		for j, o := range fd.AllowedOrigins {
			if err := CheckOrigin(o); err != nil {
				return b.fail(fmt.Sprintf("%s.allowed_origins[%d]", key, j), err.Error(), `write an origin like "http://localhost:3000"`)
			}
		}
		if len(fd.Charts) > 0 && len(b.s.Datasets) == 0 {
			return b.fail(key+".charts", "charts need datasets", "add [[datasets]] the charts read (the demo data's charts are fixed)")
		}
		d := Dashboard{ID: fd.ID, UUID: fd.UUID, Slug: fd.Slug, Title: fd.Title,
			AllowedDomains: originsFor(b.s.AllowedOrigins, fd.AllowedOrigins)}
		for j, ch := range fd.Charts {
			d.Charts = append(d.Charts, ch.ID)
			b.idx.charts = append(b.idx.charts, fmt.Sprintf("%s.charts[%d]", key, j))
			c.Charts = append(c.Charts, Chart{ID: ch.ID, Name: ch.Title, Viz: ch.Kind, Dataset: ch.Dataset, Tab: ch.Tab,
				Select: ch.Select, GroupBy: ch.GroupBy, Order: ch.OrderBy, RowLimit: ch.RowLimit})
		}
		if fd.Filters != nil {
			d.Filters = []Filter{}
		}
		for j, f := range fd.Filters {
			if !datasetHasID(b.s.Datasets, f.Dataset) {
				return b.fail(fmt.Sprintf("%s.filters[%d].dataset", key, j), fmt.Sprintf("no dataset has id %d", f.Dataset), "name a [[datasets]] id")
			}
			if f.Column == "" {
				return b.fail(fmt.Sprintf("%s.filters[%d].column", key, j), "is missing", "name a column of the dataset")
			}
			d.Filters = append(d.Filters, Filter{Name: f.Name, Column: f.Column, Dataset: f.Dataset})
		}
		c.Dashboards = append(c.Dashboards, d)
	}
	for i := range b.s.Datasets {
		b.idx.datasets = append(b.idx.datasets, fmt.Sprintf("datasets[%d]", i))
	}
	return nil
}

// app applies [app], the demo host app's settings.
func (b *fileBuilder) app(cf *ConfigFile) error {
	a := b.s.App
	cf.App = FileApp{Dashboard: a.Dashboard, Tenants: a.Tenants, TenantColumn: a.TenantColumn, Username: a.Username, Password: a.Password}
	if a.Dashboard != "" {
		found := false
		for _, d := range cf.Config.Dashboards {
			found = found || (d.UUID != "" && strings.EqualFold(d.UUID, a.Dashboard))
		}
		if !found {
			return b.fail("app.dashboard", fmt.Sprintf("no dashboard has embedded uuid %q", a.Dashboard), "use the uuid of a [[dashboards]] entry")
		}
	}
	if (a.Username == "") != (a.Password == "") {
		return b.fail("app.username", "username and password go together", "set both, or neither to use the first account that may mint guest tokens")
	}
	return nil
}

// originsFor is a dashboard's allowed domains: the file's global origins
// plus its own. A "*" among them allows any origin (see Config.Dashboards).
func originsFor(global, own []string) []string {
	if len(global)+len(own) == 0 {
		return nil
	}
	return append(slices.Clone(global), own...)
}

// datasetHasID reports whether a file dataset has the id.
func datasetHasID(ds []fileDataset, id int) bool {
	for _, d := range ds {
		if d.ID == id {
			return true
		}
	}
	return false
}

// looksLikeUUID checks the 8-4-4-4-12 hex shape Superset's embedded UUIDs
// have.
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}

// KeyError is a ConfigFileError about one of the file's keys (in dotted
// form, as ConfigFileError names them), with its line, for mistakes found
// after loading, such as an address already in use.
func (cf *ConfigFile) KeyError(key, problem, fix string) error {
	line := 0
	if cf.Config.file != nil {
		line = cf.Config.file.line(key)
	}
	return &ConfigFileError{File: cf.Path, Line: line, Key: key, Problem: problem, Fix: fix}
}
