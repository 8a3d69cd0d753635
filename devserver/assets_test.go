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

	r := do(t, "GET", srv.URL+"/static/assets/embedded.js", nil, "Accept-Encoding", "identity").want(t, 200)
	if !bytes.Equal(r.body, bundle) || r.header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("embedded.js: %q %v", r.header.Get("Content-Type"), len(r.body))
	}
	if r.header.Get("Vary") != "Accept-Encoding" || r.header.Get("ETag") == "" || r.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("headers %v", r.header)
	}
	etag := r.header.Get("ETag")
	do(t, "GET", srv.URL+"/static/assets/dashembed.js", nil, "Accept-Encoding", "identity", "If-None-Match", etag).want(t, 304)

	r = do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "gzip").want(t, 200)
	if r.header.Get("Content-Type") != "application/wasm" || r.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("wasm headers %v", r.header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, wasm) {
		t.Fatal("gzip body differs")
	}
	gzTag := r.header.Get("ETag")
	if gzTag == etag || !strings.HasSuffix(gzTag, `-gz"`) {
		t.Fatalf("gzip ETag %q", gzTag)
	}

	// Brotli is computed in the background; it wins once ready.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r = do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "gzip, deflate, br").want(t, 200)
		if r.header.Get("Content-Encoding") == "br" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r.header.Get("Content-Encoding") != "br" {
		t.Fatal("brotli never served")
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(r.body))); !bytes.Equal(got, wasm) {
		t.Fatal("brotli body differs")
	}
	// q=0 refuses an encoding.
	r = do(t, "GET", srv.URL+"/static/assets/dashembed.wasm", nil, "Accept-Encoding", "br;q=0, gzip;q=0").want(t, 200)
	if r.header.Get("Content-Encoding") != "" || !bytes.Equal(r.body, wasm) {
		t.Fatal("q=0 ignored")
	}

	do(t, "GET", srv.URL+"/static/assets/sub/x.json", nil).want(t, 200)
	do(t, "GET", srv.URL+"/static/assets/index.d.ts", nil).want(t, 200)
	do(t, "GET", srv.URL+"/static/assets/nope.js", nil).want(t, 404)
	do(t, "GET", srv.URL+"/static/assets/../go.mod", nil).want(t, 404)
	do(t, "GET", srv.URL+"/static/assets/sub", nil).want(t, 404)
	do(t, "POST", srv.URL+"/static/assets/dashembed.js", nil).want(t, 405)
	r = do(t, "HEAD", srv.URL+"/static/assets/dashembed.js", nil).want(t, 200)
}

func TestAssetsPrecompressedAndChanged(t *testing.T) {
	fsys := fstest.MapFS{
		"dashembed.js":    {Data: []byte(strings.Repeat("a", 1000)), ModTime: time.Unix(1, 0)},
		"dashembed.js.br": {Data: []byte("prebuilt-br")},
	}
	_, srv := testHost(t, func(c *Config) { c.Assets = fsys })
	r := do(t, "GET", srv.URL+"/static/assets/dashembed.js", nil, "Accept-Encoding", "br").want(t, 200)
	if string(r.body) != "prebuilt-br" {
		t.Fatalf("prebuilt brotli not used: %q", r.body)
	}
	do(t, "GET", srv.URL+"/static/assets/dashembed.js.br", nil).want(t, 404)
	old := r.header.Get("ETag")
	fsys["dashembed.js"] = &fstest.MapFile{Data: []byte(strings.Repeat("b", 1000)), ModTime: time.Unix(2, 0)}
	r = do(t, "GET", srv.URL+"/static/assets/dashembed.js", nil, "Accept-Encoding", "identity").want(t, 200)
	if r.body[0] != 'b' || r.header.Get("ETag") == old {
		t.Fatal("a rebuilt file must be served anew with a new ETag")
	}
}

func TestAssetsNil(t *testing.T) {
	_, srv := testHost(t, nil)
	r := do(t, "GET", srv.URL+"/static/assets/embedded.js", nil).want(t, 404)
	if !strings.Contains(r.json["message"].(string), "make dist") {
		t.Fatalf("%s", r.body)
	}
}
