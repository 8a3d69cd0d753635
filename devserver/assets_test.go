package devserver

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
)

func TestAssets(t *testing.T) {
	bundle := []byte(strings.Repeat("console.log('dashembed');\n", 500))
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{1, 2, 3, 4}, 2000)...)
	fsys := fstest.MapFS{
		"dashembed.js":   {Data: bundle, ModTime: time.Unix(1, 0)},
		"dashembed.wasm": {Data: wasm, ModTime: time.Unix(1, 0)},
		"index.d.ts":     {Data: []byte("export {};")},
		"sub/x.json":     {Data: []byte("{}")},
	}
	_, srv := testHost(t, func(c *Config) { c.Assets = fsys })

	r := do(t, "GET", srv.URL+"/static/assets/embedded.js", nil, "Accept-Encoding", "identity").Want(t, 200)
	if !bytes.Equal(r.Body, bundle) || r.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("embedded.js: %q %v", r.Header.Get("Content-Type"), len(r.Body))
	}
	if r.Header.Get("Vary") != "Accept-Encoding" || r.Header.Get("ETag") == "" || r.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("headers %v", r.Header)
	}
	etag := r.Header.Get("ETag")
	do(t, "GET", srv.URL+"/static/assets/dashembed.js", nil, "Accept-Encoding", "identity", "If-None-Match", etag).Want(t, 304)

	r = do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "gzip").Want(t, 200)
	if r.Header.Get("Content-Type") != "application/wasm" || r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("wasm headers %v", r.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, wasm) {
		t.Fatal("gzip body differs")
	}
	gzTag := r.Header.Get("ETag")
	if gzTag == etag || !strings.HasSuffix(gzTag, `-gz"`) {
		t.Fatalf("gzip ETag %q", gzTag)
	}

	// Brotli is computed in the background; it wins once ready.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r = do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "gzip, deflate, br").Want(t, 200)
		if r.Header.Get("Content-Encoding") == "br" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r.Header.Get("Content-Encoding") != "br" {
		t.Fatal("brotli never served")
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(r.Body))); !bytes.Equal(got, wasm) {
		t.Fatal("brotli body differs")
	}
	// q=0 refuses an encoding.
	r = do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "br;q=0, gzip;q=0").Want(t, 200)
	if r.Header.Get("Content-Encoding") != "" || !bytes.Equal(r.Body, wasm) {
		t.Fatal("q=0 ignored")
	}

	do(t, "GET", srv.URL+"/static/assets/sub/x.json", nil).Want(t, 200)
	do(t, "GET", srv.URL+"/static/assets/index.d.ts", nil).Want(t, 200)
	do(t, "GET", srv.URL+"/static/assets/nope.js", nil).Want(t, 404)
	do(t, "GET", srv.URL+"/static/assets/../go.mod", nil).Want(t, 404)
	do(t, "GET", srv.URL+"/static/assets/sub", nil).Want(t, 404)
	do(t, "POST", srv.URL+"/static/assets/dashembed.js", nil).Want(t, 405)
	r = do(t, "HEAD", srv.URL+"/static/assets/dashembed.js", nil).Want(t, 200)
}

func TestAssetsPrecompressedAndChanged(t *testing.T) {
	fsys := fstest.MapFS{
		"dashembed.js":    {Data: []byte(strings.Repeat("a", 1000)), ModTime: time.Unix(1, 0)},
		"dashembed.js.br": {Data: []byte("prebuilt-br")},
	}
	_, srv := testHost(t, func(c *Config) { c.Assets = fsys })
	r := do(t, "GET", srv.URL+"/static/assets/dashembed.js", nil, "Accept-Encoding", "br").Want(t, 200)
	if string(r.Body) != "prebuilt-br" {
		t.Fatalf("prebuilt brotli not used: %q", r.Body)
	}
	do(t, "GET", srv.URL+"/static/assets/dashembed.js.br", nil).Want(t, 404)
	old := r.Header.Get("ETag")
	fsys["dashembed.js"] = &fstest.MapFile{Data: []byte(strings.Repeat("b", 1000)), ModTime: time.Unix(2, 0)}
	r = do(t, "GET", srv.URL+"/static/assets/dashembed.js", nil, "Accept-Encoding", "identity").Want(t, 200)
	if r.Body[0] != 'b' || r.Header.Get("ETag") == old {
		t.Fatal("a rebuilt file must be served anew with a new ETag")
	}
}

func TestAssetsNil(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/static/assets/embedded.js", nil).Want(t, 404)
	if !strings.Contains(r.JSON["message"].(string), "make dist") {
		t.Fatalf("%s", r.Body)
	}
}
