package e2e

import (
	"testing"
)

func TestScratch(t *testing.T) {
	ctx := newTab(t)
	openKit(t, ctx)
	sid := sessionID(t)
	eval(t, ctx, `window.order = []; Promise.all([
		`+sbEmbed("grow", sid, "mount", "fast", `() => kit.token(300)`, `debug: true,`)+`.then(() => { window.order.push("fast resolved"); kit.record(window.fast, "ready", "fast")}),
		`+sbEmbed("grow", sid, "mount2", "slow", `() => new Promise((r) => setTimeout(() => r(kit.token(300)), 600))`, `debug: true,`)+`.then(() => {window.order.push("slow resolved"); kit.record(window.slow, "ready", "slow")}),
	])`, nil)
	var out any
	eval(t, ctx, `new Promise(r => setTimeout(r, 1500)).then(() => ({debug: kit.debug, ev: kit.events, order}))`, &out)
	t.Logf("%s", toJSON(out))
}
