//go:build js && wasm

package jsedge

import (
	"errors"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/dashboard"
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// bootKey is the global the loader sets to its glue object just before
// starting the Go program; Serve takes it and deletes it.
const bootKey = "__dashembed_glue__"

// embeds maps the integer handles JavaScript holds to live embeds.
var embeds = struct {
	sync.Mutex
	next int
	byID map[int]*embed.Embed
}{byID: map[int]*embed.Embed{}}

// Serve connects the SDK to the loader's glue and blocks for ever, as a wasm
// program serving JavaScript must.
func Serve() {
	global := safejs.Global()
	g, err := global.Get(bootKey)
	if err != nil || g.Type() != safejs.TypeObject {
		console("error", "dashembed: the wasm was started without its loader")
		return
	}
	glue = g
	_ = global.Delete(bootKey)
	// These functions live as long as the program: they are the only
	// js.Funcs the SDK ever makes.
	register("embed", func(args []safejs.Value) any { return embedDashboard(argAt(args, 0), argAt(args, 1)) })
	register("call", func(args []safejs.Value) any { return dispatch(args) })
	register("settle", func(args []safejs.Value) any {
		id, _ := argAt(args, 0).Int()
		ok, _ := argAt(args, 1).Bool()
		onSettle(id, ok, argAt(args, 2))
		return nil
	})
	register("event", func(args []safejs.Value) any {
		id, _ := argAt(args, 0).Int()
		onEvent(id, args[1:])
		return nil
	})
	register("message", func(args []safejs.Value) any {
		id, _ := argAt(args, 0).Int()
		onEvent(id, args[1:])
		return nil
	})
	// A carrier's call the page answered with an `error`: Go builds the
	// Error it rejects with, as for the calls it settles itself.
	register("refuse", func(args []safejs.Value) any {
		err := &protocol.RemoteError{Method: stringOf(argAt(args, 1)), Text: stringOf(argAt(args, 2))}
		_, _ = argAt(args, 0).Invoke(jsError(err))
		return nil
	})
	_, _ = glue.Call("started")
	select {}
}

// register exposes fn to JavaScript as glue[name]. A panic under fn is
// recovered here: unrecovered, it would end the Go program and with it every
// embed on the page. The caller gets a rejected Promise instead.
func register(name string, fn func(args []safejs.Value) any) {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if v := recover(); v != nil {
				err := errors.New("dashembed: internal error in " + name + ": " + embed.PanicText(v))
				console("error", err.Error())
				result = rejected(err)
			}
		}()
		return fn(args)
	})
	if err == nil {
		_ = glue.Set(name, f.Value())
	}
}

func console(level, line string) {
	c, _ := safejs.Global().Get("console")
	_, _ = c.Call(level, line)
}

// embedDashboard opens an embed of the options raw. Its Promise resolves to
// the embed's handle, which the loader wraps in the object upstream's SDK
// returns. early is what the loader's fast path started for this embed
// while the wasm loaded (undefined if nothing).
func embedDashboard(raw, early safejs.Value) safejs.Value {
	embeds.Lock()
	embeds.next++
	handle := embeds.next
	embeds.Unlock()
	promise, settle := newPromise()
	e, err := dashboard.Open(copyValue(raw, 0), &domBrowser{handle: handle, early: early}, &host{handle: handle}, func(err error) {
		if err != nil {
			forget(handle)
			collectSoon()
			settle(false, jsError(err))
			return
		}
		settle(true, handle)
	})
	if err != nil {
		return rejected(err)
	}
	embeds.Lock()
	embeds.byID[handle] = e
	embeds.Unlock()
	e.Start()
	return promise
}

// dispatch runs one method of the object embedDashboard resolved to; the
// loader calls it as call(handle, method, args). A Promise method returns a
// Promise; the others return their value, or an Error the loader throws.
func dispatch(args []safejs.Value) any {
	handle, _ := argAt(args, 0).Int()
	method, _ := argAt(args, 1).String()
	list := argAt(args, 2)
	n, _ := list.Length()
	callArgs := make([]dashboard.Arg, n)
	for i := range callArgs {
		v, _ := list.Index(i)
		callArgs[i] = &jsArg{raw: v}
	}
	e := lookup(handle)
	h := &host{handle: handle}
	if dashboard.KindOf(method) == contract.KindPromise {
		return callAsync(e, h, method, callArgs)
	}
	v, err := dashboard.Call(e, h, method, callArgs, nil)
	if err != nil {
		return jsError(err)
	}
	return toJS(v)
}

// callAsync runs a Promise method. The Promise is the port's own when the
// call is carried (dashboard.Call); otherwise it is made here, once Call
// has returned: making one first for every call would cost a carried call
// a crossing into JavaScript for nothing.
func callAsync(e *embed.Embed, h *host, method string, args []dashboard.Arg) safejs.Value {
	var (
		inCall  = true
		ok      bool
		outcome any
		settled bool
		later   func(bool, any)
	)
	answer, _ := dashboard.Call(e, h, method, args, func(result any, err error) {
		ok, outcome = err == nil, result
		if err != nil {
			outcome = jsError(err)
		}
		if !inCall {
			later(ok, outcome)
			return
		}
		settled = true
	})
	inCall = false
	if v, carried := answer.(safejs.Value); carried {
		return v
	}
	promise, settle := newPromise()
	if settled {
		settle(ok, outcome)
	} else {
		later = settle
	}
	return promise
}

// jsArg is a method argument: copied only if a rule needs to look at it,
// since most are carried to the page untouched.
type jsArg struct {
	raw    safejs.Value
	copied bool
	value  any
}

func (a *jsArg) Value() any {
	if !a.copied {
		a.copied, a.value = true, copyValue(a.raw, maxCopyDepth)
	}
	return a.value
}

func (a *jsArg) Raw() any { return a.raw }

// host carries out what the dashboard's methods ask of the page.
type host struct{ handle int }

func (*host) Report(fn any, arg any) { report(fn.(safejs.Value), arg) }

func (*host) Await(fn any, arg any, done func(any, error)) {
	await(fn.(safejs.Value), func(ok bool, v safejs.Value) {
		if !ok {
			done(nil, errors.New(jsErrorText(v)))
			return
		}
		done(v, nil)
	}, toJS(arg))
}

func (*host) Soon(f func())    { inMicrotask(f) }
func (*host) Warn(line string) { console("warn", line) }

func (h *host) Released() {
	forget(h.handle)
	collectSoon()
}

func forget(handle int) {
	embeds.Lock()
	delete(embeds.byID, handle)
	embeds.Unlock()
}

func lookup(handle int) *embed.Embed {
	embeds.Lock()
	defer embeds.Unlock()
	return embeds.byID[handle]
}
