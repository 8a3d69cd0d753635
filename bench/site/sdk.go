package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/dashembed/dashembed/bench/sizes"
)

// SDK is one build of an embed SDK, held in memory with its compressed
// variants so that both SDKs are served by the same code with the same
// headers.
type SDK struct {
	// Name is the SDK's path segment and label, such as "dashembed".
	Name string
	// Script is the file the host page loads with a <script> tag; the SDK
	// fetches its other files (our wasm) itself.
	Script string
	// Files are every file of the build by slash-separated path, so that
	// whatever the SDK fetches is there, whatever the build names it.
	Files map[string]*File
}

// File is one served file.
type File struct {
	// Raw is the file as the build wrote it.
	Raw []byte
	// Hashed says the name carries a content hash, so the file is served
	// immutable, as a careful deployment serves such names.
	Hashed bool
	// etag identifies the bytes, for the revalidation of unhashed names.
	etag string
	// compressible says whether a server compresses the file when told to.
	compressible bool

	once    sync.Once
	comp    sizes.Compressed
	compErr error
}

// Compressed returns the file with its gzip and brotli variants, made on
// first use: brotli at quality 11 takes seconds for a wasm, and most files
// of a build are never fetched. A file a server would not compress is its
// own variant.
func (f *File) Compressed() (sizes.Compressed, error) {
	f.once.Do(func() {
		if !f.compressible {
			f.comp = sizes.Compressed{Raw: f.Raw, Gzip: f.Raw, Brotli: f.Raw}
			return
		}
		f.comp, f.compErr = sizes.Compress(f.Raw)
	})
	return f.comp, f.compErr
}

// LoadSDK reads every file under dir (the built distribution). script is
// the file the host page's script tag loads.
func LoadSDK(name, dir, script string) (*SDK, error) {
	s := &SDK{Name: name, Script: script, Files: map[string]*File{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := &File{Raw: data, Hashed: hashedName(path.Base(rel)), compressible: compressible(rel)}
		sum := sha256.Sum256(data)
		f.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
		s.Files[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("site: reading the %s SDK: %w", name, err)
	}
	if s.Files[script] == nil {
		return nil, errors.New("site: the " + name + " SDK has no " + script)
	}
	return s, nil
}

// Sizes returns the raw, gzip and brotli bytes of the named files together
// (unknown names count nothing).
func (s *SDK) Sizes(names []string) (sizes.Sizes, error) {
	var total sizes.Sizes
	for _, n := range names {
		if f := s.Files[n]; f != nil {
			c, err := f.Compressed()
			if err != nil {
				return total, err
			}
			total = total.Add(c.Sizes())
		}
	}
	return total, nil
}

// compressible says whether a server compresses the file when told to:
// scripts and wasm. Pre-compressed variants (.gz, .br) are already.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".mjs", ".cjs", ".wasm":
		return true
	}
	return false
}

// hashedName reports whether a file name carries a content hash: a part of
// the name between dots, dashes or underscores, at least 8 characters
// long, that is hex, esbuild's upper-case base32, or letters mixed with
// digits. Words such as "dashembed" or "index" are none of these.
func hashedName(name string) bool {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	for _, p := range parts[:max(len(parts)-1, 0)] { // the last part is the extension
		if len(p) < 8 {
			continue
		}
		var hex, b32, digit, letter = true, true, false, false
		for _, r := range p {
			isDigit := r >= '0' && r <= '9'
			isLower, isUpper := r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z'
			if !isDigit && !isLower && !isUpper {
				hex, b32, digit, letter = false, false, false, false
				break
			}
			digit = digit || isDigit
			letter = letter || isLower || isUpper
			hex = hex && (isDigit || r >= 'a' && r <= 'f')
			b32 = b32 && (isUpper || r >= '2' && r <= '7')
		}
		if hex || b32 || digit && letter {
			return true
		}
	}
	return false
}

// serveSDK serves one SDK file. With compression on, scripts and wasm go
// brotli-encoded (a pre-compressed .br of the build first, else brotli at
// quality 11), or gzip to a browser without brotli; with it off, every
// file goes as it is, as most servers send application/wasm. A name with
// a content hash is immutable; any other must be revalidated (ETag).
func (s *Site) serveSDK(w http.ResponseWriter, r *http.Request) {
	sdk, ok := s.sdks[r.PathValue("sdk")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	name := r.PathValue("file")
	f, ok := sdk.Files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", f.etag)
	if f.Hashed {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.Raw
	if s.Conditions().Compress && f.compressible {
		c, err := f.Compressed()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ae := r.Header.Get("Accept-Encoding")
		switch {
		case acceptsEncoding(ae, "br"):
			h.Set("Content-Encoding", "br")
			body = c.Brotli
			if pre := sdk.Files[name+".br"]; pre != nil {
				body = pre.Raw
			}
		case acceptsEncoding(ae, "gzip"):
			h.Set("Content-Encoding", "gzip")
			body = c.Gzip
			if pre := sdk.Files[name+".gz"]; pre != nil {
				body = pre.Raw
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// contentType is the type each SDK file is served with; the wasm must be
// application/wasm or WebAssembly.instantiateStreaming refuses it.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs", ".cjs":
		return "text/javascript; charset=utf-8"
	case ".gz":
		return "application/gzip"
	case ".json", ".map":
		return "application/json"
	}
	return "application/octet-stream"
}

// acceptsEncoding reports whether an Accept-Encoding header lists enc with
// a non-zero quality.
func acceptsEncoding(header, enc string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
