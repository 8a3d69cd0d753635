package doctor

import "slices"

// Status is the verdict of one check.
type Status string

// The verdicts, from best to worst. Skipped means an earlier failure left the
// check without what it needs (or, for the browser, that no browser exists).
const (
	StatusOK      Status = "ok"
	StatusSkipped Status = "skipped"
	StatusWarn    Status = "warn"
	StatusFail    Status = "fail"
)

// rank orders statuses so that a check's verdict is its worst finding.
func (s Status) rank() int {
	return slices.Index([]Status{StatusOK, StatusSkipped, StatusWarn, StatusFail}, s)
}

// Result is the outcome of one check: what it saw and, for every warning or
// failure, the fix in the terms of the BI host's configuration.
type Result struct {
	// Step is the check's position in the run, from 1.
	Step int `json:"step"`
	// ID names the check for machines: reach, login, token, config, page,
	// api, assets, browser.
	ID string `json:"id"`
	// Name is the check's title for people.
	Name string `json:"name"`
	// Status is the worst of the check's findings.
	Status Status `json:"status"`
	// Saw lists what the check observed, one fact per entry.
	Saw []string `json:"saw"`
	// Fix lists what to change, one entry per warning or failure.
	Fix []string `json:"fix,omitempty"`
}

// note records a fact with its verdict, and the fix when there is one.
func (r *Result) note(s Status, saw, fix string) {
	if s.rank() > r.Status.rank() {
		r.Status = s
	}
	if saw != "" && !slices.Contains(r.Saw, saw) {
		r.Saw = append(r.Saw, saw)
	}
	if fix != "" && !slices.Contains(r.Fix, fix) {
		r.Fix = append(r.Fix, fix)
	}
}

// ok records a fact that is as it should be.
func (r *Result) ok(saw string) { r.note(StatusOK, saw, "") }

// warn records a fact that works but deserves a change.
func (r *Result) warn(saw, fix string) { r.note(StatusWarn, saw, fix) }

// fail records a fact that leaves the dashboard blank.
func (r *Result) fail(saw, fix string) { r.note(StatusFail, saw, fix) }

// skip marks the check as not run, saying why.
func (r *Result) skip(why string) { r.note(StatusSkipped, why, "") }

// Report is the outcome of a run, one Result per check in order.
type Report struct {
	Results []Result `json:"results"`
}

// Failed reports whether any check failed.
func (rep Report) Failed() bool {
	for _, r := range rep.Results {
		if r.Status == StatusFail {
			return true
		}
	}
	return false
}

// Result returns the result of the check with the given ID, and whether
// there is one.
func (rep Report) Result(id string) (Result, bool) {
	for _, r := range rep.Results {
		if r.ID == id {
			return r, true
		}
	}
	return Result{}, false
}
