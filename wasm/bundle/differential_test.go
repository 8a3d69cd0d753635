package bundle

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/options"
)

// randomCaseCount is how many random params the differential test draws.
const randomCaseCount = 12000

// TestPlanMatchesGo holds the fast path (wasm/loader/plan.js) to its rule:
// it may decline any params, but a plan it returns must equal Go's
// (options.Parse, then iframe.New) for the same params, and Go must accept
// them. It bundles plan.js with the spec as the build does, runs it in one
// Node process on every case, and compares with Go on the same cases as
// the browser edge would copy them.
func TestPlanMatchesGo(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH; this test runs the fast path's planIframe in Node: " + err.Error())
	}
	sdkCases := sdkTestCases(t)
	cases := slices.Concat(sdkCases, fixedCases(), randomCases(randomCaseCount))
	plans := runPlans(t, node, cases)

	var jsPlanned, goAccepted, failures int
	for i, c := range cases {
		p, parseErr := options.Parse(c.goValue(0))
		if parseErr == nil {
			goAccepted++
		}
		js := plans[i]
		if js == nil {
			continue
		}
		jsPlanned++
		if problem := mismatch(js, p, parseErr); problem != "" {
			failures++
			if failures <= 10 {
				t.Errorf("case %d: %s\n  params: %s", i, problem, c)
			}
		}
	}
	if failures > 10 {
		t.Errorf("… and %d more failing cases", failures-10)
	}
	t.Logf("%d cases (%d from the SDK's tests, %d random): JavaScript planned %d, Go accepted %d",
		len(cases), len(sdkCases), randomCaseCount, jsPlanned, goAccepted)
	if jsPlanned < len(cases)/5 {
		t.Errorf("JavaScript planned only %d of %d cases: the comparison says little; make the cases valid more often", jsPlanned, len(cases))
	}
}

// mismatch says how a plan from JavaScript breaks the rule, or "" if it
// keeps it: Go accepts the params, and builds the same plan, whose origin
// is the one the browser gives its src.
func mismatch(js *jsPlan, p options.Params, parseErr error) string {
	if parseErr != nil {
		return "JavaScript planned an iframe for params Go rejects: " + parseErr.Error()
	}
	if want := planUnits(iframe.New(p)); !js.equal(want) {
		return "the plans differ:\n  JavaScript " + js.String() + "\n  Go         " + want.String()
	}
	if !slices.Equal(js.Origin, js.BrowserOrigin) {
		return "the plan's origin " + quoteUnits(js.Origin) + " is not the browser's, " + quoteUnits(js.BrowserOrigin)
	}
	return ""
}

// runPlans runs testdata/plan-runner.js over the cases and returns what it
// prints for each: nil where planIframe declined.
func runPlans(t *testing.T, node string, cases []*jsv) []*jsPlan {
	t.Helper()
	lines := runInNode(t, node, "plan.js", "plan-runner.js", cases)
	plans := make([]*jsPlan, len(cases))
	for i, line := range lines {
		if err := json.Unmarshal([]byte(line), &plans[i]); err != nil {
			t.Fatalf("case %d: plan-runner.js printed %q: %v", i, line, err)
		}
	}
	return plans
}

// runInNode bundles the loader's module entry to CommonJS in a temporary
// directory, writes cases next to it as JSON and runs testdata/<runner>
// with the two files in one Node process. It returns the runner's lines,
// one per case.
func runInNode[C any](t *testing.T, node, entry, runner string, cases []C) []string {
	t.Helper()
	dir := t.TempDir()
	goroot, err := goEnv("GOROOT")
	if err != nil {
		t.Fatal(err)
	}
	bundled := filepath.Join(dir, strings.TrimSuffix(entry, ".js")+".cjs")
	if err := bundleJS(entry, bundled, api.FormatCommonJS, goroot, "", false); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	casesFile := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(casesFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, filepath.Join("testdata", runner), bundled, casesFile)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\n%s", runner, err, stderr.Bytes())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%s printed %d lines for %d cases\n%s", runner, len(lines), len(cases), stderr.Bytes())
	}
	return lines
}

// jsPlan is planIframe's result with its strings as UTF-16 code units, and
// the origin the browser gives its src.
type jsPlan struct {
	Src     []uint16   `json:"src"`
	Origin  []uint16   `json:"origin"`
	Sandbox [][]uint16 `json:"sandbox"`
	Allow   []uint16   `json:"allow"`
	Title   []uint16   `json:"title"`
	Policy  []uint16   `json:"policy"`

	BrowserOrigin []uint16 `json:"browserOrigin"`
}

// planUnits is Go's plan as JavaScript would hold it. Comparing code units
// keeps a lone surrogate from JavaScript from passing for the U+FFFD Go has.
func planUnits(p iframe.Plan) *jsPlan {
	u := func(s string) []uint16 { return utf16.Encode([]rune(s)) }
	out := &jsPlan{Src: u(p.Src), Origin: u(p.Origin), Allow: u(p.Allow), Title: u(p.Title), Policy: u(p.ReferrerPolicy)}
	for _, token := range p.Sandbox {
		out.Sandbox = append(out.Sandbox, u(token))
	}
	return out
}

func (p *jsPlan) equal(q *jsPlan) bool {
	return slices.Equal(p.Src, q.Src) && slices.Equal(p.Origin, q.Origin) && slices.Equal(p.Allow, q.Allow) &&
		slices.Equal(p.Title, q.Title) && slices.Equal(p.Policy, q.Policy) &&
		slices.EqualFunc(p.Sandbox, q.Sandbox, slices.Equal)
}

// String shows the plan with lone surrogates escaped.
func (p *jsPlan) String() string {
	sandbox := make([]string, len(p.Sandbox))
	for i, s := range p.Sandbox {
		sandbox[i] = quoteUnits(s)
	}
	return "{Src:" + quoteUnits(p.Src) + " Origin:" + quoteUnits(p.Origin) + " Sandbox:[" + strings.Join(sandbox, " ") +
		"] Allow:" + quoteUnits(p.Allow) + " Title:" + quoteUnits(p.Title) + " ReferrerPolicy:" + quoteUnits(p.Policy) + "}"
}
