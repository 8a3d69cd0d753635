// Package protocol is the host's side of the wire protocol between an
// embedding page and Superset's embedded dashboard (@superset-ui/switchboard
// over a MessageChannel): the handshake constants, the message shapes, and a
// Switchboard per document that numbers calls and matches their answers.
//
//	embed ──Call──▶ Switchboard ──Message──▶ port ──▶ dashboard page
//	embed ◀──Reply── Switchboard ◀──Settle── port ◀── dashboard page
//
// It is pure data: the browser edge carries Messages to and from the port.
package protocol

import "strconv"

// Switchboard actions, as @superset-ui/switchboard writes them on the wire.
const (
	ActionGet   = "get"
	ActionReply = "reply"
	ActionError = "error"
	ActionEmit  = "emit"
)

// CommsMessageType is the `type` of the window message that hands the
// embedded page its end of the MessageChannel.
const CommsMessageType = "__embedded_comms__"

// HandshakePortTransfer is the `handshake` field of that window message.
const HandshakePortTransfer = "port transfer"

// MethodGuestToken is the method the host emits each guest token with.
const MethodGuestToken = "guestToken"

// ProbeMethod is a method no embedded page defines: a `get` of it is
// answered with an `error` by any page that speaks the protocol, and by
// nothing else, which tells an embedded dashboard from a foreign page.
const ProbeMethod = "__dashembed_probe__"

// switchboardName is the name upstream's SDK gives its switchboard; it is part
// of every message id (m_<name>_<n>) and of the page's error texts.
const switchboardName = "superset-embedded-sdk"

// Message is one switchboard message. Args and Result are opaque to pure Go:
// the edge carries browser values through them untouched.
type Message struct {
	Action    string
	Method    string
	MessageID string
	Args      any
	Result    any
	Error     string
}

// Reply is how a pending call ends: with a result, or with an error.
type Reply struct {
	Result any
	Err    error
}

// RemoteError is the error text the other side sent back in an `error` message.
type RemoteError struct {
	Method string
	Text   string
}

func (e *RemoteError) Error() string { return e.Text }

// SendError ends a call whose message could not be posted, most often
// because its arguments cannot be cloned (a function, a DOM node).
type SendError struct {
	Method string
	Reason string
}

func (e *SendError) Error() string {
	return "dashembed: could not send " + e.Method + ": " + e.Reason
}

// PortClosedError ends a call whose document went away before it answered:
// the iframe navigated, or the dashboard was unmounted.
type PortClosedError struct {
	Method string
	Reason string
}

func (e *PortClosedError) Error() string {
	return "dashembed: " + e.Method + " was cancelled: " + e.Reason
}

// Switchboard is the host's side of the protocol on one MessagePort: it
// numbers outgoing calls and matches replies to them. It is not safe for
// concurrent use; the embed's event loop owns it.
type Switchboard struct {
	next    int
	pending map[string]pendingCall
}

type pendingCall struct {
	method string
	done   func(Reply)
}

// NewSwitchboard returns a switchboard with no calls in flight. Ids start at
// 1 for every port, as upstream's do.
func NewSwitchboard() *Switchboard {
	return &Switchboard{next: 1, pending: map[string]pendingCall{}}
}

// Call registers a call of method and returns the `get` message to post.
// done runs exactly once: when the reply arrives or when the port closes.
func (s *Switchboard) Call(method string, args any, done func(Reply)) Message {
	id := "m_" + switchboardName + "_" + strconv.Itoa(s.next)
	s.next++
	s.pending[id] = pendingCall{method: method, done: done}
	return Message{Action: ActionGet, Method: method, MessageID: id, Args: args}
}

// Emit returns the fire-and-forget message for method.
func (s *Switchboard) Emit(method string, args any) Message {
	return Message{Action: ActionEmit, Method: method, Args: args}
}

// Pending reports how many calls await an answer.
func (s *Switchboard) Pending() int { return len(s.pending) }

// Settle hands a `reply` or `error` message to the call it answers. It
// reports false for a message that answers no call of ours (a stale or
// foreign id), which the caller ignores as upstream does.
func (s *Switchboard) Settle(m Message) bool {
	if m.Action != ActionReply && m.Action != ActionError {
		return false
	}
	call, ok := s.pending[m.MessageID]
	if !ok {
		return false
	}
	delete(s.pending, m.MessageID)
	if m.Action == ActionReply {
		call.done(Reply{Result: m.Result})
	} else {
		call.done(Reply{Err: &RemoteError{Method: call.method, Text: m.Error}})
	}
	return true
}

// Fail ends the call with id with err, as when its message could not be
// sent at all.
func (s *Switchboard) Fail(id string, err error) {
	if call, ok := s.pending[id]; ok {
		delete(s.pending, id)
		call.done(Reply{Err: err})
	}
}

// Close rejects every call in flight with a PortClosedError giving reason.
func (s *Switchboard) Close(reason string) {
	calls := s.pending
	s.pending = map[string]pendingCall{}
	for _, c := range calls {
		c.done(Reply{Err: &PortClosedError{Method: c.method, Reason: reason}})
	}
}

// UndefinedMethodReply is the `error` answer to a `get` of a method this side
// does not define, worded as upstream's switchboard words it.
func UndefinedMethodReply(m Message) Message {
	return Message{
		Action:    ActionError,
		MessageID: m.MessageID,
		Error:     "[" + switchboardName + "] Method \"" + m.Method + "\" is not defined",
	}
}
