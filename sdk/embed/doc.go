// Package embed is one embedded dashboard's life, as a state machine in pure
// Go: mounting the iframe, telling an embedded dashboard from a foreign page,
// the guest-token cycle, calls to the page, autoResize, lifecycle events and
// teardown.
//
// An Embed talks to the page only through a Browser (the browser edge
// implements it over the DOM, tests over fakes), and takes every callback
// from it through a serial queue, so its state is touched by one function at a
// time whatever the browser does:
//
//	Browser ──load, message, timer, token──▶ serial queue ──▶ Embed state ──▶ Browser (mount, post, timers)
//	                                                         └──▶ listeners (ready, tokenRefreshed, …)
//
// The files follow the concepts: embed.go (the type, start and readiness),
// early.go (adopting what the JavaScript fast path started), document.go
// (each document the iframe shows: handshake, probe, messages), tokencycle.go
// (fetch, deliver, retry), tokenschedule.go (when the next token is due: by
// the wall clock, through frozen, sleeping, hidden and offline pages),
// stall.go (telling a page that did not run from one that did not answer),
// resize.go (the autoResize loop),
// calls.go (methods the host app calls and the page calls back), events.go
// (listeners), teardown.go (unmount) and log.go.
package embed
