package devserver

import (
	"fmt"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/data"
	"github.com/pelletier/go-toml/v2/unstable"
)

// fileIndex knows where each key of a configuration file is, so that an
// error found after decoding (a CSV file missing, SQL SQLite refuses) still
// names the line to fix.
type fileIndex struct {
	path string
	// lines maps a key in dotted form, array entries counted from 0
	// (dashboards[1].charts[0].select), to its 1-based line.
	lines map[string]int
	// datasets and charts are the keys of the Config's Datasets and Charts,
	// in order: a data.LoadError names an item by its index.
	datasets, charts []string
}

// indexLines walks the file's expressions, tracking the table each key
// belongs to and how many entries each array of tables has had.
func indexLines(path string, doc []byte) (*fileIndex, error) {
	idx := &fileIndex{path: path, lines: map[string]int{}}
	counts := map[string]int{} // array-of-tables path → entries so far
	var p unstable.Parser
	p.Reset(doc)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			name := idx.resolve(keyParts(e.Key()), counts)
			if e.Kind == unstable.ArrayTable {
				n := counts[name]
				counts[name] = n + 1
				name = fmt.Sprintf("%s[%d]", name, n)
			}
			table = name
			idx.lines[table] = p.Shape(p.Range(firstKeyRaw(&p, e))).Start.Line
		case unstable.KeyValue:
			key := strings.Join(keyParts(e.Key()), ".")
			if table != "" {
				key = table + "." + key
			}
			idx.lines[key] = p.Shape(p.Range(firstKeyRaw(&p, e))).Start.Line
		}
	}
	if err := p.Error(); err != nil {
		// The decoder accepted the file, so this cannot happen; say so
		// plainly rather than guess.
		return nil, &ConfigFileError{File: path, Problem: "cannot index the file's lines: " + err.Error()}
	}
	return idx, nil
}

// resolve writes a table header's dotted path with the current entry of each
// array of tables it passes through: [[dashboards.charts]] inside the second
// dashboard is dashboards[1].charts.
func (idx *fileIndex) resolve(parts []string, counts map[string]int) string {
	path := ""
	for i, part := range parts {
		if path != "" {
			path += "."
		}
		path += part
		if n, isArray := counts[path]; isArray && i < len(parts)-1 {
			path = fmt.Sprintf("%s[%d]", path, n-1)
		}
	}
	return path
}

// keyParts reads a dotted key's parts.
func keyParts(it unstable.Iterator) []string {
	var out []string
	for it.Next() {
		out = append(out, string(it.Node().Data))
	}
	return out
}

// firstKeyRaw returns the bytes of an expression's first key part, which
// lie on the expression's first line.
func firstKeyRaw(p *unstable.Parser, e *unstable.Node) []byte {
	it := e.Key()
	if it.Next() {
		if raw := p.Raw(it.Node().Raw); len(raw) > 0 {
			return raw
		}
	}
	return p.Raw(e.Raw)
}

// line finds a key's line, or the nearest enclosing key's: a key the file
// does not hold (a missing id) is reported at its table's header, an array
// of tables at its first entry.
func (idx *fileIndex) line(key string) int {
	if l, ok := idx.lines[key+"[0]"]; ok {
		return l // an array of tables: its first entry's header
	}
	for key != "" {
		if l, ok := idx.lines[key]; ok {
			return l
		}
		cut := strings.LastIndexAny(key, ".[")
		if cut < 0 {
			break
		}
		key = key[:cut]
	}
	return 0
}

// keyAt returns the most specific key on a line, or "".
func (idx *fileIndex) keyAt(line int) string {
	best := ""
	for k, l := range idx.lines {
		if l == line && (len(k) > len(best) || (len(k) == len(best) && k < best)) {
			best = k
		}
	}
	return best
}

// loadError names the file's key for a dataset or chart the data store
// could not load.
func (idx *fileIndex) loadError(le *data.LoadError) error {
	keys := idx.datasets
	if le.What == "chart" {
		keys = idx.charts
	}
	key := fmt.Sprintf("%ss[%d]", le.What, le.Index)
	if le.Index < len(keys) {
		key = keys[le.Index]
	}
	if le.Field != "" && le.Field != "source" {
		key += "." + le.Field
	}
	return &ConfigFileError{File: idx.path, Line: idx.line(key), Key: key, Problem: le.Err.Error(), Fix: loadFix[le.What+"."+le.Field]}
}

// loadFix says what to do about each kind of load error.
var loadFix = map[string]string{
	"dataset.id":     "give each dataset its own positive id",
	"dataset.table":  "name the table with letters, digits and _, once per file",
	"dataset.source": `set exactly one of csv = "file.csv", sqlite = "file.db" or sql = "SELECT ..."`,
	"dataset.csv":    "fix the path (relative to the configuration file) or the file's contents",
	"dataset.sqlite": "fix the path (relative to the configuration file), or sqlite_table",
	"dataset.sql":    "fix the query; it may read the datasets listed before this one",
	"chart.id":       "give each chart its own positive id",
	"chart.kind":     `use "big_number", "bar", "line" or "table"`,
	"chart.dataset":  "name the id of a [[datasets]] entry",
	"chart.select":   "fix the SELECT list; it may use the dataset's columns",
	"chart.group_by": "fix the GROUP BY list; it may use the dataset's columns",
	"chart.order_by": "fix the ORDER BY list; %s stands for ASC or DESC",
}
