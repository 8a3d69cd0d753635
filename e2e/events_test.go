package e2e

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// The switchboard test page: a small embedded page on the BI origin that
// speaks the protocol as Superset's does (port transfer, get/reply/error,
// emit) and nothing else, so the tests control exactly what the SDK sees.
// It is framed from supersetDomain = biURL + "/kit/sb/<mode>":
//
//	grow  getScrollSize answers the height of #content, which tests change
//	echo  getScrollSize answers the viewport height + 16 px, always
//
// Its body mirrors what happened: data-handshakes, data-tokens,
// data-last-token, data-size-calls. Each getScrollSize is also counted on
// the server, per ?sid=, so that calls can be counted after the iframe is
// gone.
func init() {
	biPages["GET /kit/sb/{mode}/embedded/{id}"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kitServePage(w, r.PathValue("mode"))
	})
	// The same page sent with X-Frame-Options: SAMEORIGIN, as stock
	// Superset sends it: the browser refuses to show it in our frame.
	biPages["GET /kit/xfo/embedded/{id}"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		kitServePage(w, "grow")
	})
	// A page of the BI origin that is not an embedded dashboard.
	biPages["GET /kit/foreign"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>login</title><body data-foreign="yes"><p>Please log in.</p></body>`))
	})
	biPages["POST /kit/count"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kitPageCalls.add(r.URL.Query().Get("sid"), r.URL.Query().Get("name"))
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.WriteHeader(http.StatusNoContent)
	})
}

func kitServePage(w http.ResponseWriter, mode string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = kitPage.Execute(w, mode)
}

var kitPage = template.Must(template.New("sb").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>switchboard test page</title>
<style>html, body { margin: 0; } #content { height: 300px; background: #def; }</style></head>
<body data-mode="{{.}}" data-handshakes="0" data-tokens="0" data-size-calls="0">
<div id="content"></div>
<script>
(function () {
  var body = document.body;
  var sid = new URLSearchParams(location.search).get('sid') || '';
  function bump(key) { body.dataset[key] = String(Number(body.dataset[key]) + 1); }
  function count(name) {
    fetch('/kit/count?sid=' + encodeURIComponent(sid) + '&name=' + name, {method: 'POST', keepalive: true}).catch(function () {});
  }
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || d.type !== '__embedded_comms__' || d.handshake !== 'port transfer' || !e.ports || !e.ports[0]) return;
    var port = e.ports[0];
    bump('handshakes');
    port.onmessage = function (ev) {
      var m = ev.data || {};
      if (m.switchboardAction === 'emit' && m.method === 'guestToken') {
        bump('tokens');
        body.dataset.lastToken = String(m.args && m.args.guestToken);
        return;
      }
      if (m.switchboardAction !== 'get') return;
      if (m.method === 'getScrollSize') {
        bump('sizeCalls');
        count('getScrollSize');
        var h = body.dataset.mode === 'echo' ? window.innerHeight + 16 : document.getElementById('content').offsetHeight;
        port.postMessage({switchboardAction: 'reply', messageId: m.messageId,
          result: {width: document.documentElement.clientWidth, height: h}});
        return;
      }
      port.postMessage({switchboardAction: 'error', messageId: m.messageId,
        error: '[superset] Method "' + m.method + '" is not defined'});
    };
  });
})();
</script>
</body></html>`))

// kitPageCalls counts what switchboard test pages report, per session id.
var kitPageCalls = &kitCounter{n: map[string]int{}}

type kitCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *kitCounter) add(sid, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[sid+"/"+name]++
}

func (c *kitCounter) get(sid, name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[sid+"/"+name]
}

// kitSession names one test's page calls.
func kitSession(t *testing.T) string {
	return strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// kitJS is the host page's test kit, window.kit:
//
//	kit.token(lifetime, iatShift)  a JWT minted in the page (unsigned: the
//	                               SDK reads, never verifies, tokens)
//	kit.record(dash, name)         records the events name of dash in kit.events
//	kit.settle(promise, ms)        {outcome, name, code, message}, "timeout" after ms
//	kit.debug                      the SDK's debug lines, console.debug hooked
//	kit.strictFetch()              the host app's token endpoint, throwing on HTTP errors
const kitJS = `(() => {
  const b64 = (o) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const kit = {
    events: [],
    debug: [],
    jwt: (payload) => b64({alg: 'HS256', typ: 'JWT'}) + '.' + b64(payload) + '.c2lnbmF0dXJl',
    token: (lifetime, iatShift = 0) => {
      const iat = Date.now() / 1000 + iatShift;
      return kit.jwt({type: 'guest', user: {username: 'kit'}, iat, exp: iat + lifetime});
    },
    record: (dash, name, tag = '') => dash.on(name, (detail) => {
      kit.events.push({name, tag, detail: JSON.parse(JSON.stringify(detail === undefined ? null : detail)), at: Date.now()});
    }),
    named: (name, tag = '') => kit.events.filter((e) => e.name === name && e.tag === tag),
    settle: (promise, ms) => Promise.race([
      Promise.resolve(promise).then(
        (v) => ({outcome: 'resolved'}),
        (e) => ({outcome: 'rejected', name: String(e && e.name), code: String(e && e.code), message: String(e && e.message)})),
      new Promise((r) => setTimeout(() => r({outcome: 'timeout'}), ms)),
    ]),
    strictFetch: () => fetch('/api/guest-token', {method: 'POST'}).then((r) => {
      if (!r.ok) throw new Error('guest token endpoint answered HTTP ' + r.status);
      return r.json();
    }).then((j) => j.token),
    mount: (id) => {
      let el = document.getElementById(id);
      if (!el) {
        el = document.createElement('div');
        el.id = id;
        el.style.cssText = 'width:400px;height:300px';
        document.body.appendChild(el);
      }
      return el;
    },
  };
  const debug = console.debug.bind(console);
  console.debug = (...args) => { kit.debug.push(args.map(String).join(' ')); };
  kit.restoreDebug = () => { console.debug = debug; };
  window.kit = kit;
  return true;
})()`

// openKit opens the blank host page and installs the kit.
func openKit(t *testing.T, ctx context.Context) {
	t.Helper()
	open(t, ctx)
	eval(t, ctx, kitJS, nil)
}

// kitDomain is the supersetDomain that frames the switchboard test page.
func kitDomain(mode string) string { return biURL + "/kit/sb/" + mode }

// kitEmbed is an embedDashboard call for the switchboard test page into the
// element with id mount (created if missing), storing the dashboard as
// window[name]. fetch is the fetchGuestToken expression.
func kitEmbed(mode, sid, mount, name, fetch, extra string) string {
	return `dashembed.embedDashboard({
		id: "e2e",
		supersetDomain: "` + kitDomain(mode) + `",
		mountPoint: kit.mount("` + mount + `"),
		fetchGuestToken: ` + fetch + `,
		dashboardUiConfig: {urlParams: {sid: "` + sid + `"}},
		` + extra + `
	}).then((d) => { window["` + name + `"] = d; return true; })`
}

// kitEvent is a recorded event.
type kitEvent struct {
	Name   string         `json:"name"`
	Tag    string         `json:"tag"`
	Detail map[string]any `json:"detail"`
	At     float64        `json:"at"`
}

func kitRecorded(t *testing.T, ctx context.Context, name, tag string) []kitEvent {
	t.Helper()
	var evs []kitEvent
	eval(t, ctx, `kit.named(`+strconv.Quote(name)+`, `+strconv.Quote(tag)+`)`, &evs)
	return evs
}

// kitWaitEvents waits for at least n recorded events name (tag).
func kitWaitEvents(t *testing.T, ctx context.Context, name, tag string, n int, within time.Duration) []kitEvent {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		evs := kitRecorded(t, ctx, name, tag)
		if len(evs) >= n {
			return evs
		}
		if time.Now().After(deadline) {
			var all []kitEvent
			eval(t, ctx, `kit.events`, &all)
			t.Fatalf("%d %q events (tag %q) after %v, want %d; all events: %s", len(evs), name, tag, within, n, toJSON(all))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kitFaults sets the BI host's faults for one test, and clears them after.
func kitFaults(t *testing.T, f devserver.Faults) {
	t.Helper()
	biHost.SetFaults(f)
	t.Cleanup(func() { biHost.SetFaults(devserver.Faults{}) })
}

// kitFrameTokens reads how many tokens the mock dashboard page received.
func kitFrameTokens(ctx context.Context) int {
	var n string
	if err := evalFrame(ctx, biURL+"/embedded/", `document.body.dataset.tokenCount`, &n); err != nil {
		return -1
	}
	v, _ := strconv.Atoi(n)
	return v
}

// TestEventReady: ready fires once the first document holds its token,
// whichever comes first, the token or the document's answer. A host app can
// subscribe only once embedDashboard has resolved, so ready must reach a
// listener subscribed then.
func TestEventReady(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	// fast: the token is there before the iframe has loaded. slow: the
	// document answers long before the token arrives.
	eval(t, ctx, `Promise.all([
		`+kitEmbed("grow", sid, "mount", "fast", `() => kit.token(300)`, ``)+`.then(() => kit.record(window.fast, "ready", "fast")),
		`+kitEmbed("grow", sid, "mount2", "slow", `() => new Promise((r) => setTimeout(() => r(kit.token(300)), 600))`, ``)+`.then(() => kit.record(window.slow, "ready", "slow")),
	])`, nil)
	for _, tag := range []string{"fast", "slow"} {
		evs := kitWaitEvents(t, ctx, "ready", tag, 1, 3*time.Second)
		if len(evs) != 1 {
			t.Errorf("%s: %d ready events, want 1", tag, len(evs))
		}
	}
	time.Sleep(300 * time.Millisecond)
	for _, tag := range []string{"fast", "slow"} {
		if n := len(kitRecorded(t, ctx, "ready", tag)); n != 1 {
			t.Errorf("%s: %d ready events, want exactly 1", tag, n)
		}
	}
}

// TestEventTokenRefreshedAndListeners: with the BI host minting 8 s
// tokens, the embed refreshes after 5 s and says so with tokenRefreshed
// {exp}. A listener removed with off() hears nothing; one that throws stops
// neither the listeners after it nor the SDK.
func TestEventTokenRefreshedAndListeners(t *testing.T) {
	kitFaults(t, devserver.Faults{TokenLifetime: 8 * time.Second})
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, embedJS(``)+`.then(() => {
		window.dash.on("tokenRefreshed", () => { throw new Error("a host app bug"); });
		window.removed = 0;
		const off = window.dash.on("tokenRefreshed", () => { window.removed++; });
		kit.record(window.dash, "tokenRefreshed");
		off();
		off(); // twice: harmless
		return true;
	})`, nil)
	waitFrame(t, ctx, biURL+"/embedded/", `Number(document.body.dataset.tokenCount) >= 1`)
	started := float64(time.Now().UnixMilli()) / 1000

	evs := kitWaitEvents(t, ctx, "tokenRefreshed", "", 1, 12*time.Second)
	exp, ok := evs[0].Detail["exp"].(float64)
	if !ok {
		t.Fatalf("tokenRefreshed detail = %v, want {exp: <seconds>}", evs[0].Detail)
	}
	if refreshedAt := evs[0].At / 1000; exp < refreshedAt+6 || exp > refreshedAt+10 {
		t.Errorf("tokenRefreshed exp = %.3f, want about 8 s after the refresh at %.3f", exp, refreshedAt)
	}
	if evs[0].At/1000-started < 3 {
		t.Errorf("refreshed %.1f s after the first token, want about 5 s", evs[0].At/1000-started)
	}
	var removed int
	eval(t, ctx, `window.removed`, &removed)
	if removed != 0 {
		t.Errorf("a listener removed with off() was called %d times", removed)
	}
	// The throwing listener ran first; the SDK went on: the new token
	// reached the dashboard and calls still work.
	deadline := time.Now().Add(5 * time.Second)
	for kitFrameTokens(ctx) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard holds %d tokens after tokenRefreshed, want 2", kitFrameTokens(ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
	var size map[string]float64
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	if size["height"] <= 0 {
		t.Errorf("getScrollSize() after a throwing listener = %v", size)
	}
}

// TestEventTokenErrorThenRecovery: the BI host's token endpoint fails twice
// (503), then recovers. Each failure is a tokenError with the wait before
// the retry, backing off; then the embed recovers on its own.
func TestEventTokenErrorThenRecovery(t *testing.T) {
	kitFaults(t, devserver.Faults{TokenLifetime: 8 * time.Second})
	ctx := newTab(t)
	openKit(t, ctx)
	// The jitter at its smallest, so the retries come as early as they may.
	eval(t, ctx, `Math.random = () => 0; true`, nil)
	eval(t, ctx, embedJS(`fetchGuestToken: kit.strictFetch,`)+`.then(() => {
		kit.record(window.dash, "tokenError");
		kit.record(window.dash, "tokenRefreshed");
		kit.record(window.dash, "error");
		return true;
	})`, nil)
	waitFrame(t, ctx, biURL+"/embedded/", `Number(document.body.dataset.tokenCount) >= 1`)
	kitFaults(t, devserver.Faults{TokenLifetime: 8 * time.Second, GuestTokenFail: 2})

	refreshed := kitWaitEvents(t, ctx, "tokenRefreshed", "", 1, 25*time.Second)
	errs := kitRecorded(t, ctx, "tokenError", "")
	if len(errs) != 2 {
		t.Fatalf("%d tokenError events before recovery, want 2: %s", len(errs), toJSON(errs))
	}
	var retries []float64
	for i, ev := range errs {
		msg, _ := ev.Detail["error"].(string)
		retry, ok := ev.Detail["retryInMs"].(float64)
		if !ok || retry <= 0 {
			t.Errorf("tokenError %d: retryInMs = %v, want a positive number", i, ev.Detail["retryInMs"])
		}
		if !strings.Contains(msg, "503") {
			t.Errorf("tokenError %d: error = %q, want the reason (HTTP 503)", i, msg)
		}
		retries = append(retries, retry)
	}
	if len(retries) == 2 {
		if retries[0] > 10000 {
			t.Errorf("first retry in %v ms, want ≤ 10000", retries[0])
		}
		if retries[1] <= retries[0] {
			t.Errorf("retries in %v ms: no back-off", retries)
		}
		// The retry came when announced.
		if gap := errs[1].At - errs[0].At; gap < retries[0]-300 || gap > retries[0]+2000 {
			t.Errorf("second attempt %v ms after the first failure, announced %v ms", gap, retries[0])
		}
		if gap := refreshed[0].At - errs[1].At; gap < retries[1]-300 || gap > retries[1]+2000 {
			t.Errorf("recovery %v ms after the second failure, announced %v ms", gap, retries[1])
		}
	}
	for _, ev := range kitRecorded(t, ctx, "error", "") {
		if ev.Detail["code"] != "TOKEN_FETCH_FAILED" {
			t.Errorf("error event %v, want code TOKEN_FETCH_FAILED", ev.Detail)
		}
	}
	if n := len(kitRecorded(t, ctx, "error", "")); n != 2 {
		t.Errorf("%d error events, want one TOKEN_FETCH_FAILED per failure (2)", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for kitFrameTokens(ctx) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard holds %d tokens after the recovery, want 2", kitFrameTokens(ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestEventNavigated: the iframe reloads (a new embedded document), then
// goes to a page of the BI host that is not a dashboard.
func TestEventNavigated(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, embedJS(`handshakeTimeoutMs: 600,`)+`.then(() => { kit.record(window.dash, "navigated"); return true; })`, nil)
	frame := biURL + "/embedded/"
	waitFrame(t, ctx, frame, `Number(document.body.dataset.tokenCount) >= 1`)

	if err := evalFrame(ctx, frame, `location.reload(), true`, nil); err != nil {
		t.Fatal(err)
	}
	evs := kitWaitEvents(t, ctx, "navigated", "", 1, 5*time.Second)
	if evs[0].Detail["embedded"] != true {
		t.Errorf("navigated after a reload: %v, want embedded: true", evs[0].Detail)
	}
	waitFrame(t, ctx, frame, `Number(document.body.dataset.tokenCount) >= 1`)

	if err := evalFrame(ctx, frame, `location.href = `+strconv.Quote(biURL+"/kit/foreign")+`, true`, nil); err != nil {
		t.Fatal(err)
	}
	evs = kitWaitEvents(t, ctx, "navigated", "", 2, 5*time.Second)
	if evs[1].Detail["embedded"] != false {
		t.Errorf("navigated to a login page: %v, want embedded: false", evs[1].Detail)
	}
	if len(evs) != 2 {
		t.Errorf("%d navigated events, want 2", len(evs))
	}
}

// TestEventErrorHandshakeTimeout: an iframe that never answers is
// reported with the code HANDSHAKE_TIMEOUT and a message that names
// framing, in bounded time, instead of a blank box. embedDashboard resolves
// only once the first document answered, so for it the report is the
// rejection (there is no dashboard to subscribe to yet); should it resolve,
// the report must come as an error event.
func TestEventErrorHandshakeTimeout(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	cases := []struct{ tag, params string }{
		// (a) the dashboard page ignores the port (the dev server's fault)
		{"silent", `id: "` + devserver.DemoDashboardUUID + `", supersetDomain: "` + biURL + `",
			dashboardUiConfig: {urlParams: {faults: "no_handshake"}},`},
		// (b) the BI host sends X-Frame-Options: SAMEORIGIN, as stock
		// Superset does; the browser shows an error page instead
		{"xfo", `id: "e2e", supersetDomain: "` + biURL + `/kit/xfo",`},
	}
	for i, c := range cases {
		mount := "hs" + strconv.Itoa(i)
		var got struct {
			kitOutcome
			Ms      float64
			Iframes int
		}
		eval(t, ctx, `(async () => {
			const t0 = Date.now();
			const r = await kit.settle(dashembed.embedDashboard({`+c.params+`
				mountPoint: kit.mount("`+mount+`"), fetchGuestToken: () => kit.token(300), handshakeTimeoutMs: 400,
			}).then((d) => { kit.record(d, "error", "`+c.tag+`"); kit.record(d, "ready", "`+c.tag+`"); }), 3000);
			return Object.assign(r, {ms: Date.now() - t0, iframes: document.querySelectorAll("#`+mount+` iframe").length});
		})()`, &got)
		var code, msg string
		switch got.Outcome {
		case "rejected":
			code, msg = got.Code, got.Message
			if got.Iframes != 0 {
				t.Errorf("%s: the rejected embed left %d iframes", c.tag, got.Iframes)
			}
			if got.Ms > 2000 {
				t.Errorf("%s: rejected after %.0f ms, want soon after the 400 ms handshake timeout", c.tag, got.Ms)
			}
		case "resolved":
			evs := kitWaitEvents(t, ctx, "error", c.tag, 1, 3*time.Second)
			code, _ = evs[0].Detail["code"].(string)
			msg, _ = evs[0].Detail["message"].(string)
			if n := len(kitRecorded(t, ctx, "ready", c.tag)); n != 0 {
				t.Errorf("%s: %d ready events for a document that never answered", c.tag, n)
			}
		default:
			t.Errorf("%s: embedDashboard neither resolved nor rejected within 3 s", c.tag)
			continue
		}
		if code != "HANDSHAKE_TIMEOUT" {
			t.Errorf("%s: reported with code %q (%s), want HANDSHAKE_TIMEOUT", c.tag, code, msg)
		}
		if !strings.Contains(msg, "X-Frame-Options") || !strings.Contains(msg, "frame-ancestors") {
			t.Errorf("%s: message %q does not name framing (X-Frame-Options, CSP frame-ancestors)", c.tag, msg)
		}
	}
}

// TestEventErrorTokenProblems: each way fetchGuestToken can go wrong gives
// an error event with its code. Each embed's first token is good (8 s); its
// refresh, 5 s later, is bad.
func TestEventErrorTokenProblems(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := kitSession(t)
	cases := []struct {
		tag, later, code string
		tokenError       bool
	}{
		{"number", `42`, "TOKEN_INVALID", true},
		{"undefined", `undefined`, "TOKEN_INVALID", true},
		{"not a JWT", `"not-a-jwt"`, "TOKEN_INVALID", false},
		{"expired JWT", `kit.jwt({exp: Date.now() / 1000 - 3600})`, "TOKEN_INVALID", true},
		{"rejects", `Promise.reject(new Error("backend down"))`, "TOKEN_FETCH_FAILED", true},
	}
	var embeds []string
	for i, c := range cases {
		fetch := `(() => { let n = 0; return () => n++ === 0 ? kit.token(8) : (` + c.later + `); })()`
		name := "dash" + strconv.Itoa(i)
		embeds = append(embeds, kitEmbed("grow", sid, "m"+strconv.Itoa(i), name, fetch, ``)+
			`.then(() => { kit.record(window.`+name+`, "error", `+strconv.Quote(c.tag)+`); kit.record(window.`+name+`, "tokenError", `+strconv.Quote(c.tag)+`); })`)
	}
	eval(t, ctx, `Promise.all([`+strings.Join(embeds, ",\n")+`]).then(() => true)`, nil)
	for _, c := range cases {
		evs := kitWaitEvents(t, ctx, "error", c.tag, 1, 10*time.Second)
		if evs[0].Detail["code"] != c.code {
			t.Errorf("%s: error event %v, want code %s", c.tag, evs[0].Detail, c.code)
		}
		if msg, _ := evs[0].Detail["message"].(string); msg == "" {
			t.Errorf("%s: error event without a message", c.tag)
		}
		if c.tokenError {
			if n := len(kitRecorded(t, ctx, "tokenError", c.tag)); n == 0 {
				t.Errorf("%s: no tokenError event", c.tag)
			}
		}
	}
}

// TestEventErrorFirstToken: the first fetchGuestToken failing rejects
// embedDashboard with the code; a first token that is usable but flawed
// (not a JWT, already expired) is delivered, and the error event must still
// reach the host app, which can only subscribe once embedDashboard resolved.
func TestEventErrorFirstToken(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	eval(t, ctx, `Math.random = () => 0; true`, nil)
	sid := kitSession(t)
	rejects := []struct{ fetch, code string }{
		{`() => 42`, "TOKEN_INVALID"},
		{`() => Promise.resolve(undefined)`, "TOKEN_INVALID"},
		{`() => Promise.reject(new Error("backend down"))`, "TOKEN_FETCH_FAILED"},
	}
	for _, r := range rejects {
		var got struct{ Outcome, Code, Message string }
		eval(t, ctx, `kit.settle(`+kitEmbed("grow", sid, "mount", "x", r.fetch, ``)+`, 3000)`, &got)
		if got.Outcome != "rejected" || got.Code != r.code {
			t.Errorf("fetchGuestToken %s: embedDashboard %s with code %q (%s), want rejected with %s", r.fetch, got.Outcome, got.Code, got.Message, r.code)
		}
	}
	flawed := []struct{ tag, token string }{
		{"not a JWT", `"not-a-jwt"`},
		{"expired", `kit.jwt({exp: Date.now() / 1000 - 3600})`},
	}
	var embeds []string
	for i, f := range flawed {
		name := "flawed" + strconv.Itoa(i)
		embeds = append(embeds, kitEmbed("grow", sid, "f"+strconv.Itoa(i), name, `() => `+f.token, ``)+
			`.then(() => kit.record(window.`+name+`, "error", `+strconv.Quote(f.tag)+`))`)
	}
	eval(t, ctx, `Promise.all([`+strings.Join(embeds, ",")+`]).then(() => true)`, nil)
	time.Sleep(1500 * time.Millisecond)
	for _, f := range flawed {
		evs := kitRecorded(t, ctx, "error", f.tag)
		if len(evs) == 0 {
			t.Errorf("%s first token: no error event within 1.5 s of embedDashboard resolving", f.tag)
			continue
		}
		if evs[0].Detail["code"] != "TOKEN_INVALID" {
			t.Errorf("%s first token: error event %v, want TOKEN_INVALID", f.tag, evs[0].Detail)
		}
	}
}
