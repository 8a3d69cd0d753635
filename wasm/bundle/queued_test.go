package bundle

import (
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"slices"
	"testing"

	"github.com/dashembed/dashembed/sdk/events"
)

// queuedOp is one step of a sequence run on the loader's queued dashboard
// (testdata/queued-runner.js says what each op does) and on Go's
// events.Listeners.
type queuedOp struct {
	Op string `json:"op"`
	Of int    `json:"of"`
}

// goCalls runs ops on Go's events.Listeners as the embed does (a catch-up
// once on() has returned, only while still subscribed; the failure emitted
// as an `error`) and returns the listeners called, by op index.
func goCalls(ops []queuedOp) []int {
	var l events.Listeners
	called := []int{}
	ids := map[int]int{}
	listener := func(i int) func(events.Detail) { return func(events.Detail) { called = append(called, i) } }
	for i, o := range ops {
		switch o.Op {
		case "on", "onoff":
			id, held := l.Add("error", listener(i))
			ids[i] = id
			if o.Op == "onoff" {
				l.Remove(id)
			}
			for _, d := range held {
				if l.Subscribed(id) {
					events.Call(listener(i), d)
				}
			}
		case "off":
			if id, ok := ids[o.Of]; ok {
				l.Remove(id)
			}
		case "fail":
			l.Emit("error", events.Detail{"code": "WASM_LOAD_FAILED"})
		}
	}
	return called
}

// queuedSequences are the hand-written cases, then random ones from a fixed
// seed: subscriptions and unsubscriptions before and after one failure.
func queuedSequences() [][]queuedOp {
	on, onoff, fail := queuedOp{Op: "on"}, queuedOp{Op: "onoff"}, queuedOp{Op: "fail"}
	off := func(i int) queuedOp { return queuedOp{Op: "off", Of: i} }
	seqs := [][]queuedOp{
		{fail, on, on},             // held for the first late listener only
		{on, fail, on},             // heard by the one subscribed; none held
		{on, off(0), fail, on},     // a name once heard holds nothing
		{onoff, fail, on},          // the same, subscribed and ended at once
		{fail, onoff, on},          // the held failure goes with the first, unheard
		{on, on, fail, off(1), on}, // both subscribed hear it
		{fail},
		{on, fail},
	}
	r := rand.New(rand.NewPCG(16, 11))
	for range 500 {
		var seq []queuedOp
		failed := false
		for n := 1 + r.IntN(8); len(seq) < n; {
			switch k := r.IntN(10); {
			case k < 4:
				seq = append(seq, on)
			case k < 5:
				seq = append(seq, onoff)
			case k < 8 && len(seq) > 0:
				seq = append(seq, off(r.IntN(len(seq))))
			case !failed:
				failed = true
				seq = append(seq, fail)
			}
		}
		seqs = append(seqs, seq)
	}
	return seqs
}

// TestQueuedErrorsMatchGo: when the wasm fails before Go runs, the loader's
// queued dashboard hands the failure to `error` listeners by Go's rule
// (package events): to those subscribed then, or held for the first one to
// come if none ever was. The same sequences run on both; the listeners
// called must be the same, in the same order.
func TestQueuedErrorsMatchGo(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH; this test runs the loader's handle.js in Node: " + err.Error())
	}
	seqs := queuedSequences()
	lines := runInNode(t, node, "handle.js", "queued-runner.js", seqs)
	mismatches, held := 0, 0
	for i, line := range lines {
		var js []int
		if err := json.Unmarshal([]byte(line), &js); err != nil {
			t.Fatalf("sequence %d: queued-runner.js printed %q: %v", i, line, err)
		}
		want := goCalls(seqs[i])
		if !slices.Equal(js, want) {
			mismatches++
			if mismatches <= 10 {
				t.Errorf("sequence %v: the loader called listeners %v, Go %v", seqs[i], js, want)
			}
		}
		if len(want) > 0 && seqs[i][want[0]].Op != "fail" && slices.IndexFunc(seqs[i][:want[0]], func(o queuedOp) bool { return o.Op == "fail" }) >= 0 {
			held++
		}
	}
	t.Logf("%d sequences, %d of them with a failure held for a later listener; %d mismatches", len(seqs), held, mismatches)
}
