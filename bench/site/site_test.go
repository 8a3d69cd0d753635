package site

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestServesBothSDKsAlikeAndTheHostPage(t *testing.T) {
	dir := t.TempDir()
	script := []byte(strings.Repeat("globalThis.supersetEmbeddedSdk = {};\n", 50))
	if err := os.WriteFile(filepath.Join(dir, "sdk.js"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sdk.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	sdk, err := LoadSDK("ours", dir, "sdk.js", "sdk.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if got := sdk.Sizes().Raw; got != len(script)+8 {
		t.Errorf("raw size %d, want %d", got, len(script)+8)
	}
	s, err := Start(sdk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	for _, c := range []struct{ file, ctype string }{{"sdk.js", "text/javascript; charset=utf-8"}, {"sdk.wasm", "application/wasm"}} {
		req, _ := http.NewRequest("GET", s.SDKPrefix("ours")+c.file, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Content-Type") != c.ctype || h.Get("Content-Encoding") != "br" ||
			h.Get("Cache-Control") != "no-store" || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: status %d, headers %v", c.file, resp.StatusCode, h)
		}
		plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		if err != nil || !bytes.Equal(plain, sdk.Files[c.file].Raw) {
			t.Errorf("%s: the brotli body does not decode to the file (%v)", c.file, err)
		}
	}

	resp, err := http.Get(s.PageURL("ours", true))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`<script src="` + s.SDKPrefix("ours") + `sdk.js"></script>`, "bench.embed('mount', bench.cold)", s.BIURL} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("host page lacks %q", want)
		}
	}
	resp, err = http.Get(s.HostURL + "/bench/page?sdk=nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown SDK answered %d, want 404", resp.StatusCode)
	}
}

func TestAcceptsEncoding(t *testing.T) {
	cases := []struct {
		header string
		want   bool
	}{
		{"gzip, deflate, br, zstd", true},
		{"gzip", false},
		{"br;q=0", false},
		{"BR; q=0.5", true},
	}
	for _, c := range cases {
		if got := acceptsEncoding(c.header, "br"); got != c.want {
			t.Errorf("acceptsEncoding(%q, br) = %v, want %v", c.header, got, c.want)
		}
	}
}
