//go:build js && wasm

package sdk

import (
	"errors"
	"sync"

	"github.com/hack-pad/safejs"
)

// bootKey is the global the loader sets to its glue object just before
// starting the Go program; Serve takes it and deletes it.
const bootKey = "__dashembed_glue__"

// embeds maps the integer handles JavaScript holds to live embeds.
var embeds = struct {
	sync.Mutex
	next int
	byID map[int]*Embed
}{byID: map[int]*Embed{}}

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
	register("embed", func(args []safejs.Value) any { return embedDashboard(arg(args, 0), arg(args, 1)) })
	register("call", func(args []safejs.Value) any { return dispatch(args) })
	register("settle", func(args []safejs.Value) any {
		id, _ := arg(args, 0).Int()
		ok, _ := arg(args, 1).Bool()
		onSettle(id, ok, arg(args, 2))
		return nil
	})
	register("event", func(args []safejs.Value) any {
		id, _ := arg(args, 0).Int()
		onEvent(id, args[1:])
		return nil
	})
	register("message", func(args []safejs.Value) any {
		id, _ := arg(args, 0).Int()
		onEvent(id, args[1:])
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
				err := errors.New("dashembed: internal error in " + name + ": " + panicText(v))
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

func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

func console(level, line string) {
	c, _ := safejs.Global().Get("console")
	_, _ = c.Call(level, line)
}

// embedDashboard validates the options and starts an embed. Its Promise
// resolves to the embed's handle, which the loader wraps in the object
// upstream's SDK returns. early is what the loader's fast path started for
// this embed while the wasm loaded (undefined if nothing).
func embedDashboard(raw, early safejs.Value) safejs.Value {
	p, err := ParseParams(copyValue(raw, 0))
	if err != nil {
		if typeOf(early) == safejs.TypeObject {
			_, _ = early.Call("abort")
		}
		return rejected(err)
	}
	promise, settle := newPromise()
	embeds.Lock()
	embeds.next++
	handle := embeds.next
	embeds.Unlock()
	e := NewEmbed(p, &domBrowser{early: early}, func(err error) {
		if err != nil {
			forget(handle)
			collectSoon()
			settle(false, jsError(err))
			return
		}
		settle(true, handle)
	})
	embeds.Lock()
	embeds.byID[handle] = e
	embeds.Unlock()
	e.Define("resolvePermalinkUrl", permalinkResolver(p.ResolvePermalinkURL))
	if p.Debug {
		for _, k := range p.UnknownKeys {
			console("warn", "dashembed: ignoring unknown option \""+k+"\"")
		}
	}
	e.Start()
	return promise
}

func forget(handle int) {
	embeds.Lock()
	delete(embeds.byID, handle)
	embeds.Unlock()
}

func lookup(handle int) *Embed {
	embeds.Lock()
	defer embeds.Unlock()
	return embeds.byID[handle]
}

// permalinkResolver answers the page's resolvePermalinkUrl {key} with the
// host app's callback, or with null (the page then uses its own URL) when
// there is none or it fails, as upstream does.
func permalinkResolver(fn *Handle) HostMethod {
	return func(args any, reply func(any, error)) {
		if fn == nil || reply == nil {
			if reply != nil {
				reply(Null{}, nil)
			}
			return
		}
		await(fn.Ref.(safejs.Value), func(ok bool, v safejs.Value) {
			if !ok {
				console("warn", "dashembed: resolvePermalinkUrl threw: "+jsErrorText(v))
				reply(Null{}, nil)
				return
			}
			reply(v, nil)
		}, toJS(args))
	}
}
