//go:build js && wasm

package jsedge

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/protocol"
)

// The carrier (wasm/loader/carrier.js) settles the answers of the calls it
// carries in JavaScript; these tests run it against this package as Serve
// wires it, with a MessageChannel's far end playing the dashboard's page.

// pageEnd records what the host posts to the page's end of a channel, as
// JSON, and lets the test answer on it.
type pageEnd struct {
	port safejs.Value
	wire chan string
}

func newPageEnd(t *testing.T, port safejs.Value) *pageEnd {
	t.Helper()
	stringify, _ := safejs.Global().Get("JSON")
	p := &pageEnd{port: port, wire: make(chan string, 16)}
	stop, err := listen(port, "message", func(ev safejs.Value) {
		data, _ := ev.Get("data")
		s, _ := stringify.Call("stringify", data)
		text, _ := s.String()
		p.wire <- text
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	_, _ = port.Call("start")
	return p
}

func (p *pageEnd) answer(t *testing.T, expr string) {
	t.Helper()
	if _, err := p.port.Call("postMessage", jsEval(t, expr)); err != nil {
		t.Fatal(err)
	}
}

// hostPort opens our end as Serve does; what reaches Go goes to the channel.
func hostPort(t *testing.T, ours safejs.Value) (*domPort, chan protocol.Message) {
	t.Helper()
	c, err := glue.Call("carrier", ours)
	if err != nil {
		t.Fatal(err)
	}
	toGo := make(chan protocol.Message, 16)
	port, err := openPort(c, func(m protocol.Message) { toGo <- m })
	if err != nil {
		t.Fatal(err)
	}
	return port.(*domPort), toGo
}

func errorField(v safejs.Value, key string) string {
	s, _ := getString(v, key)
	return s
}

func TestCarrierSettlesItsCallsInJavaScript(t *testing.T) {
	setupGlue(t)
	ours, theirs := messageChannel(t)
	page := newPageEnd(t, theirs)
	port, toGo := hostPort(t, ours)
	sb := protocol.NewCountedSwitchboard(port.Count)

	answer, err := port.Carry(sb.Carry("getScrollSize", nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := receive(t, page.wire); got != `{"switchboardAction":"get","method":"getScrollSize","messageId":"m_superset-embedded-sdk_1"}` {
		t.Errorf("wire = %s", got)
	}
	page.answer(t, `{switchboardAction: "reply", messageId: "m_superset-embedded-sdk_1", result: {width: 3, height: 4}}`)
	ok, v := awaitPromise(t, answer.(safejs.Value))
	if got := copyValue(v, 2); !ok || !reflect.DeepEqual(got, map[string]any{"width": 3.0, "height": 4.0}) {
		t.Errorf("answer: ok=%v, %#v", ok, got)
	}

	// An `error` answer: Go builds the Error, as for its own calls.
	refused, _ := port.Carry(sb.Carry("getDataMask", nil))
	receive(t, page.wire)
	page.answer(t, `{switchboardAction: "error", messageId: "m_superset-embedded-sdk_2", error: "no mask"}`)
	ok, v = awaitPromise(t, refused.(safejs.Value))
	if ok || errorField(v, "code") != "REMOTE_ERROR" || errorField(v, "message") != "no mask" {
		t.Errorf("refused call: ok=%v code=%q message=%q", ok, errorField(v, "code"), errorField(v, "message"))
	}

	// Other messages, and answers to ids it did not carry, go to Go.
	page.answer(t, `{switchboardAction: "reply", messageId: "m_superset-embedded-sdk_9", result: 1}`)
	page.answer(t, `{switchboardAction: "emit", method: "observeDataMask", args: {a: 1}}`)
	if m := receive(t, toGo); m.Action != "reply" || m.MessageID != "m_superset-embedded-sdk_9" {
		t.Errorf("first message to Go = %+v", m)
	}
	if m := receive(t, toGo); m.Action != "emit" || m.Method != "observeDataMask" {
		t.Errorf("second message to Go = %+v", m)
	}
	select {
	case m := <-toGo:
		t.Errorf("an answer the carrier settled reached Go too: %+v", m)
	default:
	}

	// Closing cuts off what is still in flight, with Go's PortClosedError.
	pending, _ := port.Carry(sb.Carry("getActiveTabs", nil))
	receive(t, page.wire)
	port.Close("the iframe navigated to a new document")
	ok, v = awaitPromise(t, pending.(safejs.Value))
	if ok || errorField(v, "name") != "PortClosedError" || errorField(v, "code") != "PORT_CLOSED" ||
		errorField(v, "message") != "dashembed: getActiveTabs was cancelled: the iframe navigated to a new document" {
		t.Errorf("cut-off call: ok=%v name=%q code=%q message=%q", ok, errorField(v, "name"), errorField(v, "code"), errorField(v, "message"))
	}

	// After closing, a call is refused at once rather than left pending
	// for ever: by Go's port with Close's reason, and by the carrier
	// itself should the loader ever use it.
	var closed *protocol.PortClosedError
	if _, err := port.Carry(sb.Carry("getScrollSize", nil)); !errors.As(err, &closed) || closed.Reason != "the iframe navigated to a new document" {
		t.Errorf("Carry after Close: %v, want a PortClosedError with Close's reason", err)
	}
	if _, err := port.carrier.Call("requestBare", "getScrollSize"); err == nil || !strings.Contains(err.Error(), "port is closed") {
		t.Errorf("the carrier's requestBare after close: %v, want a thrown port-closed error", err)
	}
	select {
	case got := <-page.wire:
		t.Errorf("a call after close reached the page: %s", got)
	default:
	}
}

// A bare call the loader carries without Go is the very message Go would
// have sent.
func TestCarrierBareCallIsGosMessage(t *testing.T) {
	setupGlue(t)
	for _, method := range []string{"getScrollSize", "getActiveTabs", "getDataMask", "getChartStates"} {
		goSide, goPage := messageChannel(t)
		jsSide, jsPage := messageChannel(t)
		goWire, jsWire := newPageEnd(t, goPage), newPageEnd(t, jsPage)
		port, _ := hostPort(t, goSide)
		if _, err := port.Carry(protocol.NewCountedSwitchboard(port.Count).Carry(method, nil)); err != nil {
			t.Fatal(err)
		}
		c, _ := glue.Call("carrier", jsSide)
		if _, err := c.Call("requestBare", method); err != nil {
			t.Fatal(err)
		}
		if g, j := receive(t, goWire.wire), receive(t, jsWire.wire); g != j {
			t.Errorf("%s: Go sends %s, the loader %s", method, g, j)
		}
	}
}

func TestCarrierHoldsMessagesUntilGoListens(t *testing.T) {
	setupGlue(t)
	ours, theirs := messageChannel(t)
	c, _ := glue.Call("carrier", ours)
	early, err := c.Call("requestBare", "getScrollSize")
	if err != nil {
		t.Fatal(err)
	}
	page := newPageEnd(t, theirs)
	receive(t, page.wire)
	page.answer(t, `{switchboardAction: "get", method: "resolvePermalinkUrl", messageId: "m_page_1", args: {key: "k"}}`)
	page.answer(t, `{switchboardAction: "reply", messageId: "m_superset-embedded-sdk_1", result: 7}`)
	if ok, v := awaitPromise(t, early); !ok {
		t.Fatal("the early call was not answered before Go listened")
	} else if n, _ := v.Int(); n != 7 {
		t.Errorf("early answer %d", n)
	}
	toGo := make(chan protocol.Message, 4)
	port, err := openPort(c, func(m protocol.Message) { toGo <- m })
	if err != nil {
		t.Fatal(err)
	}
	if m := receive(t, toGo); m.Method != "resolvePermalinkUrl" || m.MessageID != "m_page_1" {
		t.Errorf("held message = %+v", m)
	}
	// Go's calls go on after the one the loader numbered.
	if n := port.Count(); n != 2 {
		t.Errorf("next number %d, want 2", n)
	}
}
