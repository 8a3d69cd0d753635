//go:build js && wasm

package jsedge

import (
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/dashboard"
)

// glue is the loader's small JavaScript helper object (wasm/loader/glue.js).
// Promise callbacks and event listeners are JavaScript closures made by glue
// that call back into Go through functions registered once, keyed by an
// integer id. So an embed creates no js.Func of its own, and nothing it
// owns can leak through one: unmount just forgets its ids.
var glue safejs.Value

// callbacks maps ids to the Go side of pending Promises and live listeners.
// The mutex guards the maps only; it is never held while JavaScript runs.
var callbacks = struct {
	sync.Mutex
	next     int
	settles  map[int]func(ok bool, v safejs.Value)
	handlers map[int]func(args []safejs.Value)
}{settles: map[int]func(bool, safejs.Value){}, handlers: map[int]func([]safejs.Value){}}

// nextIDLocked returns a fresh id for glue's registries; the caller holds
// callbacks' lock.
func nextIDLocked() int {
	callbacks.next++
	return callbacks.next
}

// nextID returns a fresh id for glue's registries.
func nextID() int {
	callbacks.Lock()
	defer callbacks.Unlock()
	return nextIDLocked()
}

// addHandler registers handler under a new id for glue's listeners to call.
func addHandler(handler func(args []safejs.Value)) (id int, forget func()) {
	callbacks.Lock()
	id = nextIDLocked()
	callbacks.handlers[id] = handler
	callbacks.Unlock()
	return id, func() {
		callbacks.Lock()
		delete(callbacks.handlers, id)
		callbacks.Unlock()
	}
}

// await calls fn(args...) through glue.invoke, which turns a synchronous
// throw, a rejection and a plain value alike into one settle(id, ok, value).
func await(fn safejs.Value, done func(ok bool, v safejs.Value), args ...any) {
	callbacks.Lock()
	id := nextIDLocked()
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
	return listenWith("listen", target, event, func(args []safejs.Value) { handler(argAt(args, 0)) })
}

// listenWith registers handler and asks glue[helper](target, extra..., id)
// to call it; the helper returns the function that stops it.
func listenWith(helper string, target safejs.Value, extra any, handler func(args []safejs.Value)) (func(), error) {
	id, forget := addHandler(handler)
	args := []any{target}
	if extra != nil {
		args = append(args, extra)
	}
	remover, err := glue.Call(helper, append(args, id)...)
	if err != nil {
		forget()
		return nil, err
	}
	return func() {
		forget()
		_, _ = remover.Invoke()
	}, nil
}

// onEvent is called by glue for each event or message a listener receives.
func onEvent(id int, args []safejs.Value) {
	callbacks.Lock()
	handler := callbacks.handlers[id]
	callbacks.Unlock()
	if handler != nil {
		handler(args)
	}
}

func argAt(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// newPromise returns a JavaScript Promise and the function that settles it
// (once; later calls do nothing).
func newPromise() (safejs.Value, func(ok bool, v any)) {
	id := nextID()
	p, err := glue.Call("promise", id)
	if err != nil {
		return safejs.Undefined(), func(bool, any) {}
	}
	return p, func(ok bool, v any) { _, _ = glue.Call("fulfil", id, ok, toJS(v)) }
}

// rejected returns a Promise already rejected with err.
func rejected(err error) safejs.Value {
	p, settle := newPromise()
	settle(false, jsError(err))
	return p
}

// jsError is err as a JavaScript Error with its name and code.
func jsError(err error) safejs.Value {
	return errorValue(err.Error(), errorFields(err)...)
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

// errorFields gives a Go error's name, code and option as JavaScript
// Error fields, in pairs.
func errorFields(err error) []any {
	f := dashboard.Describe(err)
	fields := []any{"code", f.Code}
	if f.Name != "" {
		fields = append(fields, "name", f.Name)
	}
	if f.Option != "" {
		fields = append(fields, "option", f.Option)
	}
	return fields
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

// inMicrotask runs fn in a microtask, once the JavaScript call under way returns.
func inMicrotask(fn func()) {
	var forget func()
	var id int
	id, forget = addHandler(func([]safejs.Value) {
		forget()
		fn()
	})
	if _, err := glue.Call("soon", id); err != nil {
		forget()
	}
}
