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

// MessageIDPrefix starts every id of a call the host makes; the n-th call
// on a port is MessageIDPrefix followed by n, from 1.
const MessageIDPrefix = "m_" + switchboardName + "_"

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
	count   func() int
	pending map[string]pendingCall
}

type pendingCall struct {
	method string
	done   func(Reply)
}

// NewSwitchboard returns a switchboard with no calls in flight that numbers
// its calls itself: ids start at 1 for every port, as upstream's do.
func NewSwitchboard() *Switchboard {
	n := 0
	return NewCountedSwitchboard(func() int { n++; return n })
}

// NewCountedSwitchboard returns a switchboard whose calls take their numbers
// from count, which returns 1, 2, … over the port's life: the port's own
// counter, when the loader also makes calls on the port (it carries some
// itself), so that no two calls share an id.
func NewCountedSwitchboard(count func() int) *Switchboard {
	return &Switchboard{count: count, pending: map[string]pendingCall{}}
}

// MessageID is the id of the n-th call on a port.
func MessageID(n int) string { return MessageIDPrefix + strconv.Itoa(n) }

// Call registers a call of method and returns the `get` message to post.
// done runs exactly once: when the reply arrives or when the port closes.
func (s *Switchboard) Call(method string, args any, done func(Reply)) Message {
	m := s.Carry(method, args)
	s.pending[m.MessageID] = pendingCall{method: method, done: done}
	return m
}

// Carry returns the `get` message of a call whose answer the port itself
// hands to the caller (in the browser, a reply settles the caller's Promise
// without a trip into Go): the switchboard numbers it and keeps nothing.
// Whoever carries it ends it with a RemoteError when the page answers with
// an `error`, and with a PortClosedError when the port closes first.
func (s *Switchboard) Carry(method string, args any) Message {
	id := MessageID(s.count())
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
