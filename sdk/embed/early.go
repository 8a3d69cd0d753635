package embed

// The JavaScript fast path (wasm/loader/early.js) mounts the iframe, hands
// its first document a port and starts fetchGuestToken while the wasm is
// still loading, so that a cold embed is as quick as upstream's. When Go
// starts, the embed decides here what to keep: the fast path's iframe only
// if it is exactly the one this embed plans, and then its port, the token it
// already sent and its fetch still in flight.

// mount adopts the fast path's iframe, or mounts a new one.
func (e *Embed) mount() (Frame, error) {
	if f := e.adoptEarly(); f != nil {
		return f, nil
	}
	return e.b.Mount(e.plan, e.p.MountPoint, e.later(e.onLoad))
}

// adoptEarly takes over what the fast path started, if anything, and
// returns its iframe; nil means mount anew.
func (e *Embed) adoptEarly() Frame {
	plan, ok := e.b.EarlyPlan()
	if !ok {
		return nil
	}
	// Whatever becomes of its iframe, the fast path's fetchGuestToken call
	// was made with these very options: the first token comes from it.
	e.tokens.joinEarly = true
	if !plan.Equal(e.plan) {
		e.debug("the iframe mounted while the SDK loaded differs from these options: mounting anew")
		e.b.DiscardEarly(reasonReplaced)
		return nil
	}
	loads, sent := e.b.ReleaseEarly()
	// The fast path opens a port on the first load only: after a second
	// one, that port belongs to a document that is gone.
	keepPort := loads == 1
	dropReason := ""
	if !keepPort {
		dropReason = reasonNavigated
	}
	frame, err := e.b.AdoptEarly(e.later(e.onLoad), dropReason)
	if err != nil {
		e.debug("could not adopt the early iframe (", err.Error(), "): mounting anew")
		e.b.DiscardEarly(reasonReplaced)
		return nil
	}
	if keepPort {
		e.tokens.earlySent = sent
	}
	if loads > 0 {
		// The loads so far count as one: the document it shows now. It is
		// handled once Start's work is done.
		e.serial.Do(e.onLoad)
	}
	return frame
}

// alreadySent reports whether the fast path sent this very token to d
// before Go adopted its port; the page then gets it once, not twice.
func (e *Embed) alreadySent(d *document) bool {
	sent := e.tokens.earlySent
	if sent == "" || d.seq != 1 {
		return false
	}
	e.tokens.earlySent = ""
	return sent == e.tokens.current
}
