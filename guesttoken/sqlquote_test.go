package guesttoken

import (
	"strings"
	"testing"
)

// scanStandard reads one standard SQL string literal from the start of s
// (” is a quote, backslash is ordinary) and returns its value and what
// follows it. ok is false when s does not start with a closed literal.
func scanStandard(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], true
	}
	return "", "", false
}

// scanBackslash reads a literal the way MySQL does by default: a backslash
// escapes the next byte, and ” is also a quote.
func scanBackslash(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		case s[i] != '\'':
			b.WriteByte(s[i])
		case i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		default:
			return b.String(), s[i+1:], true
		}
	}
	return "", "", false
}

func TestQuoteLiteral(t *testing.T) {
	cases := map[string]string{
		"":                    "''",
		"acme":                "'acme'",
		"O'Brien":             "'O''Brien'",
		"' OR 1=1 --":         "''' OR 1=1 --'",
		"'; DROP TABLE t; --": "'''; DROP TABLE t; --'",
		"''":                  "''''''",
		"a\x00b":              "'ab'",
		"\x00' OR 1=1 --\x00": "''' OR 1=1 --'",
		`DOMAIN\user`:         `'DOMAIN\user'`,
		"Zoë 東京":              "'Zoë 東京'",
		"line\nbreak":         "'line\nbreak'",
		"tenant') OR ('1'='1": "'tenant'') OR (''1''=''1'",
	}
	for in, want := range cases {
		got := QuoteLiteral(in)
		if got != want {
			t.Errorf("QuoteLiteral(%q) = %q, want %q", in, got, want)
		}
		value, rest, ok := scanStandard(got)
		if !ok || rest != "" || value != strings.ReplaceAll(in, "\x00", "") {
			t.Errorf("QuoteLiteral(%q) = %q does not read back as one literal (value %q, rest %q)", in, got, value, rest)
		}
	}
}

func TestQuoteLiteralInjectionStaysInsideTheLiteral(t *testing.T) {
	clause := "tenant = " + QuoteLiteral("' OR 1=1 --")
	if clause != "tenant = ''' OR 1=1 --'" {
		t.Fatalf("clause = %q", clause)
	}
	value, rest, ok := scanStandard(strings.TrimPrefix(clause, "tenant = "))
	if !ok || rest != "" || value != "' OR 1=1 --" {
		t.Errorf("the injected text escaped the literal: value %q, rest %q", value, rest)
	}
}

func TestQuoteLiteralBackslash(t *testing.T) {
	cases := map[string]string{
		"acme":           "'acme'",
		"O'Brien":        "'O''Brien'",
		`\' OR 1=1 --`:   `'\\'' OR 1=1 --'`,
		`trailing\`:      `'trailing\\'`,
		`DOMAIN\user`:    `'DOMAIN\\user'`,
		"a\x00b":         "'ab'",
		"' OR 1=1 --":    "''' OR 1=1 --'",
		`\\\'\'`:         `'\\\\\\''\\'''`,
		"\\\x00' OR 1 -": `'\\'' OR 1 -'`,
	}
	for in, want := range cases {
		got := QuoteLiteralBackslash(in)
		if got != want {
			t.Errorf("QuoteLiteralBackslash(%q) = %q, want %q", in, got, want)
		}
		value, rest, ok := scanBackslash(got)
		if !ok || rest != "" || value != strings.ReplaceAll(in, "\x00", "") {
			t.Errorf("QuoteLiteralBackslash(%q) = %q does not read back as one literal (value %q, rest %q)", in, got, value, rest)
		}
		// On a standard engine the literal still closes where it should.
		if _, rest, ok := scanStandard(got); !ok || rest != "" {
			t.Errorf("QuoteLiteralBackslash(%q) = %q escapes the literal on a standard engine", in, got)
		}
	}
	// Why the standard form is not enough on a backslash engine.
	if _, rest, _ := scanBackslash(QuoteLiteral(`\' OR 1=1 --`)); rest == "" {
		t.Errorf("expected standard quoting to be unsafe with backslash escapes")
	}
}

func FuzzQuoteLiteral(f *testing.F) {
	for _, seed := range []string{"", "'", "' OR 1=1 --", `\'`, "\x00'", "''''", `\\'\`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ReplaceAll(s, "\x00", "")
		if v, rest, ok := scanStandard(QuoteLiteral(s)); !ok || rest != "" || v != want {
			t.Errorf("QuoteLiteral(%q) = %q reads back as %q + %q", s, QuoteLiteral(s), v, rest)
		}
		if v, rest, ok := scanBackslash(QuoteLiteralBackslash(s)); !ok || rest != "" || v != want {
			t.Errorf("QuoteLiteralBackslash(%q) = %q reads back as %q + %q", s, QuoteLiteralBackslash(s), v, rest)
		}
		if _, rest, ok := scanStandard(QuoteLiteralBackslash(s)); !ok || rest != "" {
			t.Errorf("QuoteLiteralBackslash(%q) is not closed on a standard engine", s)
		}
	})
}

func TestClauseEquals(t *testing.T) {
	ok := map[[2]string]string{
		{"tenant_id", "acme"}:      "tenant_id = 'acme'",
		{"t.tenant_id", "O'Brien"}: "t.tenant_id = 'O''Brien'",
		{"_x1", "' OR 1=1 --"}:     "_x1 = ''' OR 1=1 --'",
		{"schema.t.Col", ""}:       "schema.t.Col = ''",
		{"region", "Zoë"}:          "region = 'Zoë'",
	}
	for in, want := range ok {
		got, err := ClauseEquals(in[0], in[1])
		if err != nil || got != want {
			t.Errorf("ClauseEquals(%q, %q) = %q, %v; want %q", in[0], in[1], got, err, want)
		}
	}
	bad := [][2]string{
		{"", "x"},
		{"1tenant", "x"},
		{"tenant id", "x"},
		{"tenant_id = 'x' OR 1=1 --", "x"},
		{"tenant;", "x"},
		{"a..b", "x"},
		{"a.", "x"},
		{`"quoted"`, "x"},
		{"tenánt", "x"},
		{strings.Repeat("a", 64), "x"},
		{"tenant", "a\x00b"},
		{"tenant", `\' OR 1=1 --`},
	}
	for _, in := range bad {
		if got, err := ClauseEquals(in[0], in[1]); err == nil {
			t.Errorf("ClauseEquals(%q, %q) = %q, want an error", in[0], in[1], got)
		}
	}
}
