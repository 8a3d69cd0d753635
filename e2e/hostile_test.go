package e2e

import (
	"context"
	"strings"
	"testing"
)

// kitOutcome is how a call ended, raced against a timer (see kit.settle).
type kitOutcome struct {
	Outcome, Name, Code, Message string
}

func (s kitOutcome) String() string {
	if s.Outcome != "rejected" {
		return s.Outcome
	}
	return "rejected with " + s.Name + " " + s.Code + ": " + s.Message
}

// settle runs expr (an expression, awaited) and says how it ended within 3 s.
// A synchronous throw counts as a rejection.
func kitSettle(t *testing.T, ctx context.Context, expr string) kitOutcome {
	t.Helper()
	var s kitOutcome
	eval(t, ctx, `kit.settle((async () => (`+expr+`))(), 3000)`, &s)
	return s
}

// kitBaseJS is a valid params object for the switchboard test page,
// with overrides: kit.base({option: value}).
const kitBaseJS = `kit.base = (over) => Object.assign({
	id: "e2e", supersetDomain: "%s", mountPoint: kit.mount("mount"),
	fetchGuestToken: () => kit.token(300), handshakeTimeoutMs: 1500,
}, over); true`

// kitNoIframes checks that a refused embed left nothing behind.
func kitNoIframes(t *testing.T, ctx context.Context, after string) {
	t.Helper()
	var n int
	eval(t, ctx, `document.querySelectorAll("iframe").length`, &n)
	if n != 0 {
		t.Errorf("%s: %d iframes left in the document, want 0", after, n)
		eval(t, ctx, `document.querySelectorAll("iframe").forEach((f) => f.remove()), true`, nil)
	}
}

// kitStillWorks embeds the demo dashboard normally and checks that it
// gets its token and answers a call: nothing before broke the SDK.
func kitStillWorks(t *testing.T, ctx context.Context) {
	t.Helper()
	s := kitSettle(t, ctx, embedJS(``))
	if s.Outcome != "resolved" {
		t.Fatalf("a normal embed after the hostile input: %s", s)
	}
	waitFrame(t, ctx, biURL+"/embedded/", `Number(document.body.dataset.tokenCount) >= 1`)
	if s := kitSettle(t, ctx, `window.dash.getScrollSize()`); s.Outcome != "resolved" {
		t.Errorf("getScrollSize() on the normal embed: %s", s)
	}
	eval(t, ctx, `window.dash.unmount(), true`, nil)
}

// TestHostileOptions: every option with values of the wrong type, and
// params objects that throw when read. Each is refused with an error that
// names the option, leaves no iframe, and breaks nothing.
func TestHostileOptions(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, strings.Replace(kitBaseJS, "%s", kitDomain("grow"), 1), nil)
	bad := map[string][]string{
		"id":                       {`{}`, `[]`, `true`, `""`, `1.5`, `NaN`, `() => 1`, `Symbol("id")`, `10n`},
		"supersetDomain":           {`42`, `{}`, `[]`, `""`, `"not a url"`, `"javascript:alert(1)"`, `"ftp://example.com"`, `null`},
		"mountPoint":               {`"#mount"`, `{}`, `[]`, `document`, `document.createTextNode("x")`, `window`, `null`, `42`},
		"fetchGuestToken":          {`"token"`, `{}`, `42`, `null`, `true`, `Promise.resolve("t")`},
		"dashboardUiConfig":        {`"x"`, `42`, `[]`, `true`, `{hideTitle: "yes"}`, `{filters: 3}`, `{filters: {visible: "no"}}`, `{filters: {bogus: true}}`, `{urlParams: 4}`, `{urlParams: {a: {}}}`, `{urlParams: {a: NaN}}`, `{urlParams: {a: () => 1}}`, `{bogus: 1}`},
		"debug":                    {`"true"`, `1`, `{}`},
		"iframeTitle":              {`5`, `{}`, `true`, `["t"]`},
		"iframeSandboxExtras":      {`"allow-modals"`, `[5]`, `["a b"]`, `[""]`, `{}`},
		"iframeAllowExtras":        {`5`, `["a;b"]`, `"camera"`, `[{}]`},
		"referrerPolicy":           {`5`, `"bogus"`, `{}`},
		"resolvePermalinkUrl":      {`5`, `"fn"`, `{}`},
		"guestTokenFetchTimeoutMs": {`"5"`, `NaN`, `Infinity`, `1e12`, `{}`},
		"handshakeTimeoutMs":       {`0`, `-1`, `"1"`, `NaN`, `1e12`},
		"autoResize":               {`"yes"`, `1`, `[]`, `{minHeight: -1}`, `{maxHeight: 0}`, `{minHeight: 500, maxHeight: 100}`, `{foo: 1}`, `{minHeight: "1"}`},
	}
	for option, values := range bad {
		for _, v := range values {
			s := kitSettle(t, ctx, `dashembed.embedDashboard(kit.base({`+option+`: `+v+`}))`)
			if s.Outcome != "rejected" || !strings.Contains(s.Message, option) {
				t.Errorf("%s: %s → %s; want a rejection naming %s", option, v, s, option)
			}
		}
	}
	kitNoIframes(t, ctx, "options of the wrong type")

	thrown := []struct{ name, params, want string }{
		{"not an object: null", `null`, "params"},
		{"not an object: a number", `5`, "params"},
		{"not an object: a string", `"e2e"`, "params"},
		{"not an object: an array", `[kit.base({})]`, "params"},
		{"not an object: a function", `() => kit.base({})`, "params"},
		{"not an object: a Date", `new Date()`, "params"},
		{"getter that throws on id", `(() => { const p = kit.base({}); delete p.id; Object.defineProperty(p, "id", {enumerable: true, get() { throw new Error("id getter boom"); }}); return p; })()`, "id"},
		{"getter that throws on fetchGuestToken", `(() => { const p = kit.base({}); delete p.fetchGuestToken; Object.defineProperty(p, "fetchGuestToken", {enumerable: true, get() { throw new Error("boom"); }}); return p; })()`, "fetchGuestToken"},
		{"getter that throws a non-Error", `(() => { const p = kit.base({}); delete p.mountPoint; Object.defineProperty(p, "mountPoint", {enumerable: true, get() { throw {toString() { throw new Error("twice"); }}; }}); return p; })()`, "mountPoint"},
		{"Proxy whose ownKeys throws", `new Proxy(kit.base({}), {ownKeys() { throw new Error("ownKeys boom"); }})`, "params"},
		{"Proxy whose getPrototypeOf throws", `new Proxy(kit.base({}), {getPrototypeOf() { throw new Error("proto boom"); }})`, "params"},
		{"Proxy whose get throws", `new Proxy(kit.base({}), {get() { throw new Error("get boom"); }})`, ""},
		{"revoked Proxy", `(() => { const r = Proxy.revocable(kit.base({}), {}); r.revoke(); return r.proxy; })()`, "params"},
		{"dashboardUiConfig Proxy whose ownKeys throws", `kit.base({dashboardUiConfig: new Proxy({}, {ownKeys() { throw new Error("nested boom"); }})})`, "dashboardUiConfig"},
		{"cyclic urlParams", `(() => { const o = {}; o.self = o; return kit.base({dashboardUiConfig: {urlParams: o}}); })()`, "urlParams"},
		{"conflicting domain aliases", `kit.base({calabiiqDomain: "` + biURL + `/other"})`, "Domain"},
	}
	for _, c := range thrown {
		s := kitSettle(t, ctx, `dashembed.embedDashboard(`+c.params+`)`)
		if s.Outcome != "rejected" || !strings.Contains(s.Message, c.want) {
			t.Errorf("%s → %s; want a rejection naming %q", c.name, s, c.want)
		}
	}
	kitNoIframes(t, ctx, "params that throw")
	kitStillWorks(t, ctx)
}

// TestHostileFetchGuestToken: fetchGuestToken misbehaving in every way
// rejects embedDashboard with a code, in bounded time, leaving no iframe.
func TestHostileFetchGuestToken(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, strings.Replace(kitBaseJS, "%s", kitDomain("grow"), 1), nil)
	cases := []struct{ name, fetch, code string }{
		{"returns a number", `() => 42`, "TOKEN_INVALID"},
		{"resolves a number", `async () => 42`, "TOKEN_INVALID"},
		{"resolves undefined", `async () => undefined`, "TOKEN_INVALID"},
		{"resolves an empty string", `async () => ""`, "TOKEN_INVALID"},
		{"resolves an object", `async () => ({token: kit.token(300)})`, "TOKEN_INVALID"},
		{"throws synchronously", `() => { throw new Error("sync boom"); }`, "TOKEN_FETCH_FAILED"},
		{"throws a string", `() => { throw "just a string"; }`, "TOKEN_FETCH_FAILED"},
		{"rejects with null", `() => Promise.reject(null)`, "TOKEN_FETCH_FAILED"},
		{"rejects with an unprintable value", `() => Promise.reject({toString() { throw new Error("no"); }})`, "TOKEN_FETCH_FAILED"},
		{"returns a thenable that throws", `() => ({get then() { throw new Error("then boom"); }})`, "TOKEN_FETCH_FAILED"},
		{"never settles", `() => new Promise(() => {})`, "TOKEN_FETCH_FAILED"},
	}
	for _, c := range cases {
		s := kitSettle(t, ctx, `dashembed.embedDashboard(kit.base({fetchGuestToken: `+c.fetch+`, guestTokenFetchTimeoutMs: 300}))`)
		if s.Outcome != "rejected" || s.Code != c.code {
			t.Errorf("fetchGuestToken %s → %s; want a rejection with code %s", c.name, s, c.code)
		}
		kitNoIframes(t, ctx, "fetchGuestToken "+c.name)
	}
	kitStillWorks(t, ctx)
}

// TestHostileMountPointDetached: a mount point that is not in the document
// cannot show a dashboard (its iframe never loads). embedDashboard must say
// so rather than wait for ever.
func TestHostileMountPointDetached(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, strings.Replace(kitBaseJS, "%s", kitDomain("grow"), 1), nil)
	s := kitSettle(t, ctx, `dashembed.embedDashboard(kit.base({mountPoint: document.createElement("div")}))`)
	if s.Outcome != "rejected" || !strings.Contains(s.Message, "mountPoint") {
		t.Errorf("a detached mountPoint → %s; want a rejection naming mountPoint", s)
	}
	kitStillWorks(t, ctx)
}

// TestHostileAfterUnmount: unmount() twice, and every method after
// unmount(): each rejects with PortClosedError or does nothing; none hangs.
func TestHostileAfterUnmount(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, strings.Replace(kitBaseJS, "%s", kitDomain("grow"), 1), nil)
	eval(t, ctx, `dashembed.embedDashboard(kit.base({})).then((d) => { window.dash = d; return true; })`, nil)
	if s := kitSettle(t, ctx, `window.dash.getScrollSize()`); s.Outcome != "resolved" {
		t.Fatalf("getScrollSize() before unmount: %s", s)
	}
	// Calls in flight at unmount() are cancelled too.
	eval(t, ctx, `window.inflight = window.dash.getChartStates(); true`, nil)
	for i := 0; i < 2; i++ {
		if s := kitSettle(t, ctx, `window.dash.unmount()`); s.Outcome != "resolved" {
			t.Errorf("unmount() #%d: %s", i+1, s)
		}
	}
	kitNoIframes(t, ctx, "unmount()")
	if s := kitSettle(t, ctx, `window.inflight`); s.Outcome == "timeout" {
		t.Errorf("a call in flight at unmount() never settled")
	}
	methods := []struct {
		call string
		// mayResolve: a method with nothing to answer may be a no-op.
		mayResolve bool
	}{
		{`getScrollSize()`, false},
		{`getDashboardPermalink("anchor")`, false},
		{`getActiveTabs()`, false},
		{`getDataMask()`, false},
		{`getChartStates()`, false},
		{`getChartDataPayloads({chartId: 1})`, false},
		{`getChartDataPayloads()`, false},
		{`setDataMask({})`, false},
		{`setThemeConfig({token: {colorPrimary: "#f00"}})`, true},
		{`setThemeMode("dark")`, true},
		{`observeDataMask(() => {})`, true},
		{`on("ready", () => {})()`, true},
		{`unmount()`, true},
	}
	for _, m := range methods {
		s := kitSettle(t, ctx, `window.dash.`+m.call)
		switch {
		case s.Outcome == "timeout":
			t.Errorf("%s after unmount() hangs", m.call)
		case s.Outcome == "rejected" && s.Name != "PortClosedError":
			t.Errorf("%s after unmount() → %s; want a PortClosedError or nothing", m.call, s)
		case s.Outcome == "resolved" && !m.mayResolve:
			t.Errorf("%s after unmount() resolved; want a PortClosedError", m.call)
		}
	}
	kitNoIframes(t, ctx, "methods after unmount()")
	kitStillWorks(t, ctx)
}

// TestHostileMethodArguments: a live dashboard's methods given the wrong
// types refuse them clearly and keep working.
func TestHostileMethodArguments(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, strings.Replace(kitBaseJS, "%s", kitDomain("grow"), 1), nil)
	eval(t, ctx, `dashembed.embedDashboard(kit.base({})).then((d) => { window.dash = d; return true; })`, nil)
	calls := []struct{ call, want string }{
		{`getDashboardPermalink(42)`, "anchor"},
		{`setThemeMode("neon")`, "mode"},
		{`setThemeMode()`, "mode"},
		{`observeDataMask("cb")`, "callback"},
		{`on("bogus", () => {})`, "event"},
		{`on("ready", "not a function")`, "listener"},
		{`on(Symbol("ready"), () => {})`, "event"},
	}
	for _, c := range calls {
		s := kitSettle(t, ctx, `window.dash.`+c.call)
		if s.Outcome != "rejected" || !strings.Contains(s.Message, c.want) {
			t.Errorf("%s → %s; want an error naming %s", c.call, s, c.want)
		}
	}
	// Arguments that throw when read are the caller's problem, not a hang.
	for _, call := range []string{
		`getChartDataPayloads(new Proxy({}, {get() { throw new Error("get boom"); }, ownKeys() { throw new Error("keys boom"); }}))`,
		`setDataMask((() => { const o = {}; o.self = o; return o; })())`,
		`setThemeConfig({get token() { throw new Error("boom"); }})`,
	} {
		if s := kitSettle(t, ctx, `window.dash.`+call); s.Outcome == "timeout" {
			t.Errorf("%s hangs", call)
		}
	}
	if s := kitSettle(t, ctx, `window.dash.getScrollSize()`); s.Outcome != "resolved" {
		t.Errorf("getScrollSize() after bad arguments: %s", s)
	}
	eval(t, ctx, `window.dash.unmount(), true`, nil)
	kitStillWorks(t, ctx)
}
