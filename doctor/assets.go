package doctor

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// wasmName is the SDK's plain wasm, which the loader falls back to and the
// ES-module build imports.
const wasmName = "dashembed.wasm"

// wasmGzPattern finds the name of the build's gzip-compressed, content-hashed
// wasm in the script, which the loader fetches first.
var wasmGzPattern = regexp.MustCompile(`[A-Za-z0-9_-]+\.[0-9a-f]{16}\.wasm\.gz`)

// Magic numbers the loader sniffs: it accepts either.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	wasmMagic = []byte("\x00asm")
)

// sdkIsURL reports whether the SDK option names a URL (else a directory).
func (r *run) sdkIsURL() bool { return strings.Contains(r.opts.SDK, "://") }

// checkAssets is step 7: the SDK's script and the wasm its loader fetches,
// requested from the host origin as the browser requests them, arrive
// readable (CORS), as what they claim to be, compressed and cacheable.
func (r *run) checkAssets(ctx context.Context, res *Result) {
	if !r.sdkIsURL() {
		res.skip("the SDK comes from a local build (" + r.opts.SDK + "), not from a server")
		return
	}
	script, _ := url.Parse(r.opts.SDK)
	origin := http.Header{"Origin": {r.host.String()}}
	a, err := r.do(ctx, http.MethodGet, script.String(), origin, nil)
	switch {
	case err != nil:
		res.fail("GET "+script.String()+": "+err.Error(), "")
		return
	case a.status != http.StatusOK:
		res.fail(fmt.Sprintf("GET %s answered %d", script, a.status),
			"Serve the SDK's built files (dashembed.js and the wasm files beside it) at this URL, or point -sdk where the app loads them from.")
		return
	}
	if ct := a.header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		res.fail(fmt.Sprintf("the script is served as %q", ct), "Serve .js files as text/javascript: with X-Content-Type-Options: nosniff, browsers refuse to run any other type.")
	} else {
		res.ok(fmt.Sprintf("%s: 200, %s, %s", script.Path, ct, encoding(a)))
	}

	// The loader tries the compressed copy the build names in the script,
	// then the plain file; a 404 moves on to the next, as it does.
	var names []string
	if gz := wasmGzPattern.Find(a.body); gz != nil {
		names = append(names, string(gz))
	}
	names = append(names, wasmName)
	var wasm answer
	var wasmURL *url.URL
	for _, n := range names {
		wasmURL = script.ResolveReference(&url.URL{Path: n})
		if wasm, err = r.do(ctx, http.MethodGet, wasmURL.String(), origin, nil); err != nil {
			res.fail("GET "+wasmURL.String()+": "+err.Error(), "")
			return
		}
		if wasm.status != http.StatusNotFound {
			break
		}
	}
	if wasm.status != http.StatusOK {
		res.fail(fmt.Sprintf("GET %s answered %d", wasmURL, wasm.status), "Serve the wasm files of the build next to the script: the SDK loads them from there.")
		return
	}
	r.judgeWasm(wasm, wasmURL.Path, res)
	if wasmURL.Path != script.ResolveReference(&url.URL{Path: wasmName}).Path {
		r.checkPlainWasmType(ctx, script, res)
	}
}

// judgeWasm checks that the browser may read the wasm from the host origin,
// that it is a wasm (or its gzip), small on the wire and cacheable.
func (r *run) judgeWasm(a answer, path string, res *Result) {
	acao := a.header.Get("Access-Control-Allow-Origin")
	if acao != "*" && acao != r.host.String() {
		saw := "no Access-Control-Allow-Origin"
		if acao != "" {
			saw = "Access-Control-Allow-Origin: " + acao
		}
		res.fail(saw+" on "+path+" for "+r.host.String()+": the SDK fetches the wasm cross-origin and the browser refuses to hand it over",
			fmt.Sprintf("Send CORS on the SDK's files: ENABLE_CORS = True with CORS_OPTIONS = {\"origins\": [\"%s\"], \"resources\": [r\"/static/.*\"]} in superset_config.py, or add_header Access-Control-Allow-Origin in the proxy that serves /static/.", r.host))
	} else {
		res.ok(path + ": CORS Access-Control-Allow-Origin: " + acao)
	}
	gz := bytes.HasPrefix(a.body, gzipMagic)
	switch {
	case !gz && !bytes.HasPrefix(a.body, wasmMagic):
		res.fail(fmt.Sprintf("%s is neither a wasm nor its gzip (%s, starting %q)", path, a.header.Get("Content-Type"), short(a.body[:min(len(a.body), 40)])),
			"Serve the build's files as they are: a proxy or SPA fallback answers this path with something else.")
	case gz:
		res.ok(fmt.Sprintf("%s: the build's gzip-compressed copy, %s", path, size(len(a.body))))
	case a.gzipped:
		res.ok(fmt.Sprintf("%s: %s, compressed by the server", path, a.header.Get("Content-Type")))
	default:
		res.warn(fmt.Sprintf("%s is served uncompressed (%s): slow on real networks", path, size(len(a.body))),
			"Deploy the build's dashembed.<hash>.wasm.gz next to the script (the loader fetches it first), or compress application/wasm: nginx gzip_types, or flask-compress's COMPRESS_MIMETYPES; most servers leave wasm out by default.")
	}
	if a.header.Get("Cache-Control") == "" && a.header.Get("ETag") == "" && a.header.Get("Last-Modified") == "" {
		res.warn("no Cache-Control, ETag or Last-Modified on "+path+": browsers download it on every visit",
			"Send Cache-Control (immutable for the content-hashed .wasm.gz) or at least an ETag.")
	} else {
		res.ok(fmt.Sprintf("caching: Cache-Control %q, ETag %q", a.header.Get("Cache-Control"), a.header.Get("ETag")))
	}
	if !gz && !strings.HasPrefix(a.header.Get("Content-Type"), "application/wasm") {
		res.warn(wasmTypeSaw(path, a), wasmTypeFix)
	}
}

// checkPlainWasmType checks the plain wasm's Content-Type, which the ES
// module build and every other loader need even when the script tag's
// loader found the compressed copy.
func (r *run) checkPlainWasmType(ctx context.Context, script *url.URL, res *Result) {
	u := script.ResolveReference(&url.URL{Path: wasmName})
	a, err := r.do(ctx, http.MethodHead, u.String(), nil, nil)
	if err != nil || a.status != http.StatusOK {
		return // the script tag does not need it; the ES module build is served elsewhere
	}
	if strings.HasPrefix(a.header.Get("Content-Type"), "application/wasm") {
		res.ok(u.Path + ": application/wasm")
		return
	}
	res.warn(wasmTypeSaw(u.Path, a), wasmTypeFix)
}

// wasmTypeSaw and wasmTypeFix describe a wasm served with another type.
func wasmTypeSaw(path string, a answer) string {
	return fmt.Sprintf("%s is served as %q, not application/wasm: this SDK's loader copes, but WebAssembly.instantiateStreaming in other loaders refuses it", path, a.header.Get("Content-Type"))
}

const wasmTypeFix = "Map .wasm to application/wasm where the files are served (nginx: types { application/wasm wasm; }; for Superset's static route, mimetypes.add_type(\"application/wasm\", \".wasm\") in superset_config.py)."

// encoding says how the server compressed an answer.
func encoding(a answer) string {
	if a.gzipped {
		return "gzip"
	}
	return "uncompressed"
}

// size writes a byte count for reading.
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
