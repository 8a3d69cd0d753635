package e2e

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver"
)

// embedJS embeds the demo dashboard into #mount as window.dash, with extra
// options spliced into the params object.
func embedJS(extra string) string {
	return `dashembed.embedDashboard({
		id: "` + devserver.DemoDashboardUUID + `",
		supersetDomain: "` + biURL + `/",
		mountPoint: document.getElementById("mount"),
		fetchGuestToken: window.fetchToken,
		` + extra + `
	}).then((d) => { window.dash = d; return true; })`
}

func TestEmbedDeliversTokenAndAnswersCalls(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	eval(t, ctx, embedJS(`dashboardUiConfig: {hideTitle: true, filters: {expanded: false}},`), nil)

	var attrs map[string]string
	eval(t, ctx, `(() => { const f = document.querySelector("#mount iframe");
		return {src: f.src, sandbox: f.getAttribute("sandbox"), allow: f.getAttribute("allow"), title: f.title,
			count: String(document.querySelectorAll("#mount > *").length)}; })()`, &attrs)
	want := map[string]string{
		"src":     biURL + "/embedded/" + devserver.DemoDashboardUUID + "?uiConfig=1&expand_filters=false",
		"sandbox": "allow-same-origin allow-scripts allow-presentation allow-downloads allow-forms allow-popups",
		"allow":   "fullscreen; clipboard-write",
		"title":   "Embedded Dashboard",
		"count":   "1",
	}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("iframe %s = %q, want %q", k, attrs[k], v)
		}
	}

	// The token must arrive in the embedded document itself.
	frame := biURL + "/embedded/"
	waitFrame(t, ctx, frame, `Number(document.body.dataset.tokenCount) >= 1`)
	var token string
	if err := evalFrame(ctx, frame, `document.body.dataset.lastToken`, &token); err != nil {
		t.Fatal(err)
	}
	claims := decodeClaims(t, token)
	if claims["type"] != "guest" {
		t.Errorf("token type = %v, want guest", claims["type"])
	}
	resources, _ := claims["resources"].([]any)
	if len(resources) != 1 || !strings.Contains(toJSON(resources[0]), devserver.DemoDashboardUUID) {
		t.Errorf("token resources = %v, want the demo dashboard", claims["resources"])
	}

	var size map[string]float64
	eval(t, ctx, `window.dash.getScrollSize()`, &size)
	if size["width"] <= 0 || size["height"] <= 0 {
		t.Errorf("getScrollSize() = %v, want positive width and height", size)
	}

	var left int
	eval(t, ctx, `(() => { window.dash.unmount(); return document.querySelectorAll("#mount iframe").length; })()`, &left)
	if left != 0 {
		t.Errorf("%d iframes left after unmount(), want 0", left)
	}
	if msg := rejection(t, ctx, `window.dash.getScrollSize()`); !strings.HasPrefix(msg, "PortClosedError: ") {
		t.Errorf("getScrollSize() after unmount rejected with %q, want a PortClosedError", msg)
	}
}

func TestBadOptionsRejectNamingTheOption(t *testing.T) {
	ctx := newTab(t)
	open(t, ctx)
	mount := `mountPoint: document.getElementById("mount"),`
	domain := `supersetDomain: "` + biURL + `",`
	fetch := `fetchGuestToken: window.fetchToken,`
	id := `id: "` + devserver.DemoDashboardUUID + `",`
	cases := []struct {
		name, params, option string
	}{
		{"no params", ``, `params`},
		{"missing id", `{` + domain + mount + fetch + `}`, `"id"`},
		{"id object", `{id: {}, ` + domain + mount + fetch + `}`, `"id"`},
		{"missing domain", `{` + id + mount + fetch + `}`, `"supersetDomain"`},
		{"relative domain", `{` + id + `supersetDomain: "/superset",` + mount + fetch + `}`, `"supersetDomain"`},
		{"ftp domain", `{` + id + `supersetDomain: "ftp://x.example",` + mount + fetch + `}`, `"supersetDomain"`},
		{"mount string", `{` + id + domain + `mountPoint: "#mount",` + fetch + `}`, `"mountPoint"`},
		{"mount missing", `{` + id + domain + fetch + `}`, `"mountPoint"`},
		{"fetch string", `{` + id + domain + mount + `fetchGuestToken: "token",}`, `"fetchGuestToken"`},
		{"fetch missing", `{` + id + domain + mount + `}`, `"fetchGuestToken"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := rejection(t, ctx, `dashembed.embedDashboard(`+c.params+`)`)
			if !strings.Contains(msg, c.option) {
				t.Errorf("rejected with %q, want a message naming %s", msg, c.option)
			}
			var n int
			eval(t, ctx, `document.querySelectorAll("iframe").length`, &n)
			if n != 0 {
				t.Errorf("%d iframes mounted after a rejected embed, want 0", n)
			}
		})
	}
	// Nothing above may have broken the SDK for the next caller.
	eval(t, ctx, embedJS(``), nil)
	waitFrame(t, ctx, biURL+"/embedded/", `Number(document.body.dataset.tokenCount) >= 1`)
}

func TestDemoPageEmbedsWithToken(t *testing.T) {
	ctx := newTab(t)
	navigate(t, ctx, hostURL+"/")
	waitTop(t, ctx, `document.body.dataset.state === "embedded" || document.body.dataset.state === "error"`)
	var status string
	eval(t, ctx, `document.body.dataset.state + ": " + document.getElementById("embed-status").textContent`, &status)
	if !strings.HasPrefix(status, "embedded") {
		t.Fatalf("the demo page says %q", status)
	}
	waitFrame(t, ctx, biURL+"/embedded/", `Number(document.body.dataset.tokenCount) >= 1`)
	waitFrame(t, ctx, biURL+"/embedded/", `/holds a guest token/.test(document.getElementById("token-status").textContent)`)
}

func decodeClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", token)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
