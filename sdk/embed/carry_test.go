package embed

import (
	"errors"
	"testing"
	"time"

	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// Hot calls travel without the embed: the port carries them and settles
// their answers (Carry), and bare calls go on the port the embed routed
// (route) without asking it at all. What stays the embed's is tested here:
// whether a call may go, which port is routed, the ids, and how carried
// calls end when their document goes.

// quietEmbed is readyEmbed without the debug log, which turns carrying off.
func quietEmbed(t *testing.T) *testEmbed {
	t.Helper()
	return readyEmbedWith(t, func(p *options.Params) { p.Debug = false })
}

// carry calls te.Carry and fails the test unless the port carried it.
func carry(t *testing.T, te *testEmbed, method string, args any) *fakeAnswer {
	t.Helper()
	answer, err, ok := te.Carry(method, args)
	if !ok || err != nil {
		t.Fatalf("Carry(%s) = %v, %v, %v; want carried", method, answer, err, ok)
	}
	return answer.(*fakeAnswer)
}

// cutOff checks that a carried call ended with a PortClosedError for reason.
func cutOff(t *testing.T, a *fakeAnswer, reason string) {
	t.Helper()
	_, err, done := a.outcome()
	var pc *protocol.PortClosedError
	if !done || !errors.As(err, &pc) || *pc != (protocol.PortClosedError{Method: a.method, Reason: reason}) {
		t.Errorf("%s: done=%v err=%v, want a PortClosedError: %s", a.method, done, err, reason)
	}
}

func TestCarryAnswersWithoutTheEmbed(t *testing.T) {
	te := quietEmbed(t)
	p := te.b.port(t, 0)
	a := carry(t, te, "getDashboardPermalink", map[string]any{"anchor": "tab-1"})
	m := p.get(t, "getDashboardPermalink")
	// The probe was call 1 on this port.
	if m.MessageID != protocol.MessageID(2) {
		t.Errorf("id %s, want %s", m.MessageID, protocol.MessageID(2))
	}
	p.reply(t, "getDashboardPermalink", "https://bi.example.com/p/1/")
	if result, err, done := a.outcome(); !done || err != nil || result != "https://bi.example.com/p/1/" {
		t.Errorf("answer = %v, %v, %v", result, err, done)
	}
	// An `error` answer rejects it as the page said.
	b := carry(t, te, "getDataMask", nil)
	p.send(protocol.Message{Action: protocol.ActionError, MessageID: p.get(t, "getDataMask").MessageID, Error: "no data mask"})
	var re *protocol.RemoteError
	if _, err, _ := b.outcome(); !errors.As(err, &re) || *re != (protocol.RemoteError{Method: "getDataMask", Text: "no data mask"}) {
		t.Errorf("error answer = %v", err)
	}
	if n := p.inFlight(); n != 0 {
		t.Errorf("%d carried calls left in flight", n)
	}
}

func TestCarryRefusesWhatGetRefuses(t *testing.T) {
	te := quietEmbed(t)
	te.b.load(t) // a second document, not yet an embedded dashboard
	te.b.Advance(5 * time.Second)
	if _, err, ok := te.Carry("getScrollSize", nil); !ok || !isPortClosed(err, "the iframe does not show an embedded dashboard") {
		t.Errorf("call to a foreign page: %v, %v", err, ok)
	}
	te.Unmount()
	if _, err, ok := te.Carry("getScrollSize", nil); !ok || !isPortClosed(err, "the dashboard is unmounted") {
		t.Errorf("call after unmount: %v, %v", err, ok)
	}
}

func isPortClosed(err error, reason string) bool {
	var pc *protocol.PortClosedError
	return errors.As(err, &pc) && pc.Reason == reason
}

func TestCarryLeavesTheDebugLogAndBusyEmbedToGet(t *testing.T) {
	te := readyEmbed(t) // debug on
	if _, _, ok := te.Carry("getScrollSize", nil); ok {
		t.Error("carried in debug mode: the log would not show the answer")
	}
	if got := te.b.routed(); got != nil {
		t.Error("a port was routed in debug mode")
	}
	quiet := quietEmbed(t)
	var inside bool
	quiet.serial.Do(func() { _, _, ok := quiet.Carry("getScrollSize", nil); inside = ok })
	if inside {
		t.Error("carried from inside the embed's own work: its result could not be ready")
	}
}

func TestCarrySendErrorIsTyped(t *testing.T) {
	te := quietEmbed(t)
	te.b.port(t, 0).postErr = func(m protocol.Message) error {
		if m.Method == "setDataMask" {
			return errors.New("DataCloneError: function could not be cloned")
		}
		return nil
	}
	_, err, ok := te.Carry("setDataMask", map[string]any{"dataMask": "f"})
	var se *protocol.SendError
	if !ok || !errors.As(err, &se) || se.Method != "setDataMask" {
		t.Errorf("Carry = %v, %v; want a SendError", err, ok)
	}
}

// A call on a port already closed is refused with the port's
// PortClosedError, which the embed passes on as it is, not as a SendError.
func TestCarryOnAClosedPortKeepsPortClosedError(t *testing.T) {
	te := quietEmbed(t)
	te.b.port(t, 0).Close("the channel broke")
	_, err, ok := te.Carry("getScrollSize", nil)
	var closed *protocol.PortClosedError
	if !ok || !errors.As(err, &closed) || closed.Reason != "the channel broke" || closed.Method != "getScrollSize" {
		t.Errorf("Carry = %v, %v; want the port's PortClosedError", err, ok)
	}
}

func TestRouteFollowsTheDocument(t *testing.T) {
	te := quietEmbed(t)
	b := te.b
	p1 := b.port(t, 0)
	if b.routed() != p1 {
		t.Fatal("the first document's port is not routed")
	}
	bare := p1.carryBare("getScrollSize")
	viaEmbed := carry(t, te, "getActiveTabs", nil)
	// Both take their ids from the port: the probe 1, then 2 and 3.
	if got := p1.get(t, "getScrollSize").MessageID; got != protocol.MessageID(2) {
		t.Errorf("bare call id %s", got)
	}
	if got := p1.get(t, "getActiveTabs").MessageID; got != protocol.MessageID(3) {
		t.Errorf("embed's call id %s", got)
	}
	// A navigation cuts both off, as it does the embed's own calls.
	b.load(t)
	cutOff(t, bare, "the iframe navigated to a new document")
	cutOff(t, viaEmbed, "the iframe navigated to a new document")
	p2 := b.port(t, 1)
	if b.routed() != p2 {
		t.Fatal("the new document's port is not routed")
	}
	// Judged foreign, it is routed no more.
	b.Advance(5 * time.Second)
	if b.routed() != nil {
		t.Fatal("a foreign page's port is still routed")
	}
	b.load(t)
	p3 := b.port(t, 2)
	inFlight := p3.carryBare("getDataMask")
	te.Unmount()
	if b.routed() != nil {
		t.Error("a port is routed after unmount")
	}
	cutOff(t, inFlight, "the dashboard was unmounted")
}

func TestEarlyCallsKeepTheirIdsAndEndWithTheirPort(t *testing.T) {
	b := newFakeBrowser()
	early := &fakeEarly{plan: iframe.New(embedTestParams()), loads: 1, fetch: &fakeFetch{}, port: &fakePort{}}
	// The fast path carried a bare call before Go was up.
	before := early.port.carryBare("getScrollSize")
	b.early = early
	p := embedTestParams()
	p.Debug = false
	startWith(t, p, b)
	early.fetch.resolve(tokenExpiringIn(time.Minute))
	port := b.port(t, 0)
	if port != early.port || b.routed() != port {
		t.Fatal("the fast path's port was not adopted and routed")
	}
	if got := port.get(t, protocol.ProbeMethod).MessageID; got != protocol.MessageID(2) {
		t.Errorf("the probe took id %s; the fast path's call had 1", got)
	}
	port.reply(t, "getScrollSize", map[string]any{"width": 1.0, "height": 2.0})
	if _, err, done := before.outcome(); !done || err != nil {
		t.Errorf("the early call's answer: %v, %v", err, done)
	}

	// After a navigation before Go was up, the calls on the old port end.
	b2 := newFakeBrowser()
	gone := &fakeEarly{plan: iframe.New(embedTestParams()), loads: 2, fetch: &fakeFetch{}, port: &fakePort{}}
	stale := gone.port.carryBare("getScrollSize")
	b2.early = gone
	startWith(t, p, b2)
	cutOff(t, stale, "the iframe navigated to a new document")

	// An early iframe Go does not adopt takes its calls with it.
	b3 := newFakeBrowser()
	plan := iframe.New(embedTestParams())
	plan.Title = "another title"
	other := &fakeEarly{plan: plan, loads: 1, fetch: &fakeFetch{}, port: &fakePort{}}
	replaced := other.port.carryBare("getScrollSize")
	b3.early = other
	startWith(t, p, b3)
	cutOff(t, replaced, "the iframe was replaced")
}
