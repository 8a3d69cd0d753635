package embed

import (
	"strconv"
	"time"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// document is what the iframe shows between two load events.
type document struct {
	seq         int
	port        Port
	sb          *protocol.Switchboard
	embedded    bool // answered the probe
	foreign     bool // did not answer it in time
	hasToken    bool
	announced   bool // EventReady sent for this document
	cancelProbe func()
	probedAt    time.Time // when the probe's wait began
}

// onLoad opens a channel to the document the iframe just loaded and probes
// it: only an embedded dashboard answers.
func (e *Embed) onLoad() {
	if e.unmounted {
		return
	}
	if e.cancelMount != nil {
		e.cancelMount()
		e.cancelMount = nil
	}
	e.loads++
	e.closeDocument(reasonNavigated)
	d := &document{seq: e.loads}
	port, err := e.frame.Connect(e.plan.Origin, func(m protocol.Message) { e.serial.Do(func() { e.onMessage(d, m) }) })
	if err != nil {
		e.fail(contract.CodeHandshakeTimeout, "could not open a channel to the iframe: "+err.Error())
		return
	}
	d.port = port
	d.sb = protocol.NewCountedSwitchboard(port.Count)
	e.doc = d
	e.route()
	e.debug("sent message channel to the iframe (document ", strconv.Itoa(d.seq), ")")
	e.waitProbe(d)
	e.call(d, protocol.ProbeMethod, nil, func(r protocol.Reply) { e.onProbe(d, r) })
	// The first document is the one embedDashboard was asked for: its token
	// goes out as soon as it exists, as upstream's does, rather than a round
	// trip later. Later documents get one only once they prove embedded.
	if d.seq == 1 && e.tokens.current != "" {
		e.deliver(d)
	}
}

func (e *Embed) onProbe(d *document, r protocol.Reply) {
	// Only an answer from the page counts: its `error` for the undefined
	// method, or (from an odd page) a reply.
	if _, answered := r.Err.(*protocol.RemoteError); (r.Err != nil && !answered) || d != e.doc {
		return
	}
	d.cancelProbe()
	d.embedded = true
	e.debug("document ", strconv.Itoa(d.seq), " is an embedded dashboard")
	e.syncResize()
	if d.seq > 1 {
		e.emit(contract.EventNavigated, Detail{"url": e.plan.Src, "embedded": true})
	}
	switch {
	case d.hasToken:
		e.announce(d)
	case e.tokens.current != "" && (d.seq == 1 || e.tokens.load == d.seq):
		// The first document takes the token fetched with the mount; a
		// later one takes a token that landed after it loaded (a fetch that
		// was under way when the iframe navigated) rather than a new one.
		e.deliver(d)
	default:
		// A navigated document needs a token of its own, freshly minted;
		// one fetch may already be on its way, and it will do.
		e.fetchToken()
	}
}

// waitProbe gives d's page HandshakeTimeout of running time to answer.
func (e *Embed) waitProbe(d *document) {
	d.probedAt = e.now()
	d.cancelProbe = e.b.AfterFunc(e.p.HandshakeTimeout, e.later(func() { e.onProbeTimeout(d) }))
}

func (e *Embed) onProbeTimeout(d *document) {
	if d != e.doc || d.embedded {
		return
	}
	if e.stalledSince(d.probedAt) {
		// The page was frozen or asleep meanwhile: its answer may be
		// waiting behind this timer. Judge it on running time.
		e.debug("the page did not run for a while: waiting again for document ", strconv.Itoa(d.seq))
		e.waitProbe(d)
		return
	}
	d.foreign = true
	e.route()
	d.sb.Close(reasonForeign)
	d.port.Close(reasonForeign)
	if d.seq == 1 {
		err := &Error{Code: contract.CodeHandshakeTimeout, Message: "the dashboard at " + e.plan.Src +
			" did not answer within " + millis(e.p.HandshakeTimeout) + ": check that the BI host allows " +
			"framing by this page (X-Frame-Options, CSP frame-ancestors, allowed domains) and that the " +
			"domain and id are right"}
		e.fail(err.Code, err.Message)
		if e.ready != nil {
			e.settleReady(err)
			e.unmount()
		}
		return
	}
	e.debug("document ", strconv.Itoa(d.seq), " is not an embedded dashboard: no token sent")
	e.emit(contract.EventNavigated, Detail{"url": "", "embedded": false})
}

// onMessage handles what d's page sends: answers to our calls, and calls
// of the methods the host defines.
func (e *Embed) onMessage(d *document, m protocol.Message) {
	if d != e.doc {
		return
	}
	e.debug("received ", describe(m))
	switch m.Action {
	case protocol.ActionReply, protocol.ActionError:
		d.sb.Settle(m)
	case protocol.ActionGet:
		fn, ok := e.methods[m.Method]
		if !ok {
			e.post(d, protocol.UndefinedMethodReply(m))
			return
		}
		fn(m.Args, func(result any, err error) {
			e.serial.Do(func() {
				if err != nil {
					e.post(d, protocol.Message{Action: protocol.ActionError, MessageID: m.MessageID, Error: err.Error()})
					return
				}
				e.post(d, protocol.Message{Action: protocol.ActionReply, MessageID: m.MessageID, Result: result})
			})
		})
	case protocol.ActionEmit:
		if fn, ok := e.methods[m.Method]; ok {
			fn(m.Args, nil)
		}
	}
}

func (e *Embed) post(d *document, m protocol.Message) {
	if d.port == nil {
		return
	}
	e.debug("sent ", describe(m))
	if err := d.port.Post(m); err != nil {
		e.debug("could not post: ", err.Error())
		if m.Action == protocol.ActionGet {
			d.sb.Fail(m.MessageID, &protocol.SendError{Method: m.Method, Reason: err.Error()})
		}
	}
}

func (e *Embed) call(d *document, method string, args any, done func(protocol.Reply)) {
	e.post(d, d.sb.Call(method, args, done))
}

// closeDocument ends the current document: its calls in flight reject
// with reason, its port closes and the resize loop stops.
func (e *Embed) closeDocument(reason string) {
	d := e.doc
	if d == nil {
		return
	}
	e.doc = nil
	e.route()
	e.stopResize()
	if d.cancelProbe != nil {
		d.cancelProbe()
	}
	d.sb.Close(reason)
	d.port.Close(reason)
}

// Why a document's calls in flight were cut off, as their PortClosedError
// says.
const (
	reasonNavigated = "the iframe navigated to a new document"
	reasonReplaced  = "the iframe was replaced"
	reasonUnmounted = "the dashboard is unmounted"
	reasonForeign   = "the iframe does not show an embedded dashboard"
)
