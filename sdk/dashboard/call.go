package dashboard

import (
	"strings"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// themeModes are the values setThemeMode accepts.
var themeModes = []string{"default", "dark", "system"}

// KindOf is how method returns to JavaScript; an unknown method is
// KindVoid, so that calling it throws.
func KindOf(method string) contract.Kind {
	for _, m := range contract.Methods {
		if m.Name == method {
			return m.Kind
		}
	}
	return contract.KindVoid
}

// Call runs method with args on e, which is nil once the dashboard is
// unmounted. A method of KindPromise either reports its outcome to settle
// (perhaps before Call returns) and returns nil, or returns the pending
// answer the document's port carries (embed.Embed.Carry), which the caller
// hands back as it is and which settle never hears of. The others return
// their value, or the error to throw.
func Call(e *embed.Embed, host Host, method string, args []Arg, settle func(result any, err error)) (any, error) {
	arg := func(i int) Arg {
		if i < len(args) {
			return args[i]
		}
		return noArg{}
	}
	if contract.IsBare(method) {
		return get(e, method, nil, settle), nil
	}
	switch method {
	case contract.MethodGetDashboardPermalink:
		anchor := arg(0).Value()
		if _, ok := anchor.(string); !ok && anchor != nil {
			settle(nil, &options.OptionError{Option: "getDashboardPermalink(anchor)", Problem: "must be a string, got " + jsvalue.TypeName(anchor)})
			return nil, nil
		}
		return get(e, method, map[string]any{"anchor": anchor}, settle), nil
	case contract.MethodGetChartDataPayloads:
		return get(e, method, arg(0).Raw(), settle), nil
	case contract.MethodSetDataMask:
		return get(e, method, map[string]any{"dataMask": arg(0).Raw()}, settle), nil
	case contract.MethodSetThemeConfig:
		send(e, method, map[string]any{"themeConfig": arg(0).Raw()})
		settle(nil, nil)
	case contract.MethodSetThemeMode:
		mode, _ := arg(0).Value().(string)
		if !contains(themeModes, mode) {
			return nil, &options.OptionError{Option: "setThemeMode(mode)", Problem: "must be " + quotedList(themeModes, "or") + ", got " + jsvalue.TypeName(arg(0).Value())}
		}
		send(e, method, map[string]any{"mode": mode})
	case contract.MethodObserveDataMask:
		fn, ok := function(arg(0))
		if !ok {
			return nil, &options.OptionError{Option: "observeDataMask(callback)", Problem: "must be a function, got " + jsvalue.TypeName(arg(0).Value())}
		}
		if e != nil {
			e.Define(method, func(args any, _ func(any, error)) { host.Report(fn, args) })
		}
	case contract.MethodOn:
		return on(e, host, arg(0), arg(1))
	case contract.MethodOff:
		if id, ok := arg(0).Value().(float64); ok && e != nil {
			e.Off(int(id))
		}
	case contract.MethodUnmount:
		if e != nil {
			host.Released()
			e.Unmount()
		}
	default:
		return nil, &options.OptionError{Option: method, Problem: "is not a method of an embedded dashboard"}
	}
	return nil, nil
}

// on subscribes a listener and returns its id; the events held for the
// first listener of a name reach it once on() has returned.
func on(e *embed.Embed, host Host, name, listener Arg) (any, error) {
	event, _ := name.Value().(string)
	if !contract.KnownEvent(event) {
		return nil, &options.OptionError{Option: "on(event)", Problem: "must be one of " + strings.Join(contract.Events, ", ") + "; got " + jsvalue.TypeName(name.Value())}
	}
	fn, ok := function(listener)
	if !ok {
		return nil, &options.OptionError{Option: "on(event, listener)", Problem: "listener must be a function, got " + jsvalue.TypeName(listener.Value())}
	}
	if e == nil {
		return 0.0, nil
	}
	id, catchUp := e.On(event, func(d embed.Detail) { host.Report(fn, d) })
	host.Soon(catchUp)
	return float64(id), nil
}

// get calls a page method, carried by the port where it can be (see Call);
// it returns the port's pending answer, or nil when settle will hear the
// outcome. After unmount, e is nil: the call rejects as a call in flight
// would.
func get(e *embed.Embed, method string, args any, settle func(any, error)) any {
	if e == nil {
		settle(nil, &protocol.PortClosedError{Method: method, Reason: "the dashboard is unmounted"})
		return nil
	}
	if answer, err, ok := e.Carry(method, args); ok {
		if err != nil {
			settle(nil, err)
			return nil
		}
		return answer
	}
	e.Get(method, args, func(r protocol.Reply) { settle(r.Result, r.Err) })
	return nil
}

func send(e *embed.Embed, method string, args any) {
	if e != nil {
		e.Send(method, args)
	}
}

// function returns a's browser value if a is a function.
func function(a Arg) (any, bool) {
	h, ok := a.Value().(jsvalue.Handle)
	if !ok || h.Kind != jsvalue.KindFunction {
		return nil, false
	}
	return a.Raw(), true
}

// noArg is an argument the caller left out: undefined.
type noArg struct{}

func (noArg) Value() any { return nil }
func (noArg) Raw() any   { return nil }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// quotedList writes `"a", "b" or "c"`.
func quotedList(list []string, last string) string {
	var b strings.Builder
	for i, s := range list {
		switch {
		case i == len(list)-1 && i > 0:
			b.WriteString(" " + last + " ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(`"` + s + `"`)
	}
	return b.String()
}
