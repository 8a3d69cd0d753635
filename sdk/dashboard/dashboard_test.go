package dashboard

import (
	"errors"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/iframe"
	"github.com/dashembed/dashembed/sdk/internal/sdktest"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// arg is an Arg whose copy and raw value the test gives.
type arg struct{ value, raw any }

func (a arg) Value() any { return a.value }
func (a arg) Raw() any   { return a.raw }

// fakeHost records what the methods ask of the edge.
type fakeHost struct {
	reported []any
	soon     []func()
	warnings []string
	released int
	await    func(fn, arg any, done func(any, error))
}

func (h *fakeHost) Report(fn, a any)                       { h.reported = append(h.reported, a) }
func (h *fakeHost) Soon(f func())                          { h.soon = append(h.soon, f) }
func (h *fakeHost) Warn(line string)                       { h.warnings = append(h.warnings, line) }
func (h *fakeHost) Released()                              { h.released++ }
func (h *fakeHost) Await(fn, a any, done func(any, error)) { h.await(fn, a, done) }

var fn = arg{value: sdktest.Function, raw: "the function"}

// outcome is what settle saw.
type outcome struct {
	called bool
	result any
	err    error
}

func call(e *embed.Embed, h Host, method string, args ...Arg) (any, error, outcome) {
	var o outcome
	v, err := Call(e, h, method, args, func(r any, err error) { o = outcome{true, r, err} })
	return v, err, o
}

func TestKindsComeFromTheContract(t *testing.T) {
	for _, m := range contract.Methods {
		if got := KindOf(m.Name); got != m.Kind {
			t.Errorf("KindOf(%q) = %q, want %q", m.Name, got, m.Kind)
		}
	}
	if got := KindOf("nope"); got != contract.KindVoid {
		t.Errorf("KindOf(unknown) = %q, want void so that calling it throws", got)
	}
}

// Every method of the contract is handled: none falls through to "is not a
// method".
func TestEveryContractMethodIsHandled(t *testing.T) {
	for _, m := range contract.Methods {
		_, err, _ := call(nil, &fakeHost{}, m.Name)
		var oe *options.OptionError
		if errors.As(err, &oe) && strings.Contains(oe.Problem, "is not a method") {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
}

func TestCallAfterUnmount(t *testing.T) {
	for _, m := range contract.Methods {
		if m.Kind != contract.KindPromise || m.Name == contract.MethodSetThemeConfig {
			continue
		}
		_, _, o := call(nil, &fakeHost{}, m.Name)
		var closed *protocol.PortClosedError
		if !o.called || !errors.As(o.err, &closed) {
			t.Errorf("%s after unmount settled %+v, want a PortClosedError", m.Name, o)
		}
	}
	if _, _, o := call(nil, &fakeHost{}, contract.MethodSetThemeConfig, arg{}); !o.called || o.err != nil {
		t.Errorf("setThemeConfig after unmount = %+v, want resolved", o)
	}
	h := &fakeHost{}
	if v, err, _ := call(nil, h, contract.MethodOn, arg{value: "ready"}, fn); err != nil || v != 0.0 {
		t.Errorf("on after unmount = %v, %v; want 0, nil", v, err)
	}
	if v, err, _ := call(nil, h, contract.MethodUnmount); v != nil || err != nil || h.released != 0 {
		t.Errorf("unmount twice = %v, %v, released %d; want nothing", v, err, h.released)
	}
}

func TestCallRejectsBadArguments(t *testing.T) {
	tests := []struct {
		method string
		args   []Arg
		option string
		want   string
	}{
		{contract.MethodSetThemeMode, []Arg{arg{value: "blue"}}, "setThemeMode(mode)", `must be "default", "dark" or "system", got a string`},
		{contract.MethodSetThemeMode, nil, "setThemeMode(mode)", "got undefined"},
		{contract.MethodObserveDataMask, []Arg{arg{value: 1.0}}, "observeDataMask(callback)", "must be a function, got a number"},
		{contract.MethodOn, []Arg{arg{value: "load"}, fn}, "on(event)", "must be one of " + strings.Join(contract.Events, ", ")},
		{contract.MethodOn, []Arg{arg{value: "ready"}, arg{value: "x"}}, "on(event, listener)", "listener must be a function, got a string"},
		{"getScrollSizes", nil, "getScrollSizes", "is not a method of an embedded dashboard"},
	}
	for _, tt := range tests {
		_, err, _ := call(nil, &fakeHost{}, tt.method, tt.args...)
		var oe *options.OptionError
		if !errors.As(err, &oe) || oe.Option != tt.option || !strings.Contains(oe.Problem, tt.want) {
			t.Errorf("%s(%v) = %v, want option %q: %q", tt.method, tt.args, err, tt.option, tt.want)
		}
	}
	_, _, o := call(nil, &fakeHost{}, contract.MethodGetDashboardPermalink, arg{value: 3.0})
	var oe *options.OptionError
	if !errors.As(o.err, &oe) || oe.Option != "getDashboardPermalink(anchor)" {
		t.Errorf("getDashboardPermalink(3) settled %+v, want an OptionError", o)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		err  error
		want ErrorFields
	}{
		{&options.OptionError{Option: "id"}, ErrorFields{"DashembedError", "INVALID_OPTION", "id"}},
		{&protocol.PortClosedError{Method: "getScrollSize"}, ErrorFields{"PortClosedError", "PORT_CLOSED", ""}},
		{&embed.Error{Code: contract.CodeHandshakeTimeout}, ErrorFields{"DashembedError", "HANDSHAKE_TIMEOUT", ""}},
		{&protocol.RemoteError{Text: "no"}, ErrorFields{"", "REMOTE_ERROR", ""}},
		{&protocol.SendError{Method: "setDataMask"}, ErrorFields{"DashembedError", "INVALID_OPTION", "setDataMask"}},
		{errors.New("boom"), ErrorFields{"DashembedError", "INTERNAL", ""}},
	}
	for _, tt := range tests {
		got := Describe(tt.err)
		if got != tt.want {
			t.Errorf("Describe(%T) = %+v, want %+v", tt.err, got, tt.want)
		}
		if !contains(contract.Codes, got.Code) {
			t.Errorf("Describe(%T).Code = %q is not in contract.Codes", tt.err, got.Code)
		}
	}
}

// stubBrowser is enough of a Browser for Open: what the fast path mounted.
type stubBrowser struct {
	embed.Browser
	early, discarded bool
}

func (b *stubBrowser) EarlyPlan() (iframe.Plan, bool) { return iframe.Plan{}, b.early }
func (b *stubBrowser) DiscardEarly(string)            { b.discarded = true }
func (b *stubBrowser) Route(embed.Port)               {}
func (b *stubBrowser) Random() float64                { return 0.5 }

func TestOpenDiscardsTheEarlyIframeOfBadOptions(t *testing.T) {
	b := &stubBrowser{early: true}
	_, err := Open(sdktest.Options(map[string]any{"id": ""}), b, &fakeHost{}, func(error) {})
	if err == nil || !b.discarded {
		t.Errorf("Open(bad) = %v, discarded = %v; want an error and the early iframe gone", err, b.discarded)
	}
	b = &stubBrowser{early: true}
	if e, err := Open(sdktest.Options(nil), b, &fakeHost{}, func(error) {}); err != nil || e == nil || b.discarded {
		t.Errorf("Open(good) = %v, %v, discarded = %v; want an embed and the early iframe kept for adoption", e, err, b.discarded)
	}
}

func TestPermalinkResolver(t *testing.T) {
	var got outcome
	reply := func(v any, err error) { got = outcome{true, v, err} }
	permalinkResolver(nil, &fakeHost{})(map[string]any{"key": "k"}, reply)
	if got.result != (jsvalue.Null{}) {
		t.Errorf("no resolver: replied %+v, want null", got)
	}
	h := &fakeHost{await: func(_, _ any, done func(any, error)) { done(nil, errors.New("nope")) }}
	permalinkResolver(&sdktest.Resolve, h)(nil, reply)
	if got.result != (jsvalue.Null{}) || len(h.warnings) != 1 {
		t.Errorf("failing resolver: replied %+v, warnings %q; want null and a warning", got, h.warnings)
	}
	h = &fakeHost{await: func(_, a any, done func(any, error)) { done("https://app/p/1", nil) }}
	permalinkResolver(&sdktest.Resolve, h)(nil, reply)
	if got.result != "https://app/p/1" {
		t.Errorf("resolver: replied %+v, want its URL", got)
	}
}
