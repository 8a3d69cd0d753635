//go:build js && wasm

package sdk

import "github.com/hack-pad/safejs"

// dispatch runs one method of the object embedDashboard resolved to. The
// loader calls it as call(handle, method, args). Methods that upstream makes
// asynchronous return a Promise; the synchronous ones return their value, or
// an Error that the loader throws.
func dispatch(args []safejs.Value) any {
	handle, _ := arg(args, 0).Int()
	method, _ := arg(args, 1).String()
	list := arg(args, 2)
	param := func(i int) safejs.Value {
		v, err := list.Index(i)
		if err != nil {
			return safejs.Undefined()
		}
		return v
	}
	e := lookup(handle)
	switch method {
	case "getScrollSize", "getActiveTabs", "getDataMask", "getChartStates":
		return value(get(e, method, nil))
	case "getDashboardPermalink":
		anchor := copyValue(param(0), maxCopyDepth)
		if _, ok := anchor.(string); !ok && anchor != nil {
			return value(rejected(&OptionError{Option: "getDashboardPermalink(anchor)", Problem: "must be a string, got " + TypeName(anchor)}))
		}
		return value(get(e, method, map[string]any{"anchor": anchor}))
	case "getChartDataPayloads":
		return value(get(e, method, param(0)))
	case "setDataMask":
		return value(get(e, method, map[string]any{"dataMask": param(0)}))
	case "setThemeConfig":
		send(e, method, map[string]any{"themeConfig": param(0)})
		return value(resolved())
	case "setThemeMode":
		mode, _ := copyValue(param(0), maxCopyDepth).(string)
		if mode != "default" && mode != "dark" && mode != "system" {
			return throws(&OptionError{Option: "setThemeMode(mode)", Problem: "must be \"default\", \"dark\" or \"system\", got " + TypeName(copyValue(param(0), maxCopyDepth))})
		}
		send(e, method, map[string]any{"mode": mode})
		return value(nil)
	case "observeDataMask":
		fn := param(0)
		if typeOf(fn) != safejs.TypeFunction {
			return throws(&OptionError{Option: "observeDataMask(callback)", Problem: "must be a function, got " + TypeName(copyValue(fn, maxCopyDepth))})
		}
		if e != nil {
			e.Define("observeDataMask", func(args any, _ func(any, error)) { report(fn, args) })
		}
		return value(nil)
	case "on":
		return on(e, param(0), param(1))
	case "off":
		if id, err := param(0).Int(); err == nil && e != nil {
			e.Off(id)
		}
		return value(nil)
	case "unmount":
		if e != nil {
			forget(handle)
			e.Unmount()
			collectSoon()
		}
		return value(nil)
	}
	return throws(&OptionError{Option: method, Problem: "is not a method of an embedded dashboard"})
}

func on(e *Embed, name, fn safejs.Value) any {
	event, _ := copyValue(name, maxCopyDepth).(string)
	if !KnownEvent(event) {
		return throws(&OptionError{Option: "on(event)", Problem: "must be one of ready, tokenRefreshed, tokenError, navigated, resize, error; got " + TypeName(copyValue(name, maxCopyDepth))})
	}
	if typeOf(fn) != safejs.TypeFunction {
		return throws(&OptionError{Option: "on(event, listener)", Problem: "listener must be a function, got " + TypeName(copyValue(fn, maxCopyDepth))})
	}
	if e == nil {
		return value(0)
	}
	id, catchUp := e.On(event, func(d Detail) { report(fn, d) })
	// Held events go out in a microtask, once on() has returned off().
	inMicrotask(catchUp)
	return value(id)
}

// get calls a page method and returns a Promise of its answer. After
// unmount, e is nil: the Promise rejects as a call in flight would.
func get(e *Embed, method string, args any) safejs.Value {
	if e == nil {
		return rejected(&PortClosedError{Method: method, Reason: "the dashboard is unmounted"})
	}
	promise, settle := newPromise()
	e.Get(method, args, func(r Reply) {
		if r.Err != nil {
			settle(false, jsError(r.Err))
			return
		}
		settle(true, r.Result)
	})
	return promise
}

func send(e *Embed, method string, args any) {
	if e != nil {
		e.Send(method, args)
	}
}

func resolved() safejs.Value {
	promise, settle := newPromise()
	settle(true, nil)
	return promise
}

func value(v any) any { return toJS(v) }

func throws(err error) any { return jsError(err) }
