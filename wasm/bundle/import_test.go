package bundle

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dashembed/dashembed/sdk/contract"
)

// importCheck loads one built entry in a fresh Node process, the way a
// server-side renderer or a test runner would, and reports what that did:
// the globals it added, whether it fetched or compiled anything, and how
// embedDashboard answered there. Node has no window or document: code that
// used them beyond a typeof would throw, which the check reports.
const importCheck = `
const [how, file] = process.argv.slice(2);
const before = new Set(Object.getOwnPropertyNames(globalThis));
const touched = [];
globalThis.fetch = () => { touched.push('fetch'); return Promise.reject(new Error('no fetch in this test')); };
for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
  WebAssembly[name] = () => { touched.push('WebAssembly.' + name); return Promise.reject(new Error('no wasm in this test')); };
}
(async () => {
  let mod;
  if (how === 'require') mod = require(file);
  else if (how === 'import') mod = await import(file);
  else { require(file); mod = globalThis.dashembed; }
  const added = Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k) && k !== 'fetch');
  const outcome = await mod.embedDashboard({}).then(() => ({ resolved: true }), (e) => ({ name: e.name, code: e.code, message: e.message }));
  console.log(JSON.stringify({ added, touched, outcome }));
})().catch((e) => { console.log(JSON.stringify({ threw: String(e && e.stack || e) })); });
`

// TestEntriesImportAnywhere: every built entry imports (ESM) and requires
// (CommonJS) in Node without throwing (as using window or document would),
// fetching or compiling anything, or adding a global — but the script-tag
// bundle's documented ones — and embedDashboard there rejects with
// NO_BROWSER.
func TestEntriesImportAnywhere(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH; this test loads the built entries in Node: " + err.Error())
	}
	dir := built(t)
	script := filepath.Join(t.TempDir(), "check.cjs")
	if err := os.WriteFile(script, []byte(importCheck), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		how, file string
		globals   []string
	}{
		{"import", ESMFile, nil},
		{"require", CJSFile, nil},
		{"script", ScriptFile, contract.Globals},
	} {
		t.Run(c.how+" "+c.file, func(t *testing.T) {
			out, err := exec.Command(node, script, c.how, filepath.Join(dir, c.file)).CombinedOutput()
			if err != nil {
				t.Fatalf("node: %v\n%s", err, out)
			}
			var got struct {
				Added, Touched []string
				Threw          string
				Outcome        struct {
					Resolved            bool
					Name, Code, Message string
				}
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("reading %q: %v", out, err)
			}
			if got.Threw != "" {
				t.Fatalf("loading threw: %s", got.Threw)
			}
			if strings.Join(got.Added, ",") != strings.Join(c.globals, ",") {
				t.Errorf("globals added: %q, want %q", got.Added, c.globals)
			}
			if len(got.Touched) > 0 {
				t.Errorf("loading touched %q", got.Touched)
			}
			o := got.Outcome
			if o.Resolved || o.Code != contract.CodeNoBrowser || o.Name != contract.NameError || !strings.Contains(o.Message, "in the browser") {
				t.Errorf("embedDashboard in Node: %+v, want a %s rejection with code %s", o, contract.NameError, contract.CodeNoBrowser)
			}
		})
	}
}

// build is one Build for the tests that read its output.
var build struct {
	once sync.Once
	dir  string
	err  error
}

// built returns the directory of a fresh build, made once per test binary.
func built(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "dashembed-bundle-")
		if build.err == nil {
			build.err = Build(Options{OutDir: build.dir})
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.dir
}

// TestBuildWritesTheHashedGzip: next to the wasm lies its gzip, named after
// the wasm's hash, which the script tag's bundle names; ScriptFiles lists
// the three files the script tag loads.
func TestBuildWritesTheHashedGzip(t *testing.T) {
	dir := built(t)
	wasm, err := os.ReadFile(filepath.Join(dir, WasmFile))
	if err != nil {
		t.Fatal(err)
	}
	files, err := ScriptFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	name := WasmGzipName(wasm)
	if want := []string{ScriptFile, name, WasmFile}; strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("ScriptFiles = %q, want %q", files, want)
	}
	gz, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, wasm) {
		t.Errorf("%s does not decompress to %s (%v)", name, WasmFile, err)
	}
	if len(gz) >= len(wasm)/3 {
		t.Errorf("%s is %d bytes for a %d-byte wasm", name, len(gz), len(wasm))
	}
	script, _ := os.ReadFile(filepath.Join(dir, ScriptFile))
	if !bytes.Contains(script, []byte(name)) {
		t.Errorf("%s does not name %s", ScriptFile, name)
	}
	// Other code is another name; the build leaves one gzip.
	if other := WasmGzipName(append(wasm, 0)); other == name {
		t.Error("two different wasms get one name")
	}
	old, _ := filepath.Glob(filepath.Join(dir, "dashembed.*.wasm.gz"))
	if len(old) != 1 {
		t.Errorf("gzip files in the build: %q, want one", old)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}
