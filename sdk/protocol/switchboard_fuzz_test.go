package protocol

import (
	"errors"
	"strconv"
	"testing"
)

// FuzzSwitchboard: whatever the page sends back, and in whatever order the
// host calls, fails and closes, every call is answered exactly once — by
// the message that carries its id and a reply or error action, or by Fail,
// or by Close — and nothing else settles anything.
func FuzzSwitchboard(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 2, 3}, "reply", "m_superset-embedded-sdk_1", "boom")
	f.Add([]byte{0, 1, 1, 4, 3}, "error", "m_superset-embedded-sdk_2", "")
	f.Add([]byte{1, 0, 3, 1}, "emit", "", "x")
	f.Add([]byte{0, 0, 0, 2, 2, 2}, "get", "m_superset-embedded-sdk_0", "\x00")
	f.Fuzz(func(t *testing.T, ops []byte, action, id, text string) {
		s := NewSwitchboard()
		answers := map[string]int{} // by call id
		var ids []string
		for i, op := range ops {
			switch op % 5 {
			case 0: // the host calls
				var m Message
				m = s.Call("method"+strconv.Itoa(i), nil, func(r Reply) {
					answers[m.MessageID]++
					var pc *PortClosedError
					var re *RemoteError
					if r.Err != nil && !errors.As(r.Err, &pc) && !errors.As(r.Err, &re) && r.Err.Error() != "unsent" {
						t.Fatalf("call %s answered with %T %v", m.MessageID, r.Err, r.Err)
					}
				})
				if m.Action != ActionGet || m.MessageID == "" {
					t.Fatalf("Call returned %+v", m)
				}
				ids = append(ids, m.MessageID)
			case 1: // the page answers with the fuzzed message
				before := s.Pending()
				settled := s.Settle(Message{Action: action, MessageID: id, Error: text})
				answered := action == ActionReply || action == ActionError
				if settled != (answered && before > 0 && s.Pending() == before-1) {
					t.Fatalf("Settle(%q, %q) = %v with %d then %d pending", action, id, settled, before, s.Pending())
				}
			case 2: // the page answers the latest call properly
				if len(ids) > 0 {
					s.Settle(Message{Action: ActionReply, MessageID: ids[len(ids)-1]})
				}
			case 3: // a post failed
				if len(ids) > 0 {
					s.Fail(ids[int(op)%len(ids)], errors.New("unsent"))
				}
			case 4:
				s.Close("closed")
			}
		}
		s.Close("the end")
		if s.Pending() != 0 {
			t.Fatalf("%d calls pending after Close", s.Pending())
		}
		for _, id := range ids {
			if answers[id] != 1 {
				t.Fatalf("call %s answered %d times", id, answers[id])
			}
		}
	})
}
