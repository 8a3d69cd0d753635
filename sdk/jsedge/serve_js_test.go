//go:build js && wasm

package jsedge

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
	"github.com/dashembed/dashembed/wasm/spec"
)

// The glue tests load the real wasm/loader/glue.js into Node and wire it to
// the package as Serve does, with settle and event registered by hand.

var glueOnce struct {
	sync.Once
	err error
}

func setupGlue(t *testing.T) {
	t.Helper()
	glueOnce.Do(func() {
		body, err := loaderModules("errors.js", "carrier.js", "glue.js")
		if err != nil {
			glueOnce.err = err
			return
		}
		if !strings.Contains(body, "function createGlue") {
			glueOnce.err = errors.New("glue.js no longer defines createGlue")
			return
		}
		ctor, _ := safejs.Global().Get("Function")
		factory, err := ctor.New(body + "\nreturn createGlue;")
		if err != nil {
			glueOnce.err = err
			return
		}
		createGlue, err := factory.Invoke()
		if err != nil {
			glueOnce.err = err
			return
		}
		g, err := createGlue.Invoke()
		if err != nil {
			glueOnce.err = err
			return
		}
		settle, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			id, _ := argAt(args, 0).Int()
			ok, _ := argAt(args, 1).Bool()
			onSettle(id, ok, argAt(args, 2))
			return nil
		})
		if err != nil {
			glueOnce.err = err
			return
		}
		event, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			id, _ := argAt(args, 0).Int()
			onEvent(id, args[1:])
			return nil
		})
		if err != nil {
			glueOnce.err = err
			return
		}
		_ = g.Set("settle", settle.Value())
		_ = g.Set("event", event.Value())
		_ = g.Set("message", event.Value())
		refuse, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			err := &protocol.RemoteError{Method: stringOf(argAt(args, 1)), Text: stringOf(argAt(args, 2))}
			_, _ = argAt(args, 0).Invoke(jsError(err))
			return nil
		})
		if err != nil {
			glueOnce.err = err
			return
		}
		_ = g.Set("refuse", refuse.Value())
		glue = g
	})
	if glueOnce.err != nil {
		t.Fatalf("loading glue.js: %v", glueOnce.err)
	}
}

// loaderModules joins files of wasm/loader into one script body that
// Function can run, as esbuild's bundle would: their imports of each other
// dropped (files come in dependency order), the names they import from
// "dashembed:spec" bound to Go's spec, and "export" removed.
func loaderModules(files ...string) (string, error) {
	var b strings.Builder
	specJSON, err := spec.JSON()
	if err != nil {
		return "", err
	}
	b.WriteString("const __spec = " + string(specJSON) + ";\n")
	for _, f := range files {
		src, err := os.ReadFile("../../wasm/loader/" + f)
		if err != nil {
			return "", err
		}
		for _, line := range strings.Split(string(src), "\n") {
			switch {
			case strings.HasPrefix(line, "import ") && strings.HasSuffix(line, "from 'dashembed:spec';"):
				names := line[strings.Index(line, "{") : strings.Index(line, "}")+1]
				// var: two files may import the same name.
				line = "var " + names + " = __spec;"
			case strings.HasPrefix(line, "import "):
				line = ""
			case strings.HasPrefix(line, "export "):
				line = strings.TrimPrefix(line, "export ")
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String(), nil
}

type settled struct {
	ok bool
	v  safejs.Value
}

// awaitPromise waits, outside any JavaScript callback, for p to settle.
func awaitPromise(t *testing.T, p safejs.Value) (ok bool, v safejs.Value) {
	t.Helper()
	if p.Type() != safejs.TypeObject {
		t.Fatalf("not a Promise: %v", p.Type())
	}
	ch := make(chan settled, 2)
	onOK, _ := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- settled{true, argAt(args, 0)}
		return nil
	})
	onErr, _ := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- settled{false, argAt(args, 0)}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	if _, err := p.Call("then", onOK.Value(), onErr.Value()); err != nil {
		t.Fatalf("then: %v", err)
	}
	select {
	case s := <-ch:
		return s.ok, s.v
	case <-time.After(2 * time.Second):
		t.Fatal("the Promise did not settle within 2 s")
	}
	return false, safejs.Undefined()
}

// errorShape reads what a host app sees of a rejection.
type errorShape struct {
	isError                     bool
	message, name, code, option string
}

func readError(t *testing.T, v safejs.Value) errorShape {
	t.Helper()
	ctor, _ := safejs.Global().Get("Error")
	isError, _ := v.InstanceOf(ctor)
	str := func(key string) string {
		s, _ := getString(v, key)
		return s
	}
	return errorShape{isError: isError, message: str("message"), name: str("name"), code: str("code"), option: str("option")}
}

// captureConsole replaces console[level] for the test and returns what it
// was called with, one line per call.
func captureConsole(t *testing.T, level string) func() []string {
	t.Helper()
	c, _ := safejs.Global().Get("console")
	saved, _ := c.Get(level)
	lines := jsEval(t, "[]")
	capture := jsFunction(t, "lines", "return (...a) => { lines.push(a.map(String).join(' ')); };")
	fn, _ := capture.Invoke(lines)
	_ = c.Set(level, fn)
	t.Cleanup(func() { _ = c.Set(level, saved) })
	return func() []string {
		var out []string
		n, _ := lines.Length()
		for i := range n {
			s, _ := lines.Index(i)
			str, _ := s.String()
			out = append(out, str)
		}
		return out
	}
}

func TestGlueRejected(t *testing.T) {
	setupGlue(t)
	tests := []struct {
		name string
		err  error
		want errorShape
	}{
		{"option error", &options.OptionError{Option: "dashboardUiConfig.filters.visible", Problem: "must be a boolean, got a string"},
			errorShape{true, `dashembed: option "dashboardUiConfig.filters.visible" must be a boolean, got a string`, "DashembedError", "INVALID_OPTION", "dashboardUiConfig.filters.visible"}},
		{"port closed", &protocol.PortClosedError{Method: "getScrollSize", Reason: "the dashboard was unmounted"},
			errorShape{true, "dashembed: getScrollSize was cancelled: the dashboard was unmounted", "PortClosedError", "PORT_CLOSED", ""}},
		{"embed error", &embed.Error{Code: contract.CodeTokenInvalid, Message: "fetchGuestToken must resolve to a non-empty string, got a number"},
			errorShape{true, "dashembed: fetchGuestToken must resolve to a non-empty string, got a number", "DashembedError", "TOKEN_INVALID", ""}},
		{"remote error", &protocol.RemoteError{Method: "getDataMask", Text: "no mask"},
			errorShape{true, "no mask", "Error", "REMOTE_ERROR", ""}},
		{"plain error", errors.New("dashembed: something"),
			errorShape{true, "dashembed: something", "DashembedError", "INTERNAL", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, v := awaitPromise(t, rejected(tt.err))
			if ok {
				t.Fatal("rejected(...) resolved")
			}
			if got := readError(t, v); got != tt.want {
				t.Errorf("rejection = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestGlueAwait(t *testing.T) {
	setupGlue(t)
	tests := []struct {
		name     string
		params   []string
		body     string
		args     []any
		ok       bool
		want     any // copied value when ok, error text otherwise
		wantText string
	}{
		{name: "returns a value", body: "return 42;", ok: true, want: 42.0},
		{name: "returns a string", body: `return "eyJ.a.b";`, ok: true, want: "eyJ.a.b"},
		{name: "resolves", body: `return Promise.resolve("tok");`, ok: true, want: "tok"},
		{name: "resolves later", body: `return new Promise((r) => setTimeout(() => r("late"), 5));`, ok: true, want: "late"},
		{name: "gets the arguments", params: []string{"a", "b"}, body: "return a + b;", args: []any{2, 3}, ok: true, want: 5.0},
		{name: "throws synchronously", body: `throw new Error("sync boom");`, wantText: "sync boom"},
		{name: "throws a string", body: `throw "plain";`, wantText: "plain"},
		{name: "rejects", body: `return Promise.reject(new Error("async boom"));`, wantText: "async boom"},
		{name: "rejects later", body: `return new Promise((_, r) => setTimeout(() => r(new TypeError("late boom")), 5));`, wantText: "late boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := jsFunction(t, append(tt.params, tt.body)...)
			ch := make(chan settled, 2)
			callbacks.Lock()
			before := len(callbacks.settles)
			callbacks.Unlock()
			await(fn, func(ok bool, v safejs.Value) { ch <- settled{ok, v} }, tt.args...)
			var s settled
			select {
			case s = <-ch:
			case <-time.After(2 * time.Second):
				t.Fatal("settle never reached Go")
			}
			if s.ok != tt.ok {
				t.Fatalf("ok = %v, want %v (value %s)", s.ok, tt.ok, jsErrorText(s.v))
			}
			if tt.ok {
				if got := copyValue(s.v, 0); got != tt.want {
					t.Errorf("value = %#v, want %#v", got, tt.want)
				}
			} else if got := jsErrorText(s.v); got != tt.wantText {
				t.Errorf("error text = %q, want %q", got, tt.wantText)
			}
			select {
			case extra := <-ch:
				t.Errorf("settled twice: %+v", extra)
			case <-time.After(10 * time.Millisecond):
			}
			callbacks.Lock()
			after := len(callbacks.settles)
			callbacks.Unlock()
			if after != before {
				t.Errorf("%d settle callbacks left registered, had %d", after, before)
			}
		})
	}
}

func TestGlueAwaitNotAFunction(t *testing.T) {
	setupGlue(t)
	ch := make(chan settled, 1)
	await(jsEval(t, "5"), func(ok bool, v safejs.Value) { ch <- settled{ok, v} })
	select {
	case s := <-ch:
		if s.ok || !strings.Contains(jsErrorText(s.v), "not a function") {
			t.Errorf("await(5) = %v, %q", s.ok, jsErrorText(s.v))
		}
	case <-time.After(2 * time.Second):
		t.Fatal("never settled")
	}
}

func TestGlueListen(t *testing.T) {
	setupGlue(t)
	target := jsEval(t, "new EventTarget()")
	fire := func(kind string) {
		ev := jsEval(t, `new Event("`+kind+`")`)
		if _, err := target.Call("dispatchEvent", ev); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	remove, err := listen(target, "ping", func(ev safejs.Value) {
		s, _ := getString(ev, "type")
		got = append(got, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	fire("ping")
	fire("pong")
	fire("ping")
	remove()
	fire("ping")
	if strings.Join(got, ",") != "ping,ping" {
		t.Errorf("handler saw %q, want two pings", got)
	}
}

func TestDomBrowserFetchToken(t *testing.T) {
	setupGlue(t)
	tests := []struct {
		name    string
		body    string
		want    any
		wantErr string
	}{
		{"resolves a token", `return Promise.resolve("eyJ.a.b");`, "eyJ.a.b", ""},
		{"returns a token", `return "eyJ.c.d";`, "eyJ.c.d", ""},
		{"resolves a number", `return Promise.resolve(42);`, 42.0, ""},
		{"resolves an object", `return Promise.resolve({token: "x"});`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Object"}, ""},
		{"rejects", `return Promise.reject(new Error("denied"));`, nil, "denied"},
		{"throws", `throw new Error("no backend");`, nil, "no backend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := jsFunction(t, tt.body)
			type outcome struct {
				v   any
				err error
			}
			ch := make(chan outcome, 2)
			(&domBrowser{}).FetchToken(jsvalue.Handle{Kind: jsvalue.KindFunction, Ref: fn}, func(v any, err error) { ch <- outcome{v, err} })
			var o outcome
			select {
			case o = <-ch:
			case <-time.After(2 * time.Second):
				t.Fatal("FetchToken never reported")
			}
			if tt.wantErr != "" {
				if o.err == nil || o.err.Error() != tt.wantErr || o.v != nil {
					t.Errorf("FetchToken = %#v, %v; want error %q", o.v, o.err, tt.wantErr)
				}
				return
			}
			if o.err != nil || stripRefs(t, o.v) != tt.want {
				t.Errorf("FetchToken = %#v, %v; want %#v", o.v, o.err, tt.want)
			}
		})
	}
}

func TestDomBrowserParseDate(t *testing.T) {
	for _, c := range []struct {
		s  string
		ms float64
		ok bool
	}{
		{"2030-01-01T00:00:00Z", 1893456000000, true},
		{"Tue, 14 Nov 2023 22:15:20 GMT", 1700000120000, true},
		{"soon", 0, false},
		{"", 0, false},
	} {
		ms, ok := (&domBrowser{}).ParseDate(c.s)
		if ms != c.ms || ok != c.ok {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, %v", c.s, ms, ok, c.ms, c.ok)
		}
	}
}

// TestRegisterRecoversPanics: a panic under a registered function becomes a
// rejected Promise, and the Go program goes on serving.
func TestRegisterRecoversPanics(t *testing.T) {
	setupGlue(t)
	errorsLogged := captureConsole(t, "error")
	register("__testPanic", func(args []safejs.Value) any {
		switch s, _ := argAt(args, 0).String(); s {
		case "error":
			panic(errors.New("bad state"))
		case "int":
			panic(7)
		default:
			panic("kaboom")
		}
	})
	register("__testEcho", func(args []safejs.Value) any { return argAt(args, 0) })
	call := func(name string, a any) safejs.Value {
		t.Helper()
		v, err := glue.Call(name, a)
		if err != nil {
			t.Fatalf("glue.%s threw: %v", name, err)
		}
		return v
	}
	var want []string
	for _, c := range []struct{ kind, message string }{
		{"string", "dashembed: internal error in __testPanic: kaboom"},
		{"error", "dashembed: internal error in __testPanic: bad state"},
		{"int", "dashembed: internal error in __testPanic: unexpected panic"},
		{"string", "dashembed: internal error in __testPanic: kaboom"},
	} {
		ok, v := awaitPromise(t, call("__testPanic", c.kind))
		if ok {
			t.Fatal("a panicking call resolved")
		}
		if got := readError(t, v); got != (errorShape{true, c.message, "DashembedError", "INTERNAL", ""}) {
			t.Errorf("rejection = %+v, want message %q", got, c.message)
		}
		want = append(want, c.message)
		// The program is alive: the next call works.
		if s, _ := call("__testEcho", "still here").String(); s != "still here" {
			t.Errorf("echo after a panic = %q", s)
		}
	}
	if got := errorsLogged(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("console.error got %q\nwant %q", got, want)
	}
}

// TestEmbedDashboardBadParams calls embedDashboard through glue.embed, as the
// loader does.
func TestEmbedDashboardBadParams(t *testing.T) {
	setupGlue(t)
	register("embed", func(args []safejs.Value) any { return embedDashboard(argAt(args, 0), argAt(args, 1)) })
	embed, _ := glue.Get("embed")
	tests := []struct {
		name   string
		expr   string
		option string
		text   string
	}{
		{"a number", "5", "params", `dashembed: option "params" must be a plain object, got a number`},
		{"empty object", "({})", "id", `dashembed: option "id" must be a non-empty string or an integer, got undefined`},
		{"nothing", "undefined", "params", `dashembed: option "params" must be a plain object, got undefined`},
		{"null", "null", "params", `dashembed: option "params" must be a plain object, got null`},
		{"a string", `"abc"`, "params", `dashembed: option "params" must be a plain object, got a string`},
		{"an array", "[]", "params", `dashembed: option "params" must be a plain object, got an array`},
		{"a class instance", "new (class Options {})()", "params", `dashembed: option "params" must be a plain object, got an object (Options)`},
		{"a bad domain", `({id: "42", supersetDomain: 5})`, "supersetDomain",
			`dashembed: option "supersetDomain" must be an absolute http(s) URL, got a number`},
		{"no mount point", `({id: "42", supersetDomain: "https://bi.example.com", mountPoint: {}})`, "mountPoint",
			`dashembed: option "mountPoint" must be an HTML element, got an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v safejs.Value
			var err error
			if tt.expr == "undefined" {
				v, err = embed.Invoke()
			} else {
				v, err = embed.Invoke(jsEval(t, tt.expr))
			}
			if err != nil {
				t.Fatalf("embed threw synchronously: %v", err)
			}
			ok, reason := awaitPromise(t, v)
			if ok {
				t.Fatal("embedDashboard resolved")
			}
			want := errorShape{true, tt.text, "DashembedError", "INVALID_OPTION", tt.option}
			if got := readError(t, reason); got != want {
				t.Errorf("rejection = %+v\nwant %+v", got, want)
			}
		})
	}
	embeds.Lock()
	n := len(embeds.byID)
	embeds.Unlock()
	if n != 0 {
		t.Errorf("%d embeds registered by rejected calls", n)
	}
}

// TestDispatchWithoutEmbed: the dashboard object's methods on a handle that
// is gone (unmounted) answer as upstream's would after unmount.
func TestDispatchWithoutEmbed(t *testing.T) {
	setupGlue(t)
	register("call", func(args []safejs.Value) any { return dispatch(args) })
	callFn, _ := glue.Get("call")
	errorCtor, _ := safejs.Global().Get("Error")
	// call returns what the loader gets: a value, or an Error it throws.
	call := func(method string, args string) (threw bool, v safejs.Value) {
		t.Helper()
		r, err := callFn.Invoke(999, method, jsEval(t, args))
		if err != nil {
			t.Fatalf("call(%s) threw: %v", method, err)
		}
		return isInstance(r, errorCtor), r
	}

	threw, p := call("getScrollSize", "[]")
	if threw {
		t.Fatal("getScrollSize threw")
	}
	ok, reason := awaitPromise(t, p)
	want := errorShape{true, "dashembed: getScrollSize was cancelled: the dashboard is unmounted", "PortClosedError", "PORT_CLOSED", ""}
	if got := readError(t, reason); ok || got != want {
		t.Errorf("getScrollSize after unmount = %v, %+v; want rejection %+v", ok, got, want)
	}

	for _, c := range []struct {
		method, args string
		want         errorShape
	}{
		{"setThemeMode", `["blue"]`, errorShape{true, `dashembed: option "setThemeMode(mode)" must be "default", "dark" or "system", got a string`, "DashembedError", "INVALID_OPTION", "setThemeMode(mode)"}},
		{"observeDataMask", `[5]`, errorShape{true, `dashembed: option "observeDataMask(callback)" must be a function, got a number`, "DashembedError", "INVALID_OPTION", "observeDataMask(callback)"}},
		{"on", `["nope", () => {}]`, errorShape{true, `dashembed: option "on(event)" must be one of ready, tokenRefreshed, tokenError, navigated, resize, error; got a string`, "DashembedError", "INVALID_OPTION", "on(event)"}},
		{"frobnicate", `[]`, errorShape{true, `dashembed: option "frobnicate" is not a method of an embedded dashboard`, "DashembedError", "INVALID_OPTION", "frobnicate"}},
	} {
		threw, v := call(c.method, c.args)
		if !threw {
			t.Errorf("%s(%s) did not throw", c.method, c.args)
			continue
		}
		if got := readError(t, v); got != c.want {
			t.Errorf("%s(%s) threw %+v\nwant %+v", c.method, c.args, got, c.want)
		}
	}
	if threw, v := call("unmount", "[]"); threw || !v.IsUndefined() {
		t.Errorf("unmount of a gone handle = %v, %v", threw, v.Type())
	}
}
