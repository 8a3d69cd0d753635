package embed

import (
	"time"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/protocol"
	"github.com/dashembed/dashembed/sdk/token"
)

// tokenCycle is the guest token's state: the current token, which document
// it is fresh for, the fetch under way and the next one due.
type tokenCycle struct {
	current   string
	load      int // e.loads when current arrived: which document it is fresh for
	delivered int // tokens delivered to any document

	policy     token.RefreshPolicy
	failures   int       // failures in a row, for backoff
	dueAt      time.Time // when the next token is due, by the wall clock
	visibleDue time.Time // when it would be due in a visible page
	retrying   bool      // dueAt is a retry's, not the token's schedule
	offlineDue bool      // a refresh fell due while the browser was offline

	hidden      bool      // document.hidden, as last reported
	hiddenSince time.Time // when the page was last hidden (zero: unknown, long ago)

	fetching      bool
	fetchStarted  time.Time // when the fetch under way began
	fetchDeadline time.Time // when the fetch under way times out, by the wall clock
	gen           int       // numbers fetches, so a late answer is recognised
	abandon       func()    // withdraws from the fetch under way
	cancelFetch   func()    // the fetch's timeout
	cancelRetry   func()    // the next refresh or retry

	joinEarly bool   // the first fetch joins the fast path's call
	earlySent string // the token the fast path sent to the first document
}

// fetchToken starts a fetchGuestToken call unless one is under way: its
// result goes to whichever document is current when it lands.
func (e *Embed) fetchToken() {
	t := &e.tokens
	if t.fetching || e.unmounted {
		return
	}
	if t.cancelRetry != nil {
		t.cancelRetry()
		t.cancelRetry = nil
	}
	t.fetching = true
	t.fetchStarted = e.now()
	t.offlineDue = false
	t.gen++
	gen := t.gen
	done := func(v any, err error) { e.serial.Do(func() { e.onToken(gen, v, err) }) }
	e.debug("fetching a guest token")
	joined := false
	if t.joinEarly {
		// The fast path called fetchGuestToken already: wait for that call
		// rather than make a second one.
		t.joinEarly = false
		t.abandon, joined = e.b.FetchEarlyToken(done)
	}
	if !joined {
		t.abandon = e.b.FetchToken(e.p.FetchGuestToken, done)
	}
	if limit := e.p.GuestTokenFetchTimeout; limit > 0 {
		t.fetchDeadline = e.now().Add(limit)
		t.cancelFetch = e.b.AfterFunc(limit, e.later(func() { e.fetchTimedOut(gen) }))
	}
}

// dropFetch withdraws from the fetch under way, whose answer, if it ever
// comes, is then ignored.
func (e *Embed) dropFetch() {
	t := &e.tokens
	t.gen++
	t.fetching = false
	for _, cancel := range []func(){t.abandon, t.cancelFetch} {
		if cancel != nil {
			cancel()
		}
	}
	t.abandon, t.cancelFetch = nil, nil
}

func (e *Embed) fetchTimedOut(gen int) {
	e.onToken(gen, nil, &Error{Code: contract.CodeTokenFetchFailed,
		Message: "fetchGuestToken did not resolve within " + millis(e.p.GuestTokenFetchTimeout)})
}

func (e *Embed) onToken(gen int, v any, err error) {
	t := &e.tokens
	if e.unmounted || gen != t.gen || !t.fetching {
		return
	}
	t.fetching = false
	if t.cancelFetch != nil {
		t.cancelFetch()
		t.cancelFetch = nil
	}
	// On a timeout, stop waiting for the call so that the next attempt
	// starts a new one instead of joining it.
	if t.abandon != nil {
		t.abandon()
		t.abandon = nil
	}
	tok, isString := v.(string)
	switch {
	case err != nil:
		if _, coded := err.(*Error); !coded {
			err = &Error{Code: contract.CodeTokenFetchFailed, Message: "fetchGuestToken failed: " + err.Error()}
		}
	case !isString || tok == "":
		err = &Error{Code: contract.CodeTokenInvalid,
			Message: "fetchGuestToken must resolve to a non-empty string, got " + jsvalue.TypeName(v)}
	}
	if err != nil {
		e.tokenFailed(err)
		return
	}
	t.current = tok
	t.load = e.loads
	plan := e.planRefresh(tok)
	if d := e.doc; d != nil && (d.embedded || (d.seq == 1 && !d.foreign)) {
		e.deliver(d)
	}
	if plan.Expired {
		// Delivered all the same (only the BI host can judge it), but a
		// token dead on arrival is a failure: back off instead of fetching
		// another every few seconds, as upstream does.
		e.tokenFailed(&Error{Code: contract.CodeTokenInvalid, Message: "the guest token has already expired (or expires within " +
			millis(token.RefreshBuffer) + "): check the BI host's token lifetime and both clocks"})
		return
	}
	t.failures = 0
	t.visibleDue, t.retrying = e.now().Add(plan.Refresh), false
	e.armRefresh()
	if t.delivered > 1 && plan.Known {
		// exp is the claim as issued, for apps that compare it with the
		// token; expiresAtMs is when it expires by this browser's clock.
		e.emit(contract.EventTokenRefreshed, Detail{"exp": plan.Exp,
			"expiresAtMs": float64(plan.ExpiresAt.UnixMilli())})
	}
}

// planRefresh reads a token's claims; a token that is not a JWT is reported
// and refreshed after the default lifetime, never in a loop.
func (e *Embed) planRefresh(tok string) token.TokenPlan {
	c, err := token.ParseClaims(tok)
	if err != nil {
		e.fail(contract.CodeTokenInvalid, err.Error()+": it is sent to the dashboard as it is, which will most likely refuse it")
		return token.TokenPlan{Refresh: token.RefreshDelay(time.Time{}, false, e.now())}
	}
	return e.tokens.policy.Plan(c, e.b.ParseDate, e.now())
}

// tokenFailed handles a fetch that gave no usable token. Before the first
// token, embedDashboard rejects and the iframe goes, as upstream does; after
// it, the current token stays and the fetch is retried.
func (e *Embed) tokenFailed(err error) {
	t := &e.tokens
	e.debug("guest token failed: ", err.Error())
	if e.ready != nil && t.current == "" {
		e.settleReady(err)
		e.unmount()
		return
	}
	t.failures++
	retry := t.policy.Retry(t.failures)
	code := contract.CodeTokenFetchFailed
	if ee, ok := err.(*Error); ok {
		code = ee.Code
	}
	e.emit(contract.EventTokenError, Detail{"error": err.Error(), "code": code, "retryInMs": float64(retry.Milliseconds())})
	e.fail(code, err.Error())
	t.visibleDue, t.retrying = e.now().Add(retry), true
	e.armRefresh()
}

// deliver sends the current token to d, then replays the theme to a
// navigated document.
func (e *Embed) deliver(d *document) {
	first := !d.hasToken
	if !e.alreadySent(d) {
		e.post(d, protocol.Message{Action: protocol.ActionEmit, Method: protocol.MethodGuestToken,
			Args: map[string]any{"guestToken": e.tokens.current}})
	}
	d.hasToken = true
	e.tokens.delivered++
	e.debug("sent guest token")
	if first && d.seq > 1 {
		e.replayTo(d)
	}
	if d.embedded {
		e.announce(d)
	}
}

// stop cancels the fetch under way and every token timer.
func (t *tokenCycle) stop() {
	for _, cancel := range []func(){t.abandon, t.cancelFetch, t.cancelRetry} {
		if cancel != nil {
			cancel()
		}
	}
	t.abandon, t.cancelFetch, t.cancelRetry = nil, nil, nil
}
