//go:build js && wasm

package jsedge

import (
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/protocol"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

// jsEval evaluates a JavaScript expression in a fresh function scope.
func jsEval(t *testing.T, expr string) safejs.Value {
	t.Helper()
	fn := jsFunction(t, "return ("+expr+");")
	v, err := fn.Invoke()
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// jsFunction builds a JavaScript function with the global Function
// constructor: jsFunction(t, "a", "b", "return a + b").
func jsFunction(t *testing.T, paramsAndBody ...string) safejs.Value {
	t.Helper()
	ctor, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	args := make([]any, len(paramsAndBody))
	for i, s := range paramsAndBody {
		args[i] = s
	}
	fn, err := ctor.New(args...)
	if err != nil {
		t.Fatalf("new Function(%q): %v", paramsAndBody, err)
	}
	return fn
}

// stripRefs replaces each jsvalue.Handle's browser value with nil (after checking it
// is one) so copies compare with reflect.DeepEqual.
func stripRefs(t *testing.T, v any) any {
	t.Helper()
	switch v := v.(type) {
	case jsvalue.Handle:
		if _, ok := v.Ref.(safejs.Value); !ok {
			t.Errorf("Handle.Ref is %T, want safejs.Value", v.Ref)
		}
		v.Ref = nil
		return v
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = stripRefs(t, x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = stripRefs(t, x)
		}
		return out
	}
	return v
}

func TestCopyValue(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want any
	}{
		{"undefined", "undefined", nil},
		{"null", "null", jsvalue.Null{}},
		{"true", "true", true},
		{"false", "false", false},
		{"zero", "0", 0.0},
		{"negative fraction", "-1.5", -1.5},
		{"large", "1e300", 1e300},
		{"infinity", "-Infinity", math.Inf(-1)},
		{"string", `"héllo 日本 😀"`, "héllo 日本 😀"},
		{"empty string", `""`, ""},
		{"array", `[1, "a", null, undefined, [true], {k: 2}]`, []any{1.0, "a", jsvalue.Null{}, nil, []any{true}, map[string]any{"k": 2.0}}},
		{"empty array", `[]`, []any{}},
		{"sparse array", `[1, , 3]`, []any{1.0, nil, 3.0}},
		{"plain object", `{a: 1, b: {c: "d"}, e: [1], u: undefined, n: null}`,
			map[string]any{"a": 1.0, "b": map[string]any{"c": "d"}, "e": []any{1.0}, "u": nil, "n": jsvalue.Null{}}},
		{"empty object", `{}`, map[string]any{}},
		{"null-prototype object", `Object.assign(Object.create(null), {x: "y"})`, map[string]any{"x": "y"}},
		{"non-enumerable and symbol keys skipped", `Object.defineProperty({[Symbol("s")]: 1, v: 2}, "hidden", {value: 3, enumerable: false})`,
			map[string]any{"v": 2.0}},
		{"function", `function fetchGuestToken() { return "t"; }`, jsvalue.Handle{Kind: jsvalue.KindFunction}},
		{"arrow function", `() => Promise.resolve("t")`, jsvalue.Handle{Kind: jsvalue.KindFunction}},
		{"async function", `async function f() {}`, jsvalue.Handle{Kind: jsvalue.KindFunction}},
		{"class itself", `class Foo {}`, jsvalue.Handle{Kind: jsvalue.KindFunction}},
		{"class instance", `new (class Widget { constructor() { this.x = 1; } })()`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Widget"}},
		{"subclass instance", `new (class Gadget extends (class Widget {}) {})()`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Gadget"}},
		{"Date", `new Date(0)`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Date"}},
		{"Map", `new Map([[1, 2]])`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Map"}},
		{"RegExp", `/re/g`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "RegExp"}},
		{"Promise", `Promise.resolve(1)`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Promise"}},
		{"Error", `new TypeError("x")`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "TypeError"}},
		{"typed array", `new Uint8Array(2)`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Uint8Array"}},
		{"boxed string", `new String("s")`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "String"}},
		{"symbol", `Symbol("s")`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Symbol"}},
		{"bigint (a type syscall/js does not know)", `10n`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "BigInt"}},
		{"proxy whose keys trap throws", `new Proxy({}, {ownKeys() { throw new Error("keys"); }})`,
			jsvalue.Thrown{Message: "JavaScript error: keys"}},
		{"array proxy", `new Proxy([5], {})`, []any{5.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := stripRefs(t, copyValue(jsEval(t, tt.expr), 0))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("copyValue(%s) = %#v\nwant %#v", tt.expr, got, tt.want)
			}
		})
	}
}

func TestCopyValueKeepsTheReference(t *testing.T) {
	for _, expr := range []string{`() => 1`, `new Date(0)`, `Symbol("s")`} {
		v := jsEval(t, expr)
		h, ok := copyValue(v, 0).(jsvalue.Handle)
		if !ok || !h.Ref.(safejs.Value).Equal(v) {
			t.Errorf("%s: copy %#v does not refer to the original", expr, h)
		}
	}
}

func TestCopyValueRevokedProxy(t *testing.T) {
	v := jsEval(t, `(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()`)
	th, ok := copyValue(v, 0).(jsvalue.Thrown)
	if !ok || !strings.HasPrefix(th.Message, "JavaScript error: ") || !strings.Contains(th.Message, "revoked") {
		t.Errorf("copy of a revoked proxy = %#v, want jsvalue.Thrown naming the revocation", copyValue(v, 0))
	}
}

func TestCopyValueDepthLimit(t *testing.T) {
	// A cycle is copied maxCopyDepth levels deep, then kept as a handle.
	obj := copyValue(jsEval(t, `(() => { const o = {name: "root"}; o.self = o; return o; })()`), 0)
	var want any = jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Object"}
	for range maxCopyDepth {
		want = map[string]any{"name": "root", "self": want}
	}
	if got := stripRefs(t, obj); !reflect.DeepEqual(got, want) {
		t.Errorf("cyclic object = %#v\nwant %#v", got, want)
	}

	arr := copyValue(jsEval(t, `(() => { const a = [0]; a.push(a); return a; })()`), 0)
	want = jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Array"}
	for range maxCopyDepth {
		want = []any{0.0, want}
	}
	if got := stripRefs(t, arr); !reflect.DeepEqual(got, want) {
		t.Errorf("cyclic array = %#v\nwant %#v", got, want)
	}

	// At the limit, containers stay handles and scalars are still copied.
	for _, c := range []struct {
		expr string
		want any
	}{
		{`{a: 1}`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Object"}},
		{`[1]`, jsvalue.Handle{Kind: jsvalue.KindObject, Name: "Array"}},
		{`"tok"`, "tok"},
		{`7`, 7.0},
		{`null`, jsvalue.Null{}},
	} {
		if got := stripRefs(t, copyValue(jsEval(t, c.expr), maxCopyDepth)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("copyValue(%s, maxCopyDepth) = %#v, want %#v", c.expr, got, c.want)
		}
	}
}

func TestCopyValueSizeLimits(t *testing.T) {
	arr, ok := copyValue(jsEval(t, `Array.from({length: 5000}, (_, i) => i)`), 0).([]any)
	if !ok || len(arr) != 1024 || arr[1023] != 1023.0 {
		t.Errorf("5000-element array copied to %d elements", len(arr))
	}
	obj, ok := copyValue(jsEval(t, `Object.fromEntries(Array.from({length: 1000}, (_, i) => ["k" + i, i]))`), 0).(map[string]any)
	if !ok || len(obj) != 256 || obj["k255"] != 255.0 {
		t.Errorf("1000-key object copied to %d keys", len(obj))
	}
}

// TestCopyValueElement stands a small class hierarchy in for the DOM, which
// Node lacks: the element branch keys on instanceof Element.
func TestCopyValueElement(t *testing.T) {
	classes := jsEval(t, `(() => {
		class Element {}
		class HTMLDivElement extends Element { get isConnected() { return this.attached; } }
		const attached = new HTMLDivElement(); attached.attached = true;
		const detached = new HTMLDivElement(); detached.attached = false;
		return {Element, attached, detached};
	})()`)
	saved := jsGlobals.element
	defer func() { jsGlobals.element = saved }()
	jsGlobals.element, _ = classes.Get("Element")
	for _, c := range []struct {
		key  string
		want jsvalue.Handle
	}{
		{"attached", jsvalue.Handle{Kind: jsvalue.KindElement, Connected: true, Name: "HTMLDivElement"}},
		{"detached", jsvalue.Handle{Kind: jsvalue.KindElement, Connected: false, Name: "HTMLDivElement"}},
	} {
		v, _ := classes.Get(c.key)
		if got := stripRefs(t, copyValue(v, 0)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s element = %#v, want %#v", c.key, got, c.want)
		}
	}
	// Elements are recognised before the depth limit applies.
	v, _ := classes.Get("attached")
	if got := stripRefs(t, copyValue(v, maxCopyDepth)); got.(jsvalue.Handle).Kind != jsvalue.KindElement {
		t.Errorf("element at the depth limit = %#v", got)
	}
}

func TestToJS(t *testing.T) {
	jsonText := func(v any) string {
		j, _ := safejs.Global().Get("JSON")
		s, err := j.Call("stringify", v)
		if err != nil {
			t.Fatal(err)
		}
		str, _ := s.String()
		return str
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"detail", embed.Detail{"code": "HANDSHAKE_TIMEOUT"}, `{"code":"HANDSHAKE_TIMEOUT"}`},
		{"nested", map[string]any{"a": []any{1.0, "x", true, jsvalue.Null{}, map[string]any{"b": 2}}}, `{"a":[1,"x",true,null,{"b":2}]}`},
		{"undefined member dropped", map[string]any{"u": nil}, `{}`},
		{"int", 7, `7`},
		{"string", "s", `"s"`},
		{"unsupported", struct{}{}, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := toJS(tt.in)
			if tt.want == "" {
				if !v.(safejs.Value).IsUndefined() {
					t.Errorf("toJS(%#v) = %v, want undefined", tt.in, v)
				}
				return
			}
			if got := jsonText(v); got != tt.want {
				t.Errorf("toJS(%#v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
	if v := toJS(jsvalue.Null{}).(safejs.Value); !v.IsNull() {
		t.Error("toJS(jsvalue.Null{}) is not null")
	}
	ref := jsEval(t, `({id: 1})`)
	if v := toJS(jsvalue.Handle{Kind: jsvalue.KindObject, Ref: ref}).(safejs.Value); !v.Equal(ref) {
		t.Error("toJS(jsvalue.Handle) is not the handle's value")
	}
}

func TestMessageRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		m    protocol.Message
		wire string
	}{
		{"get",
			protocol.Message{Action: protocol.ActionGet, Method: "getDashboardPermalink", MessageID: "m_superset-embedded-sdk_3", Args: map[string]any{"anchor": "tab-1"}},
			`{"switchboardAction":"get","method":"getDashboardPermalink","messageId":"m_superset-embedded-sdk_3","args":{"anchor":"tab-1"}}`},
		{"get without args",
			protocol.Message{Action: protocol.ActionGet, Method: "getScrollSize", MessageID: "m_superset-embedded-sdk_1"},
			`{"switchboardAction":"get","method":"getScrollSize","messageId":"m_superset-embedded-sdk_1"}`},
		{"emit",
			protocol.Message{Action: protocol.ActionEmit, Method: "guestToken", Args: map[string]any{"guestToken": "eyJ.x.y"}},
			`{"switchboardAction":"emit","method":"guestToken","args":{"guestToken":"eyJ.x.y"}}`},
		{"reply",
			protocol.Message{Action: protocol.ActionReply, MessageID: "m_superset-embedded-sdk_2", Result: []any{"tab-1", map[string]any{"n": 2.0}}},
			`{"switchboardAction":"reply","messageId":"m_superset-embedded-sdk_2","result":["tab-1",{"n":2}]}`},
		{"reply with null",
			protocol.Message{Action: protocol.ActionReply, MessageID: "m_page_1", Result: jsvalue.Null{}},
			`{"switchboardAction":"reply","messageId":"m_page_1","result":null}`},
		{"error",
			protocol.Message{Action: protocol.ActionError, MessageID: "m_page_7", Error: `[superset-embedded-sdk] Method "x" is not defined`},
			`{"switchboardAction":"error","messageId":"m_page_7","error":"[superset-embedded-sdk] Method \"x\" is not defined"}`},
	}
	setupGlue(t)
	stringify, _ := safejs.Global().Get("JSON")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ours, theirs := messageChannel(t)
			wire := make(chan string, 1)
			stopRaw, err := listen(theirs, "message", func(ev safejs.Value) {
				data, _ := ev.Get("data")
				s, _ := stringify.Call("stringify", data)
				text, _ := s.String()
				wire <- text
			})
			if err != nil {
				t.Fatal(err)
			}
			defer stopRaw()
			back := make(chan protocol.Message, 1)
			theirCarrier, _ := glue.Call("carrier", theirs)
			port, err := openPort(theirCarrier, func(m protocol.Message) { back <- m })
			if err != nil {
				t.Fatal(err)
			}
			defer port.Close("the test ended")
			ourCarrier, _ := glue.Call("carrier", ours)
			if err := (&domPort{carrier: ourCarrier, forget: func() {}}).Post(tt.m); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, wire); got != tt.wire {
				t.Errorf("wire = %s\nwant %s", got, tt.wire)
			}
			m := receive(t, back)
			args, result := m.Args, m.Result
			m.Args, m.Result = nil, nil
			want := tt.m
			want.Args, want.Result = nil, nil
			if m != want {
				t.Errorf("round trip = %+v, want %+v", m, want)
			}
			// Args and result stay browser values.
			for _, c := range []struct {
				name      string
				got, want any
			}{{"args", args, tt.m.Args}, {"result", result, tt.m.Result}} {
				jv, isJS := c.got.(safejs.Value)
				if !isJS {
					t.Fatalf("%s is %T, want safejs.Value", c.name, c.got)
				}
				if got := copyValue(jv, 0); !reflect.DeepEqual(got, c.want) {
					t.Errorf("%s = %#v, want %#v", c.name, got, c.want)
				}
			}
		})
	}
}

func TestListenPortIgnoresForeignMessages(t *testing.T) {
	setupGlue(t)
	ours, theirs := messageChannel(t)
	got := make(chan protocol.Message, 16)
	c, _ := glue.Call("carrier", theirs)
	port, err := openPort(c, func(m protocol.Message) { got <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close("the test ended")
	for _, expr := range []string{
		`undefined`, `null`, `"get"`, `42`, `[]`, `{}`,
		`{switchboardAction: 1}`, `{switchboardAction: null, method: "x"}`,
		`{type: "__embedded_comms__", handshake: "port transfer"}`,
		// Fields of the wrong type are read as empty; unknown ones ignored.
		`{switchboardAction: "get", method: 5, messageId: ["m_1"], extra: true}`,
	} {
		if _, err := ours.Call("postMessage", jsEval(t, expr)); err != nil {
			t.Fatal(err)
		}
	}
	m := receive(t, got)
	if m.Action != "get" || m.Method != "" || m.MessageID != "" {
		t.Errorf("first message handed to Go = %+v, want only the loose get, read as empty fields", m)
	}
	select {
	case extra := <-got:
		t.Errorf("another message reached Go: %+v", extra)
	default:
	}
}

// messageChannel returns both ports of a new MessageChannel.
func messageChannel(t *testing.T) (port1, port2 safejs.Value) {
	t.Helper()
	ctor, _ := safejs.Global().Get("MessageChannel")
	ch, err := ctor.New()
	if err != nil {
		t.Fatalf("MessageChannel: %v", err)
	}
	port1, _ = ch.Get("port1")
	port2, _ = ch.Get("port2")
	t.Cleanup(func() {
		_, _ = port1.Call("close")
		_, _ = port2.Call("close")
	})
	return port1, port2
}

// receive waits for a value the JavaScript event loop delivers.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(3 * time.Second):
		t.Fatal("timed out waiting for a message")
	}
	var zero T
	return zero
}

// isolatedEnv names the test a child process was started to run.
const isolatedEnv = "DASHEMBED_ISOLATED_TEST"

// runIsolated runs the named test in a new Node process running this same
// test binary, for tests whose failure mode is the death of the Go program
// (a JavaScript exception unwinding through Go frames), which would take
// every later test down with it. It returns the child's exit status and
// its output.
func runIsolated(t *testing.T, name string) (status int, output string) {
	t.Helper()
	require, err := safejs.Global().Get("require")
	if err != nil || require.Type() != safejs.TypeFunction {
		t.Fatal("no require(): these tests run under Node through go_js_wasm_exec (see the Makefile)")
	}
	cp, err := require.Invoke("child_process")
	if err != nil {
		t.Fatal(err)
	}
	process, _ := safejs.Global().Get("process")
	argv, _ := process.Get("argv")
	execArgv, _ := process.Get("execArgv")
	node, _ := process.Get("execPath")
	var args []any
	n, _ := execArgv.Length()
	for i := range n {
		a, _ := execArgv.Index(i)
		args = append(args, a)
	}
	script, _ := argv.Index(1) // wasm_exec_node.js
	binary, _ := argv.Index(2) // this test binary
	args = append(args, script, binary, "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	env := jsEval(t, "Object.assign({}, process.env)")
	_ = env.Set(isolatedEnv, name)
	opts := jsEval(t, `({encoding: "utf8", timeout: 20000})`)
	_ = opts.Set("env", env)
	res, err := cp.Call("spawnSync", node, toJS(args), opts)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Get("status")
	status = -1
	if st.Type() == safejs.TypeNumber {
		status, _ = st.Int()
	}
	stdout, _ := res.Get("stdout")
	stderr, _ := res.Get("stderr")
	o, _ := stdout.String()
	e, _ := stderr.String()
	return status, o + e
}

// TestThrowingGettersDoNotKillTheProgram: copyValue must turn a getter (or
// Proxy trap) that throws into jsvalue.Thrown, as jsvalue.go promises. syscall/js's
// Value.Get, Index, Length and InstanceOf are not guarded by wasm_exec.js
// (only Call, Invoke and New are), so safejs cannot catch what they throw:
// the exception unwinds through the Go frames, and the Go program — every
// embed on the page — is dead. The cases run in a child process.
func TestThrowingGettersDoNotKillTheProgram(t *testing.T) {
	status, out := runIsolated(t, "TestThrowingGettersChild")
	if status == 0 && strings.Contains(out, "--- PASS: TestThrowingGettersChild") {
		return
	}
	last := ""
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "=== RUN   TestThrowingGettersChild/") {
			last = strings.TrimPrefix(line, "=== RUN   ")
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var keep []string
	for _, l := range lines {
		if strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "Error") ||
			strings.HasPrefix(l, "fatal") || strings.Contains(l, "<anonymous") || strings.HasPrefix(l, "return") {
			keep = append(keep, l)
		}
	}
	if len(keep) > 20 {
		keep = keep[:20]
	}
	t.Errorf("the child process exited with status %d during %s: a JavaScript exception escaped into Go and ended the program.\n%s",
		status, last, strings.Join(keep, "\n"))
}

// TestThrowingGettersChild holds the cases of
// TestThrowingGettersDoNotKillTheProgram; it runs only in the child.
func TestThrowingGettersChild(t *testing.T) {
	if os.Getenv(isolatedEnv) != "TestThrowingGettersChild" {
		t.Skip("run in a child process by TestThrowingGettersDoNotKillTheProgram")
	}
	setupGlue(t)
	tests := []struct {
		name    string
		expr    string
		element bool // stand a class in for Element, as in a browser
		want    any
	}{
		{"object with a getter that throws", `{ok: 1, get bad() { throw new Error("boom"); }}`, false,
			map[string]any{"ok": 1.0, "bad": jsvalue.Thrown{Message: "JavaScript error: boom"}}},
		{"array with an index getter that throws", `(() => { const a = [1, 2, 3]; Object.defineProperty(a, 1, {get() { throw new RangeError("idx"); }}); return a; })()`, false,
			[]any{1.0, jsvalue.Thrown{Message: "JavaScript error: idx"}, 3.0}},
		{"array proxy whose length throws", `new Proxy([], {get(t, k) { if (k === "length") throw new Error("len"); return Reflect.get(t, k); }})`, false,
			jsvalue.Thrown{Message: "JavaScript error: len"}},
		{"proxy whose get trap throws, over a class instance", `new Proxy(new (class Widget {})(), {get() { throw new Error("get"); }})`, false,
			jsvalue.Handle{Kind: jsvalue.KindObject}},
		{"proxy whose prototype trap throws, where Element exists", `new Proxy({}, {getPrototypeOf() { throw new Error("trap"); }})`, true,
			jsvalue.Thrown{Message: "JavaScript error: trap"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.element {
				saved := jsGlobals.element
				defer func() { jsGlobals.element = saved }()
				jsGlobals.element = jsEval(t, "class Element {}")
			}
			got := stripRefs(t, copyValue(jsEval(t, tt.expr), 0))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("copyValue(%s) = %#v\nwant %#v", tt.expr, got, tt.want)
			}
		})
	}
	// What a host app sees: embedDashboard rejects, naming the option.
	t.Run("embedDashboard with a throwing getter", func(t *testing.T) {
		register("embed", func(args []safejs.Value) any { return embedDashboard(argAt(args, 0), argAt(args, 1)) })
		embed, _ := glue.Get("embed")
		p, err := embed.Invoke(jsEval(t, `({get id() { throw new Error("boom"); }})`))
		if err != nil {
			t.Fatalf("embed threw synchronously: %v", err)
		}
		ok, reason := awaitPromise(t, p)
		want := errorShape{true, `dashembed: option "id" could not be read (reading it threw: JavaScript error: boom)`, "DashembedError", "INVALID_OPTION", "id"}
		if got := readError(t, reason); ok || got != want {
			t.Errorf("embedDashboard = %v, %+v\nwant rejection %+v", ok, got, want)
		}
	})
}
