package bundle

import (
	"math"
	"math/rand/v2"
	"strings"
)

// The random cases of the differential test: mostly valid params with a
// few options changed, so that both sides accept often enough for the
// comparison to mean something, and every option meets its odd values.

// baseParams is a minimal valid argument, as sdktest.Options(nil) is in
// the SDK's own tests.
func baseParams() *jsv {
	return obj("id", str("abc-123"), "supersetDomain", str("https://bi.example.com"),
		"mountPoint", element(true), "fetchGuestToken", fn())
}

// Lone surrogates, which Go receives as U+FFFD.
var (
	loneHigh = units(0xD800)
	loneLow  = units('x', 0xDC00)
	// A high surrogate followed by a character that is not a low one.
	brokenPair = units(0xD83D, 'a')
	// A low surrogate, then a high one: two lone surrogates.
	reversedPair = units(0xDE00, 0xD83D)
)

var numbers = []float64{
	0, math.Copysign(0, -1), 1, -1, 3, 42, -7, 0.5, 1.5, -2.5, 1.0 / 3, 0.1 + 0.2, 100, 1e20, 1e21, 1.5e21,
	1e-6, 1e-7, -1e-7, 123e-20, 5e-324, math.MaxFloat64, 1 << 53, 1<<53 + 2, 1<<53 - 1, 123456789012,
	2147483647, 2147483648, 4294967295, 4294967296, math.NaN(), math.Inf(1), math.Inf(-1),
}

var texts = []string{
	"", "x", "x y", "1&2", "k=v", "1+1", "a/b", "日本", "100%", "😀", "\uFFFD", "é", "café", "\t\n",
	"\x00", `'"`, "~!*()", "<script>", "\u2028", "\uFEFF", "\u0085", "\uE000", "\uFFFF", "Zürich €😀",
}

// urlParamKeys mixes array indexes, numbers that are not indexes,
// characters whose UTF-16 and UTF-8 orders differ, and the names of the
// parameters urlParams can override.
var urlParamKeys = []string{
	"a", "b", "z", "A", "_", "foo", "standalone", "native_filters", "0", "1", "2", "10", "4294967294",
	"4294967295", "01", "00", "-1", "-0", "1.5", "1e3", " 1", "😀", "！", "é", "\uFFFD", "\uE000", "\uFFFF",
	"日本", "a b", "a&b", "a=b", "uiConfig", "show_filters", "expand_filters", "__proto__", "toString",
	"constructor", "hasOwnProperty", "",
}

var (
	schemes = []string{"https", "https", "https", "http", "http", "HTTPS", "Http", "ftp", "", "javascript"}
	hosts   = []string{
		"bi.example.com", "bi.example.com", "localhost", "Host.Example", "127.0.0.1", "[::1]", "[2001:DB8::1]",
		"[0:0:0:0:0:0:0:1]", "[::FFFF:1.2.3.4]", "[zz]", "[::1", "bücher.example", "xn--bcher-kva.example",
		"1.2.3", "0x7f.0.0.1", "999.1.1.1", "123", "a_b.example", "EXAMPLE.COM.", "a..b", "", "bi%2Eexample.com",
		"user:pw@bi.example.com", "bi|example.com", "ex ample.com", "-x-.example",
	}
	ports = []string{"", "", "", "", ":", ":80", ":443", ":8088", ":08088", ":0", ":65535", ":65536",
		":99999", ":80a", ":1:2", ":000000000000443"}
	paths = []string{"", "", "", "/", "//", "/superset", "/superset/", "/a/b/", "/日本/", "/%2F", "/a b",
		"/?x=1", "/#top", "/~x/", `/a\b`, "/\n", "/a:b", "/😀", "/a@b"}
	oddDomains = []string{"foo", "", "//bi.example.com", "https:bi.example.com", " https://bi.example.com",
		`https:\\bi.example.com`, "https://bi.example.com\n", "https://", "https:///path", "https://:8080"}
)

var (
	sandboxTokens = []string{"allow-top-navigation", "allow-same-origin", "allow-modals", "allow-scripts",
		"allow-popups-to-escape-sandbox", "", "a b", "allow\tx", "\u00a0x", "x\u0085", "\uFEFF", "日本", "\v"}
	allowDirectives = []string{"camera 'self'", "fullscreen", "geolocation", "clipboard-read", "microphone *",
		" ", "a;b", "\u0085", " \u0085 ", "\uFEFF", "\u00a0", "\u2028", "\v", "日本"}
	policies = []string{"no-referrer", "origin", "strict-origin-when-cross-origin", "unsafe-url", "same-origin",
		"Strict-Origin-When-Cross-Origin", "ORIGIN", "UNSAFE-URL", "origin ", "bogus", "", "orİgin", "\u212Aey"}
)

// gen draws the random cases from one seeded source.
type gen struct{ r *rand.Rand }

func (g gen) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g gen, list []T) T { return list[g.r.IntN(len(list))] }

// oneOf calls one of the makers.
func (g gen) oneOf(makers ...func() *jsv) *jsv { return pick(g, makers)() }

func (g gen) number() *jsv { return num(pick(g, numbers)) }

// text is a string, sometimes with lone surrogates.
func (g gen) text() *jsv {
	if g.chance(0.05) {
		return pick(g, []*jsv{loneHigh, loneLow, brokenPair, reversedPair})
	}
	return str(pick(g, texts))
}

// odd is a value of a type no option wants.
func (g gen) odd() *jsv {
	return g.oneOf(null, undef, fn, func() *jsv { return obj() }, func() *jsv { return arr(str("a")) },
		func() *jsv { return instance("Date") }, func() *jsv { return element(true) })
}

// flag is a boolean option's value: mostly a boolean.
func (g gen) flag() *jsv {
	if g.chance(0.85) {
		return boolean(g.chance(0.5))
	}
	return g.oneOf(null, undef, func() *jsv { return str("true") }, func() *jsv { return num(1) }, g.odd)
}

// value is anything, for urlParams values and unknown keys.
func (g gen) value() *jsv {
	return g.oneOf(g.text, g.text, g.number, g.number, func() *jsv { return boolean(g.chance(0.5)) },
		undef, g.odd, func() *jsv { return throws("boom") })
}

func (g gen) id() *jsv {
	if g.chance(0.6) {
		return pick(g, []*jsv{str("abc-123"), str("7c4f3e1a-9b2d-4f5e-8a6b-1c2d3e4f5a6b"), num(42)})
	}
	return g.oneOf(g.text, g.number, g.odd, func() *jsv { return str("a/b c?d") })
}

func (g gen) domain() *jsv {
	if g.chance(0.05) {
		return g.oneOf(g.odd, g.number, func() *jsv { return str(pick(g, oddDomains)) })
	}
	// Mostly one part changed from a valid URL, so that most are valid.
	parts := []string{"https", "bi.example.com", "", ""}
	for i, choices := range [][]string{schemes, hosts, ports, paths} {
		if g.chance(0.3) {
			parts[i] = pick(g, choices)
		}
	}
	s := parts[0] + "://" + parts[1] + parts[2] + parts[3]
	if g.chance(0.03) {
		return units(append(str(s).S, 0xD800)...)
	}
	return str(s)
}

// setDomain gives p supersetDomain or one of its aliases, or several.
func (g gen) setDomain(p *jsv) {
	d := g.domain()
	name := pick(g, []string{"supersetDomain", "supersetDomain", "supersetDomain", "calabiiqDomain", "presetDomain"})
	p.del("supersetDomain")
	p.set(str(name).S, d)
	if g.chance(0.15) {
		other := pick(g, []string{"supersetDomain", "calabiiqDomain", "presetDomain"})
		p.set(str(other).S, pick(g, []*jsv{d, d, null(), undef(), g.domain()}))
	}
}

func (g gen) uiConfig() *jsv {
	if g.chance(0.08) {
		return g.oneOf(g.odd, func() *jsv { return boolean(true) })
	}
	ui := obj()
	for _, k := range []string{"hideTitle", "hideTab", "hideChartControls", "emitDataMasks", "showRowLimitWarning"} {
		if g.chance(0.35) {
			ui.set(str(k).S, g.flag())
		}
	}
	if g.chance(0.05) {
		ui.set(str(pick(g, []string{"hideFilters", "hideTitel", "toString", "__proto__", "constructor", "0"})).S, g.flag())
	}
	if g.chance(0.4) {
		ui.set(str("filters").S, g.filters())
	}
	if g.chance(0.6) {
		ui.set(str("urlParams").S, g.urlParams())
	}
	g.shuffle(ui)
	return ui
}

func (g gen) filters() *jsv {
	if g.chance(0.1) {
		return g.oneOf(g.odd, func() *jsv { return boolean(false) })
	}
	f := obj()
	for _, k := range []string{"visible", "expanded"} {
		if g.chance(0.6) {
			f.set(str(k).S, g.flag())
		}
	}
	if g.chance(0.05) {
		f.set(str(pick(g, []string{"visble", "toString", "__proto__", "0"})).S, boolean(true))
	}
	return f
}

func (g gen) urlParams() *jsv {
	if g.chance(0.08) {
		return g.oneOf(g.odd, func() *jsv { return str("a=b") })
	}
	q := obj()
	for n := g.r.IntN(7); n > 0; n-- {
		key := str(pick(g, urlParamKeys)).S
		if g.chance(0.05) {
			key = pick(g, []*jsv{loneHigh, loneLow, brokenPair, reversedPair}).S
		}
		v := g.value()
		if g.chance(0.85) {
			v = g.oneOf(g.text, g.text, g.number, func() *jsv { return boolean(true) })
		}
		q.set(key, v)
	}
	return q
}

// list is an extras option: mostly absent, else an array of strings from
// pool, some of them invalid.
func (g gen) list(pool []string) *jsv {
	if g.chance(0.08) {
		return g.oneOf(g.odd, func() *jsv { return str(pool[0]) })
	}
	a := arr()
	for n := g.r.IntN(4); n > 0; n-- {
		switch {
		case g.chance(0.05):
			a.A = append(a.A, g.oneOf(g.text, g.odd, g.number))
		case g.chance(0.6):
			a.A = append(a.A, str(pool[g.r.IntN(4)]))
		default:
			a.A = append(a.A, str(pick(g, pool)))
		}
	}
	return a
}

func (g gen) millis() *jsv {
	return g.oneOf(g.number, g.number, g.number, func() *jsv { return str("1000") }, null, undef,
		func() *jsv { return boolean(true) })
}

func (g gen) autoResize() *jsv {
	size := func() *jsv { return g.oneOf(g.number, undef, null, func() *jsv { return str("100px") }) }
	return g.oneOf(func() *jsv { return boolean(g.chance(0.5)) }, null, func() *jsv { return str("true") },
		func() *jsv { return obj() },
		func() *jsv { return obj("minHeight", size(), "maxHeight", size()) },
		func() *jsv { return obj("minHeight", num(200), "maxHeight", num(800)) },
		func() *jsv { return obj("max", num(5)) })
}

// params is one random argument of embedDashboard.
func (g gen) params() *jsv {
	if g.chance(0.01) {
		return g.odd()
	}
	p := baseParams()
	if g.chance(0.3) {
		p.set(str("id").S, g.id())
	}
	if g.chance(0.4) {
		g.setDomain(p)
	}
	if g.chance(0.05) {
		p.set(str("mountPoint").S, g.oneOf(func() *jsv { return element(false) }, g.odd, g.text))
	}
	if g.chance(0.03) {
		p.set(str("fetchGuestToken").S, g.oneOf(g.odd, g.text))
	}
	optional := []struct {
		name   string
		chance float64
		make   func() *jsv
	}{
		{"dashboardUiConfig", 0.55, g.uiConfig},
		{"debug", 0.15, g.flag},
		{"iframeTitle", 0.25, func() *jsv { return g.oneOf(g.text, g.text, g.text, g.number, g.odd) }},
		{"iframeSandboxExtras", 0.25, func() *jsv { return g.list(sandboxTokens) }},
		{"iframeAllowExtras", 0.25, func() *jsv { return g.list(allowDirectives) }},
		{"referrerPolicy", 0.25, func() *jsv {
			if g.chance(0.7) {
				return str(pick(g, policies))
			}
			return g.oneOf(g.odd, g.text)
		}},
		{"resolvePermalinkUrl", 0.1, func() *jsv { return g.oneOf(fn, fn, g.odd, g.text) }},
		{"guestTokenFetchTimeoutMs", 0.15, g.millis},
		{"handshakeTimeoutMs", 0.15, g.millis},
		{"autoResize", 0.15, g.autoResize},
		{"zeta", 0.05, g.value},
		{"1", 0.02, g.value},
		{"__proto__", 0.02, g.value},
	}
	for _, o := range optional {
		if g.chance(o.chance) {
			p.set(str(o.name).S, o.make())
		}
	}
	g.shuffle(p)
	g.oddities(p)
	return p
}

// shuffle changes the insertion order of o's keys, which Go never sees.
func (g gen) shuffle(o *jsv) {
	g.r.Shuffle(len(o.P), func(i, j int) { o.P[i], o.P[j] = o.P[j], o.P[i] })
}

// oddities makes, now and then, a property a throwing getter or not
// enumerable, or an object's prototype null, in o and the objects in it.
func (g gen) oddities(o *jsv) {
	if o.T != "obj" {
		return
	}
	o.NullProto = g.chance(0.005)
	for i := range o.P {
		switch {
		case g.chance(0.005):
			o.P[i].V = throws("boom")
		case g.chance(0.005):
			o.P[i].Hidden = true
		}
		g.oddities(o.P[i].V)
	}
}

// randomCases returns n cases drawn from a fixed seed.
func randomCases(n int) []*jsv {
	g := gen{rand.New(rand.NewPCG(2026, 11))}
	cases := make([]*jsv, n)
	for i := range cases {
		cases[i] = g.params()
	}
	return cases
}

// fixedCases are the shapes the random ones rarely reach: objects and
// arrays past the edge's copy limits, and arguments that are not objects.
func fixedCases() []*jsv {
	manyKeys := baseParams()
	manyKeys.del("id")
	for i := range edgeMaxKeys {
		manyKeys.set(str("k"+strings.Repeat("x", i)).S, num(float64(i)))
	}
	manyKeys.set(str("id").S, str("after-the-limit"))

	manyParams := obj()
	for i := range edgeMaxKeys + 1 {
		manyParams.set(str("p"+strings.Repeat("x", i)).S, str("v"))
	}
	wideUI := baseParams()
	wideUI.set(str("dashboardUiConfig").S, obj("urlParams", manyParams))

	longList := arr()
	for i := range edgeMaxItems + 1 {
		longList.A = append(longList.A, str("allow-x"+strings.Repeat("y", i%50)))
	}
	longList.A[edgeMaxItems] = str("allow-past-the-limit")
	longExtras := baseParams()
	longExtras.set(str("iframeSandboxExtras").S, longList)

	return []*jsv{manyKeys, wideUI, longExtras, undef(), null(), str("abc"), arr(), instance("Map"), baseParams()}
}
