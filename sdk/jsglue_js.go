//go:build js && wasm

package sdk

import (
	"sync"

	"github.com/hack-pad/safejs"
)

// glue is the loader's small JavaScript helper object (wasm/loader/glue.js).
// Promise callbacks and event listeners are JavaScript closures made by glue
// that call back into Go through four functions registered once, keyed by
// an integer id. So an embed creates no js.Func of its own, and nothing it
// owns can leak through one: unmount just forgets its ids.
var glue safejs.Value

// callbacks maps ids to the Go side of pending Promises and live listeners.
// The mutex guards the maps only; it is never held while JavaScript runs.
var callbacks = struct {
	sync.Mutex
	next     int
	settles  map[int]func(ok bool, v safejs.Value)
	handlers map[int]func(ev safejs.Value)
}{settles: map[int]func(bool, safejs.Value){}, handlers: map[int]func(safejs.Value){}}

func newID() int {
	callbacks.next++
	return callbacks.next
}

// await calls fn(args...) through glue.invoke, which turns a synchronous
// throw, a rejection and a plain value alike into one settle(id, ok, value).
func await(fn safejs.Value, done func(ok bool, v safejs.Value), args ...any) {
	callbacks.Lock()
	id := newID()
	callbacks.settles[id] = done
	callbacks.Unlock()
	if _, err := glue.Call("invoke", append([]any{fn, id}, args...)...); err != nil {
		onSettle(id, false, errorValue(err.Error()))
	}
}

// onSettle is called by glue when a Promise started by await settles.
func onSettle(id int, ok bool, v safejs.Value) {
	callbacks.Lock()
	done := callbacks.settles[id]
	delete(callbacks.settles, id)
	callbacks.Unlock()
	if done != nil {
		done(ok, v)
	}
}

// listen adds an event listener through glue and returns its remover.
func listen(target safejs.Value, event string, handler func(ev safejs.Value)) (remove func(), err error) {
	callbacks.Lock()
	id := newID()
	callbacks.handlers[id] = handler
	callbacks.Unlock()
	remover, err := glue.Call("listen", target, event, id)
	forget := func() {
		callbacks.Lock()
		delete(callbacks.handlers, id)
		callbacks.Unlock()
	}
	if err != nil {
		forget()
		return nil, err
	}
	return func() {
		forget()
		_, _ = remover.Invoke()
	}, nil
}

// onEvent is called by glue for each event a listen listener receives.
func onEvent(id int, ev safejs.Value) {
	callbacks.Lock()
	handler := callbacks.handlers[id]
	callbacks.Unlock()
	if handler != nil {
		handler(ev)
	}
}

// deferred returns a new Promise and the functions that settle it.
func deferred() (promise, resolve, reject safejs.Value) {
	d, err := glue.Call("deferred")
	if err != nil {
		return safejs.Undefined(), safejs.Undefined(), safejs.Undefined()
	}
	promise, _ = d.Get("promise")
	resolve, _ = d.Get("resolve")
	reject, _ = d.Get("reject")
	return promise, resolve, reject
}

// rejected returns a Promise already rejected with err.
func rejected(err error) safejs.Value {
	p, _, reject := deferred()
	_, _ = reject.Invoke(errorValue(err.Error(), errorFields(err)...))
	return p
}

// errorValue builds a JavaScript Error with message and, in pairs, extra
// properties (name, code, option…), through glue.error.
func errorValue(message string, fields ...any) safejs.Value {
	v, err := glue.Call("error", append([]any{message}, fields...)...)
	if err != nil {
		return safejs.Null()
	}
	return v
}

// errorFields gives a Go error's name and code as JavaScript Error fields.
func errorFields(err error) []any {
	switch e := err.(type) {
	case *OptionError:
		return []any{"name", "DashembedError", "code", "INVALID_OPTION", "option", e.Option}
	case *PortClosedError:
		return []any{"name", "PortClosedError", "code", "PORT_CLOSED"}
	case *EmbedError:
		return []any{"name", "DashembedError", "code", e.Code}
	case *RemoteError:
		return []any{"code", "REMOTE_ERROR"}
	}
	return []any{"name", "DashembedError"}
}

// report calls a host app's listener through glue, which catches and logs
// what it throws so the SDK goes on.
func report(fn safejs.Value, arg any) {
	_, _ = glue.Call("report", fn, toJS(arg))
}

// jsErrorText is the message of a JavaScript value thrown or rejected.
func jsErrorText(v safejs.Value) string {
	s, err := glue.Call("describe", v)
	if err != nil {
		return "unknown error"
	}
	text, _ := s.String()
	return text
}
