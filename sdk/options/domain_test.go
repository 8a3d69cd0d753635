package options

import "testing"

func TestParseDomain(t *testing.T) {
	tests := []struct {
		raw, domain, origin, problem string
	}{
		{"https://bi.example.com", "https://bi.example.com", "https://bi.example.com", ""},
		{"https://bi.example.com/", "https://bi.example.com", "https://bi.example.com", ""},
		{"HTTPS://BI.Example.COM/Path/", "HTTPS://BI.Example.COM/Path", "https://bi.example.com", ""},
		{"http://localhost:8088", "http://localhost:8088", "http://localhost:8088", ""},
		{"http://localhost:80/", "http://localhost:80", "http://localhost", ""},
		{"https://x.example:443", "https://x.example:443", "https://x.example", ""},
		{"https://x.example:80", "https://x.example:80", "https://x.example:80", ""},
		{"http://x.example:443", "http://x.example:443", "http://x.example:443", ""},
		{"http://x.example:08088", "http://x.example:08088", "http://x.example:8088", ""},
		{"https://x.example:", "https://x.example:", "https://x.example", ""},
		{"http://127.0.0.1:9000/a/b", "http://127.0.0.1:9000/a/b", "http://127.0.0.1:9000", ""},
		{"http://[::1]:8088/", "http://[::1]:8088", "http://[::1]:8088", ""},
		{"https://[2001:DB8::1]", "https://[2001:DB8::1]", "https://[2001:db8::1]", ""},
		{"https://bücher.example", "https://bücher.example", "https://bücher.example", ""},
		{"foo", "", "", `must be an absolute http(s) URL, got "foo"`},
		{"", "", "", `must be an absolute http(s) URL, got ""`},
		{"bi.example.com", "", "", `must be an absolute http(s) URL, got "bi.example.com"`},
		{"//bi.example.com", "", "", `must be an absolute http(s) URL, got "//bi.example.com"`},
		{"ftp://bi.example.com", "", "", `must be an absolute http(s) URL, got "ftp://bi.example.com"`},
		{"https:bi.example.com", "", "", `must be an absolute http(s) URL, got "https:bi.example.com"`},
		{"https://", "", "", `must be an absolute http(s) URL with a host, got "https://"`},
		{"https:///path", "", "", `must be an absolute http(s) URL with a host, got "https:///path"`},
		{"https://:8080", "", "", `must be an absolute http(s) URL with a host, got "https://:8080"`},
		{"https://bi.example.com?x=1", "", "", `must be an absolute http(s) URL without a query or fragment, got "https://bi.example.com?x=1"`},
		{"https://bi.example.com/#top", "", "", `must be an absolute http(s) URL without a query or fragment, got "https://bi.example.com/#top"`},
		{"https://user:pw@bi.example.com", "", "", `must be an absolute http(s) URL without a user name or password, got "https://user:pw@bi.example.com"`},
		{"https://bi.example.com\n", "", "", `must be an absolute http(s) URL without spaces, control characters or backslashes, got "https://bi.example.com\n"`},
		{" https://bi.example.com", "", "", `must be an absolute http(s) URL without spaces, control characters or backslashes, got " https://bi.example.com"`},
		{`https:\\bi.example.com`, "", "", `must be an absolute http(s) URL without spaces, control characters or backslashes, got "https:\\\\bi.example.com"`},
		{"https://bi.example.com:99999", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:99999"`},
		{"https://bi.example.com:123456789012345678901", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:123456789012345678901"`},
		{"https://bi.example.com:80a", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:80a"`},
		{"https://bi.example.com:1:2", "", "", `must be an absolute http(s) URL with a valid port, got "https://bi.example.com:1:2"`},
		{"https://bi%2Eexample.com", "", "", `must be an absolute http(s) URL with a valid host, got "https://bi%2Eexample.com"`},
		{"https://bi|example.com", "", "", `must be an absolute http(s) URL with a valid host, got "https://bi|example.com"`},
		{"https://[::1", "", "", `must be an absolute http(s) URL with a valid host, got "https://[::1"`},
		{"https://[zz]", "", "", `must be an absolute http(s) URL with a valid host, got "https://[zz]"`},
		{"https://[::1]x", "", "", `must be an absolute http(s) URL with a valid host, got "https://[::1]x"`},
	}
	for _, tt := range tests {
		domain, origin, problem := parseDomain(tt.raw)
		if domain != tt.domain || origin != tt.origin || problem != tt.problem {
			t.Errorf("parseDomain(%q) = %q, %q, %q\nwant %q, %q, %q", tt.raw, domain, origin, problem, tt.domain, tt.origin, tt.problem)
		}
	}
}

func TestIsIPv6Literal(t *testing.T) {
	for s, want := range map[string]bool{
		"::1": true, "::": true, "2001:db8::1": true, "1:2:3:4:5:6:7:8": true, "::ffff:192.0.2.1": true, "1::": true,
		":": false, ":::": false, "1:2:3:4:5:6:7": false, "1:2:3:4:5:6:7:8:9": false, "1::2::3": false, "12345::": false,
		"::ffff:192.0.2": false, "::ffff:192.0.2.256": false, "::1.2.3.4:5": false, "1:": false, ":1": false, "g::": false,
		"1:2:3:4:5:6:7::": true, "::1:2:3:4:5:6:7": true, "1:2:3:4:5:6:7:8::": false,
	} {
		if got := isIPv6Literal(s); got != want {
			t.Errorf("isIPv6Literal(%q) = %v, want %v", s, got, want)
		}
	}
}
