// Package assets serves the built SDK (dashembed.js, dashembed.wasm and the
// rest of the build directory) the way a CDN would, and notices when it is
// rebuilt.
//
// A request for /static/assets/<name> (embedded.js is CalabiIQ's name for the
// script-tag bundle) is answered from the build directory with the right
// Content-Type (application/wasm for streaming compilation), CORS for the
// host app's cross-origin load, an ETag and, negotiated from
// Accept-Encoding, a gzip or brotli variant. Variants are computed once per
// file version (size and modification time) and cached; a release build's own
// .br and .gz files are used as they are; brotli, too slow to wait for, is
// computed in the background while gzip serves. Watch polls the bundle and
// reports a rebuild once its files are stable, which the host turns into a
// "reload" event for the demo host app.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// bundleName is the script-tag bundle in the built SDK directory;
// /static/assets/embedded.js (CalabiIQ's documented path) serves it.
const bundleName = "dashembed.js"

// Server serves the built SDK with precompressed variants, content
// negotiation and ETags. Compressed bytes are cached per file version.
type Server struct {
	// fsys is the build directory; nil when none is configured.
	fsys fs.FS
	mu   sync.Mutex
	// cache maps a file name to its last computed version.
	cache map[string]*assetEntry
	// Misconfig reproduces a wrongly configured static server.
	Misconfig Misconfig
}

// assetEntry is one version of one file (identified by size and mtime).
type assetEntry struct {
	size    int64
	modTime time.Time
	raw     []byte
	etag    string
	gz      []byte
	// br is filled in the background: brotli at its best setting is too
	// slow for a request to wait on, so gzip serves until it is ready.
	br     []byte
	brDone chan struct{}
}

// compressible reports whether a file type gains from compression.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".mjs", ".cjs", ".wasm", ".map", ".json", ".css", ".html", ".txt", ".ts", ".svg":
		return true
	}
	return false
}

// hashedName matches a name that carries its content's hash, as
// bundle.WasmGzipName makes them.
var hashedName = regexp.MustCompile(`\.[0-9a-f]{16}\.`)

// contentType picks the Content-Type; wasm must be application/wasm for
// WebAssembly.instantiateStreaming.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".gz":
		return "application/gzip"
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs", ".cjs":
		return "text/javascript; charset=utf-8"
	case ".map", ".json":
		return "application/json"
	case ".ts":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// New returns a server for the build directory fsys; with fsys nil, every
// request answers 404 saying how to build and configure the SDK.
func New(fsys fs.FS) *Server { return &Server{fsys: fsys} }

// Handle is GET /static/assets/<name>.
func (a *Server) Handle(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name == "embedded.js" {
		name = bundleName
	}
	// The host app loads the SDK cross-origin (and preloads the wasm with
	// crossorigin), so the assets must be CORS-readable; so must a 404, or
	// the SDK cannot tell a missing file from a blocked one.
	if !a.Misconfig.NoCORS {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}
	if a.fsys == nil {
		apijson.WriteError(w, http.StatusNotFound, "No SDK build is configured (Config.Assets is nil); run `make dist` and start the dev server with -dist")
		return
	}
	// A .br or .gz file beside another is its precompressed variant, served
	// for it; only the build's gzip-compressed wasm is fetched by name.
	if !fs.ValidPath(name) || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") && !strings.HasSuffix(name, ".wasm.gz") {
		apijson.WriteError(w, http.StatusNotFound, "No such asset: "+name)
		return
	}
	e, err := a.entry(name)
	if err != nil {
		apijson.WriteError(w, http.StatusNotFound, "No such asset: "+name+" (is the SDK built? run `make dist`)")
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", a.Misconfig.contentType(name))
	// A content-hashed name (the build's dashembed.<hash>.wasm.gz) never
	// changes content: browsers may keep it for ever and not even ask.
	// Everything else is revalidated every time: the bundle changes under a
	// running dev server and live reload must never get a stale copy; ETags
	// keep it cheap.
	if hashedName.MatchString(name) {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	body, etag := e.raw, e.etag
	if compressible(name) && !a.Misconfig.NoCompression {
		hdr.Add("Vary", "Accept-Encoding")
		enc := negotiateEncoding(r.Header.Get("Accept-Encoding"), e)
		switch enc {
		case "br":
			body, etag = e.brotli(), e.etag+"-br"
		case "gzip":
			body, etag = e.gz, e.etag+"-gz"
		}
		if enc != "" {
			hdr.Set("Content-Encoding", enc)
		}
	}
	hdr.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, name, e.modTime, bytes.NewReader(body))
}

// negotiateEncoding picks br, gzip or identity ("") from Accept-Encoding,
// honouring q=0 exclusions; brotli wins when it is ready.
func negotiateEncoding(accept string, e *assetEntry) string {
	q := map[string]float64{}
	for _, part := range strings.Split(accept, ",") {
		tok, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tok = strings.ToLower(strings.TrimSpace(tok))
		if tok == "" {
			continue
		}
		v := 1.0
		if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
				v = f
			}
		}
		q[tok] = v
	}
	accepts := func(enc string) bool {
		if v, ok := q[enc]; ok {
			return v > 0
		}
		v, ok := q["*"]
		return ok && v > 0
	}
	if accepts("br") && e.brReady() {
		return "br"
	}
	if accepts("gzip") && e.gz != nil {
		return "gzip"
	}
	return ""
}

// brReady reports whether the brotli variant exists.
func (e *assetEntry) brReady() bool {
	select {
	case <-e.brDone:
		return e.br != nil
	default:
		return false
	}
}

// brotli returns the brotli variant; call only after brReady.
func (e *assetEntry) brotli() []byte {
	<-e.brDone
	return e.br
}

// entry returns the current version of name, computing its ETag and
// compressed variants when the file changed since last time. Variants that
// ship beside the file (name.br, name.gz, as a release build may produce)
// are used as they are.
func (a *Server) entry(name string) (*assetEntry, error) {
	st, err := fs.Stat(a.fsys, name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fs.ErrNotExist
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.cache[name]; ok && e.size == st.Size() && e.modTime.Equal(st.ModTime()) {
		return e, nil
	}
	raw, err := fs.ReadFile(a.fsys, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	e := &assetEntry{size: st.Size(), modTime: st.ModTime(), raw: raw, etag: hex.EncodeToString(sum[:12]), brDone: make(chan struct{})}
	if compressible(name) {
		if gz, err := fs.ReadFile(a.fsys, name+".gz"); err == nil {
			e.gz = gz
		} else if gz := gzipBytes(raw); len(gz) < len(raw) {
			e.gz = gz // incompressible files are served as they are
		}
		if br, err := fs.ReadFile(a.fsys, name+".br"); err == nil {
			e.br = br
			close(e.brDone)
		} else {
			go func() {
				if br := brotliBytes(raw); len(br) < len(raw) {
					e.br = br
				}
				close(e.brDone)
			}()
		}
	} else {
		close(e.brDone)
	}
	if a.cache == nil {
		a.cache = map[string]*assetEntry{}
	}
	a.cache[name] = e
	return e, nil
}

// gzipBytes compresses at the best level: computed once per file version.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// brotliBytes compresses at quality 11 with the window brotli's CLI uses for
// large files, so the sizes match what a CDN would serve.
func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	bw.Write(b)
	bw.Close()
	return buf.Bytes()
}
