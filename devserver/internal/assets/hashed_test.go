package assets

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"
)

// serve asks s for /static/assets/name with Accept-Encoding accept.
func serve(s *Server, name, accept string) *httptest.ResponseRecorder {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/assets/{name}", s.Handle)
	req := httptest.NewRequest("GET", "/static/assets/"+name, nil)
	req.Header.Set("Accept-Encoding", accept)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec
}

// TestHashedWasmIsImmutable: the build's gzip-compressed wasm is served by
// its content-hashed name, as it is (no second encoding), as
// application/gzip, and cacheable for ever; names without a hash are
// revalidated each time, and other .gz files stay hidden.
func TestHashedWasmIsImmutable(t *testing.T) {
	gz := []byte{0x1f, 0x8b, 8, 0, 1, 2, 3, 4}
	fsys := fstest.MapFS{
		"dashembed.0123456789abcdef.wasm.gz": {Data: gz, ModTime: time.Unix(1, 0)},
		"dashembed.wasm":                     {Data: []byte("\x00asm\x01\x00\x00\x00"), ModTime: time.Unix(1, 0)},
		"dashembed.js.gz":                    {Data: gz, ModTime: time.Unix(1, 0)},
	}
	s := New(fsys)

	r := serve(s, "dashembed.0123456789abcdef.wasm.gz", "gzip, br")
	if r.Code != 200 || !bytes.Equal(r.Body.Bytes(), gz) {
		t.Fatalf("hashed wasm: %d, %d bytes", r.Code, r.Body.Len())
	}
	for k, want := range map[string]string{
		"Cache-Control":    "public, max-age=31536000, immutable",
		"Content-Type":     "application/gzip",
		"Content-Encoding": "",
	} {
		if got := r.Header().Get(k); got != want {
			t.Errorf("hashed wasm: %s = %q, want %q", k, got, want)
		}
	}

	if got := serve(s, "dashembed.wasm", "identity").Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("dashembed.wasm: Cache-Control = %q, want no-cache", got)
	}
	if code := serve(s, "dashembed.js.gz", "identity").Code; code != 404 {
		t.Errorf("a precompressed variant served by its own name: %d, want 404", code)
	}
}
