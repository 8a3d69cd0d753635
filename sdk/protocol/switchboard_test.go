package protocol

import (
	"errors"
	"reflect"
	"testing"
)

func TestSwitchboardMessageIDs(t *testing.T) {
	sb := NewSwitchboard()
	var got []Message
	for _, method := range []string{"getScrollSize", "getDataMask", "getActiveTabs"} {
		got = append(got, sb.Call(method, nil, func(Reply) {}))
	}
	want := []Message{
		{Action: "get", Method: "getScrollSize", MessageID: "m_superset-embedded-sdk_1"},
		{Action: "get", Method: "getDataMask", MessageID: "m_superset-embedded-sdk_2"},
		{Action: "get", Method: "getActiveTabs", MessageID: "m_superset-embedded-sdk_3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("calls = %#v\nwant %#v", got, want)
	}
	if n := sb.Pending(); n != 3 {
		t.Errorf("Pending = %d, want 3", n)
	}
	// Every port numbers its calls from 1 again, as upstream's switchboard
	// (one per port) does.
	if m := NewSwitchboard().Call("getChartStates", nil, func(Reply) {}); m.MessageID != "m_superset-embedded-sdk_1" {
		t.Errorf("new switchboard's first id = %q, want m_superset-embedded-sdk_1", m.MessageID)
	}
	// Ids are not reused once a call is answered.
	sb.Settle(Message{Action: ActionReply, MessageID: "m_superset-embedded-sdk_3"})
	if m := sb.Call("getScrollSize", nil, func(Reply) {}); m.MessageID != "m_superset-embedded-sdk_4" {
		t.Errorf("id after a settled call = %q, want m_superset-embedded-sdk_4", m.MessageID)
	}
}

func TestSwitchboardCallCarriesArgs(t *testing.T) {
	args := map[string]any{"anchor": "chart-7"}
	m := NewSwitchboard().Call("getDashboardPermalink", args, func(Reply) {})
	if !reflect.DeepEqual(m.Args, args) || m.Result != nil || m.Error != "" {
		t.Errorf("call = %#v", m)
	}
}

func TestSwitchboardEmit(t *testing.T) {
	sb := NewSwitchboard()
	args := map[string]any{"guestToken": "t"}
	got := sb.Emit("guestToken", args)
	want := Message{Action: "emit", Method: "guestToken", Args: args}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Emit = %#v, want %#v", got, want)
	}
	if sb.Pending() != 0 {
		t.Errorf("an emit is pending")
	}
	// Emits take no id: the next call is still number 1.
	if m := sb.Call("x", nil, func(Reply) {}); m.MessageID != "m_superset-embedded-sdk_1" {
		t.Errorf("id after an emit = %q", m.MessageID)
	}
}

func TestSwitchboardSettle(t *testing.T) {
	tests := []struct {
		name    string
		answer  func(id string) Message
		settled bool
		want    Reply
	}{
		{
			name:    "reply",
			answer:  func(id string) Message { return Message{Action: ActionReply, MessageID: id, Result: 640.0} },
			settled: true,
			want:    Reply{Result: 640.0},
		},
		{
			name:    "reply with nothing",
			answer:  func(id string) Message { return Message{Action: ActionReply, MessageID: id} },
			settled: true,
			want:    Reply{},
		},
		{
			name: "error",
			answer: func(id string) Message {
				return Message{Action: ActionError, MessageID: id, Error: "no dashboard"}
			},
			settled: true,
			want:    Reply{Err: &RemoteError{Method: "getScrollSize", Text: "no dashboard"}},
		},
		{
			name:   "unknown id",
			answer: func(string) Message { return Message{Action: ActionReply, MessageID: "m_superset-embedded-sdk_99"} },
		},
		{
			name:   "foreign id",
			answer: func(string) Message { return Message{Action: ActionReply, MessageID: "m_other_1"} },
		},
		{
			name:   "a get with the same id is not an answer",
			answer: func(id string) Message { return Message{Action: ActionGet, Method: "x", MessageID: id} },
		},
		{
			name:   "an emit is not an answer",
			answer: func(id string) Message { return Message{Action: ActionEmit, Method: "x", MessageID: id} },
		},
		{
			name:   "unknown action",
			answer: func(id string) Message { return Message{Action: "result", MessageID: id} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := NewSwitchboard()
			var got []Reply
			m := sb.Call("getScrollSize", nil, func(r Reply) { got = append(got, r) })
			if ok := sb.Settle(tt.answer(m.MessageID)); ok != tt.settled {
				t.Fatalf("Settle = %v, want %v", ok, tt.settled)
			}
			if !tt.settled {
				if len(got) != 0 || sb.Pending() != 1 {
					t.Fatalf("ignored answer settled the call: %v, pending %d", got, sb.Pending())
				}
				return
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Fatalf("done got %#v, want [%#v]", got, tt.want)
			}
			if sb.Pending() != 0 {
				t.Errorf("Pending = %d after the answer", sb.Pending())
			}
			// A second answer to the same id is stale and ignored.
			if sb.Settle(tt.answer(m.MessageID)) || len(got) != 1 {
				t.Errorf("a second answer was taken")
			}
		})
	}
}

func TestRemoteErrorText(t *testing.T) {
	var err error = &RemoteError{Method: "getDataMask", Text: `[superset-embedded-sdk] Method "getDataMask" is not defined`}
	if got := err.Error(); got != `[superset-embedded-sdk] Method "getDataMask" is not defined` {
		t.Errorf("Error() = %q", got)
	}
}

func TestSwitchboardClose(t *testing.T) {
	sb := NewSwitchboard()
	got := map[string][]error{}
	methods := []string{"getScrollSize", "getDataMask", "setDataMask"}
	ids := map[string]string{}
	for _, method := range methods {
		m := sb.Call(method, nil, func(r Reply) { got[method] = append(got[method], r.Err) })
		ids[method] = m.MessageID
	}
	// Answered calls are not touched by Close.
	sb.Settle(Message{Action: ActionReply, MessageID: ids["setDataMask"], Result: true})
	got["setDataMask"] = nil

	sb.Close("the iframe navigated to a new document")
	for _, method := range methods[:2] {
		errs := got[method]
		if len(errs) != 1 {
			t.Fatalf("%s: done called %d times, want 1", method, len(errs))
		}
		var pc *PortClosedError
		if !errors.As(errs[0], &pc) {
			t.Fatalf("%s: error %T %v, want *PortClosedError", method, errs[0], errs[0])
		}
		want := PortClosedError{Method: method, Reason: "the iframe navigated to a new document"}
		if *pc != want {
			t.Errorf("%s: error = %#v, want %#v", method, *pc, want)
		}
		if text := errs[0].Error(); text != "dashembed: "+method+" was cancelled: the iframe navigated to a new document" {
			t.Errorf("%s: text = %q", method, text)
		}
	}
	if len(got["setDataMask"]) != 0 {
		t.Errorf("Close rejected an answered call")
	}
	if sb.Pending() != 0 {
		t.Errorf("Pending = %d after Close", sb.Pending())
	}
	// Answers that arrive after Close are stale; a second Close rejects
	// nothing again.
	if sb.Settle(Message{Action: ActionReply, MessageID: ids["getScrollSize"]}) {
		t.Errorf("Settle after Close took the answer")
	}
	sb.Close("again")
	for _, method := range methods[:2] {
		if len(got[method]) != 1 {
			t.Errorf("%s: done called %d times after a second Close", method, len(got[method]))
		}
	}
}

func TestSwitchboardCloseFromDone(t *testing.T) {
	// A done callback may make a new call while Close runs (a caller that
	// retries): that call is not rejected by the Close in progress.
	sb := NewSwitchboard()
	var retried Message
	sb.Call("getScrollSize", nil, func(Reply) {
		retried = sb.Call("getScrollSize", nil, func(Reply) {})
	})
	sb.Close("bye")
	if retried.MessageID != "m_superset-embedded-sdk_2" || sb.Pending() != 1 {
		t.Errorf("retried = %q, pending = %d; want m_superset-embedded-sdk_2 and 1", retried.MessageID, sb.Pending())
	}
}

func TestUndefinedMethodReply(t *testing.T) {
	tests := []struct {
		method, id string
		want       string
	}{
		{"resolvePermalinkUrl", "m_superset-embedded-sdk_3", `[superset-embedded-sdk] Method "resolvePermalinkUrl" is not defined`},
		{"", "m_page_1", `[superset-embedded-sdk] Method "" is not defined`},
		{ProbeMethod, "m_x_9", `[superset-embedded-sdk] Method "__dashembed_probe__" is not defined`},
	}
	for _, tt := range tests {
		got := UndefinedMethodReply(Message{Action: ActionGet, Method: tt.method, MessageID: tt.id, Args: 1.0})
		want := Message{Action: "error", MessageID: tt.id, Error: tt.want}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("UndefinedMethodReply(%q) = %#v, want %#v", tt.method, got, want)
		}
	}
}

func TestWireConstants(t *testing.T) {
	// These strings are the protocol: @superset-ui/switchboard and the
	// embedded page match them exactly.
	for got, want := range map[string]string{
		ActionGet: "get", ActionReply: "reply", ActionError: "error", ActionEmit: "emit",
		CommsMessageType: "__embedded_comms__", HandshakePortTransfer: "port transfer",
		switchboardName: "superset-embedded-sdk",
	} {
		if got != want {
			t.Errorf("constant = %q, want %q", got, want)
		}
	}
}

func TestSwitchboardCarryKeepsNothing(t *testing.T) {
	n := 4 // the port already numbered 4 calls
	s := NewCountedSwitchboard(func() int { n++; return n })
	m := s.Carry("getScrollSize", nil)
	if want := (Message{Action: ActionGet, Method: "getScrollSize", MessageID: "m_superset-embedded-sdk_5"}); m != want {
		t.Errorf("Carry = %+v, want %+v", m, want)
	}
	if s.Pending() != 0 {
		t.Error("a carried call is pending in the switchboard: its port settles it")
	}
	called := false
	c := s.Call("getDataMask", nil, func(Reply) { called = true })
	if c.MessageID != MessageID(6) || s.Pending() != 1 {
		t.Errorf("Call after Carry: id %s, %d pending", c.MessageID, s.Pending())
	}
	// The answer of a carried call is no answer of the switchboard's.
	if s.Settle(Message{Action: ActionReply, MessageID: m.MessageID}) || called {
		t.Error("the switchboard settled a call it did not keep")
	}
}
