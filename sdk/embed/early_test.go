package embed

import (
	"testing"
	"time"

	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// The adoption of what the JavaScript fast path started is decided here, in
// pure Go; the browser edge only reports the fast path's plan and carries
// out the decision.

// earlyEmbed starts an embed whose fast path mounted plan, saw loads load
// events and, on its port, sent sent.
func earlyEmbed(t *testing.T, plan iframe.Plan, loads int, sent string) (*testEmbed, *fakeEarly) {
	t.Helper()
	b := newFakeBrowser()
	early := &fakeEarly{plan: plan, loads: loads, sent: sent, fetch: &fakeFetch{}}
	if loads > 0 {
		early.port = &fakePort{origin: plan.Origin}
	}
	b.early = early
	return startWith(t, embedTestParams(), b), early
}

func TestEarlyIframeAdoptedWhenItIsGosPlan(t *testing.T) {
	tok := tokenExpiringIn(time.Minute)
	te, early := earlyEmbed(t, iframe.New(embedTestParams()), 1, tok)
	if !early.adopted || !early.keptPort || early.discarded {
		t.Fatalf("early = %+v, want adopted with its port", early)
	}
	if te.b.mounts != 0 {
		t.Errorf("%d mounts, want 0: the early iframe is the one", te.b.mounts)
	}
	// The first fetch joins the fast path's call instead of making another.
	if n := te.b.fetchCount(); n != 0 {
		t.Fatalf("%d new fetchGuestToken calls, want 0", n)
	}
	early.fetch.resolve(tok)
	port := te.b.port(t, 0)
	if port != early.port {
		t.Fatal("the first document's port is not the fast path's")
	}
	for _, m := range port.messages() {
		if m.Method == protocol.MethodGuestToken {
			t.Errorf("the token the fast path sent was sent again: %v", m)
		}
	}
	port.answerProbe(t)
	if got := te.rec.readyCalls(); len(got) != 1 || got[0] != nil {
		t.Fatalf("ready calls = %v, want [nil]", got)
	}
}

func TestEarlyIframeNewTokenIsSent(t *testing.T) {
	te, early := earlyEmbed(t, iframe.New(embedTestParams()), 1, "an older token")
	tok := tokenExpiringIn(time.Minute)
	early.fetch.resolve(tok)
	sent := 0
	for _, m := range te.b.port(t, 0).messages() {
		if m.Method == protocol.MethodGuestToken {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("%d guestToken messages, want 1: the token differs from the one the fast path sent", sent)
	}
}

func TestEarlyIframeDiscardedWhenPlansDiffer(t *testing.T) {
	plan := iframe.New(embedTestParams())
	plan.Src += "?uiConfig=1"
	te, early := earlyEmbed(t, plan, 1, "")
	if !early.discarded || early.adopted {
		t.Fatalf("early = %+v, want discarded", early)
	}
	if te.b.mounts != 1 || !te.b.mounted.Equal(iframe.New(embedTestParams())) {
		t.Errorf("mounts = %d of %+v, want Go's own plan", te.b.mounts, te.b.mounted)
	}
	// The fast path's fetch was made with these options all the same.
	if n := te.b.fetchCount(); n != 0 {
		t.Errorf("%d new fetchGuestToken calls, want 0: the first token comes from the fast path's call", n)
	}
}

func TestEarlyIframeAfterANavigationDropsItsPort(t *testing.T) {
	te, early := earlyEmbed(t, iframe.New(embedTestParams()), 2, "")
	if !early.adopted || early.keptPort || !early.port.isClosed() {
		t.Fatalf("early = %+v, port closed = %v; want adopted, its port closed", early, early.port.isClosed())
	}
	// The loads so far count as one document, reached through a new channel.
	if ports := te.b.ports(); len(ports) != 1 || ports[0] == early.port {
		t.Fatalf("ports = %v, want one new port", ports)
	}
}

func TestEarlyIframeBeforeItsFirstLoad(t *testing.T) {
	te, early := earlyEmbed(t, iframe.New(embedTestParams()), 0, "")
	if !early.adopted || early.keptPort {
		t.Fatalf("early = %+v, want adopted without a port", early)
	}
	if ports := te.b.ports(); len(ports) != 0 {
		t.Fatalf("%d ports before the first load, want 0", len(ports))
	}
	te.b.load(t)
	early.fetch.resolve(tokenExpiringIn(time.Minute))
	te.b.port(t, 0).answerProbe(t)
	if got := te.rec.readyCalls(); len(got) != 1 || got[0] != nil {
		t.Fatalf("ready calls = %v, want [nil]", got)
	}
}
