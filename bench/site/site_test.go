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

// get fetches url as Chromium does, brotli welcome, without decoding.
func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestServesBothSDKsAlikeAndTheHostPage(t *testing.T) {
	script := []byte(strings.Repeat("globalThis.supersetEmbeddedSdk = {};\n", 50))
	wasm := []byte("\x00asm\x01\x00\x00\x00")
	dir := writeFiles(t, map[string][]byte{"sdk.js": script, "sdk-1a2b3c4d.wasm": wasm, "sub/extra.js": script})
	sdk, err := LoadSDK("ours", dir, "sdk.js")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sdk.Sizes([]string{"sdk.js", "sdk-1a2b3c4d.wasm"}); err != nil || got.Raw != len(script)+len(wasm) || got.Brotli == 0 {
		t.Errorf("sizes %+v (%v), want raw %d", got, err, len(script)+len(wasm))
	}
	s, err := Start(sdk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	for _, c := range []struct{ file, ctype, cache string }{
		{"sdk.js", "text/javascript; charset=utf-8", "no-cache"},
		{"sdk-1a2b3c4d.wasm", "application/wasm", "public, max-age=31536000, immutable"},
		{"sub/extra.js", "text/javascript; charset=utf-8", "no-cache"},
	} {
		resp, body := get(t, s.SDKPrefix("ours")+c.file)
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Content-Type") != c.ctype || h.Get("Content-Encoding") != "br" ||
			h.Get("Cache-Control") != c.cache || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: status %d, headers %v", c.file, resp.StatusCode, h)
		}
		plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		if err != nil || !bytes.Equal(plain, sdk.Files[c.file].Raw) {
			t.Errorf("%s: the brotli body does not decode to the file (%v)", c.file, err)
		}
		resp, _ = get(t, s.SDKPrefix("ours")+c.file, "If-None-Match", h.Get("ETag"))
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s: revalidation with its ETag answered %d, want 304", c.file, resp.StatusCode)
		}
	}

	s.SetConditions(Conditions{Compress: false})
	resp, body := get(t, s.SDKPrefix("ours")+"sdk-1a2b3c4d.wasm")
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, wasm) {
		t.Errorf("without compression the wasm came %q-encoded", resp.Header.Get("Content-Encoding"))
	}

	resp, page := get(t, s.PageURL("ours", true))
	for _, want := range []string{`<script src="` + s.SDKPrefix("ours") + `sdk.js"></script>`, "bench.embed('mount', bench.cold,  false )", s.BIURL} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("host page lacks %q", want)
		}
	}
	_, page = get(t, s.FieldPageURL("ours"))
	for _, want := range []string{`<script src="` + s.FieldSDKPrefix("ours") + `sdk.js"></script>`, "bench.embed('mount', bench.cold,  true )", s.CrossSiteBIURL} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("field host page lacks %q", want)
		}
	}
	if resp, _ = get(t, s.HostURL+"/bench/page?sdk=nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown SDK answered %d, want 404", resp.StatusCode)
	}
}

func TestServesTheBuildsPrecompressedVariant(t *testing.T) {
	pre := []byte("the build's own brotli")
	dir := writeFiles(t, map[string][]byte{"a.js": []byte("x"), "a.wasm": []byte("\x00asm"), "a.wasm.br": pre})
	sdk, err := LoadSDK("ours", dir, "a.js")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(sdk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	resp, body := get(t, s.SDKPrefix("ours")+"a.wasm")
	if resp.Header.Get("Content-Encoding") != "br" || !bytes.Equal(body, pre) {
		t.Errorf("a.wasm came %q-encoded as %q, want the build's a.wasm.br", resp.Header.Get("Content-Encoding"), body)
	}
	resp, body = get(t, s.SDKPrefix("ours")+"a.wasm.br")
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, pre) {
		t.Errorf("a.wasm.br itself must go as it is, came %q-encoded", resp.Header.Get("Content-Encoding"))
	}
	// A file a server does not compress weighs its raw size in every column.
	if got, err := sdk.Sizes([]string{"a.wasm.br"}); err != nil || got.Gzip != len(pre) || got.Brotli != len(pre) {
		t.Errorf("a.wasm.br sizes %+v (%v), want %d in each", got, err, len(pre))
	}
}

func TestHashedName(t *testing.T) {
	for name, want := range map[string]bool{
		"dashembed.wasm":                  false,
		"index.js":                        false,
		"dashembed.js":                    false,
		"dashembed-element.js":            false,
		"dashembed.1a2b3c4d.wasm":         true,
		"dashembed-ABCDEFGH.wasm":         true, // esbuild's base32 hash, no digit
		"dashembed-3f9a1c02e4b7d6a8.wasm": true,
		"chunk-Q7xk2PzT.js":               true,
		"dashembed.wasm.gz":               false,
	} {
		if got := hashedName(name); got != want {
			t.Errorf("hashedName(%q) = %v, want %v", name, got, want)
		}
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
