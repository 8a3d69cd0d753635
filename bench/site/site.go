// Package site runs the benchmark's two loopback origins: the mock BI host,
// which also serves both SDKs under identical headers, and the host app,
// which serves the benchmark's host page and mints guest tokens.
package site

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dashembed/dashembed/bench/sizes"
	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

// SDK is one build of an embed SDK, held in memory with its precompressed
// variants so that both SDKs are served by the same code with the same
// headers.
type SDK struct {
	// Name is the SDK's path segment and label, such as "dashembed".
	Name string
	// Script is the file the host page loads with a <script> tag; the SDK
	// fetches its other files (our wasm) itself.
	Script string
	// Files are the served files by name.
	Files map[string]sizes.Compressed
}

// LoadSDK reads files from dir and compresses them. The first file is the
// script tag's.
func LoadSDK(name, dir string, files ...string) (*SDK, error) {
	if len(files) == 0 {
		return nil, errors.New("site: an SDK needs at least its script")
	}
	s := &SDK{Name: name, Script: files[0], Files: map[string]sizes.Compressed{}}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, fmt.Errorf("site: reading %s SDK: %w", name, err)
		}
		c, err := sizes.Compress(data)
		if err != nil {
			return nil, err
		}
		s.Files[f] = c
	}
	return s, nil
}

// Sizes returns the SDK's total raw, gzip and brotli bytes.
func (s *SDK) Sizes() sizes.Sizes {
	var total sizes.Sizes
	for _, c := range s.Files {
		total = total.Add(c.Sizes())
	}
	return total
}

// FileSizes returns the sizes of each file.
func (s *SDK) FileSizes() map[string]sizes.Sizes {
	out := map[string]sizes.Sizes{}
	for name, c := range s.Files {
		out[name] = c.Sizes()
	}
	return out
}

// Site is the pair of running origins.
type Site struct {
	// BIURL and HostURL are the two origins, http://127.0.0.1:<port>.
	BIURL, HostURL string
	// BI is the mock BI host behind BIURL.
	BI *devserver.BIHost

	sdks     map[string]*SDK
	bi, host *httptest.Server
}

// Start serves the SDKs and the host page on two fresh loopback ports.
func Start(sdks ...*SDK) (*Site, error) {
	s := &Site{sdks: map[string]*SDK{}}
	for _, sdk := range sdks {
		s.sdks[sdk.Name] = sdk
	}
	biL, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hostL, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		biL.Close()
		return nil, err
	}
	s.BIURL, s.HostURL = "http://"+biL.Addr().String(), "http://"+hostL.Addr().String()

	cfg := devserver.DefaultConfig()
	// The BI host's own asset route is not used: the SDKs come from
	// serveSDK, so that ours and the official one get the same treatment.
	cfg.Assets = nil
	s.BI, err = devserver.NewBIHost(cfg)
	if err != nil {
		biL.Close()
		hostL.Close()
		return nil, err
	}
	app, err := hostapp.New(hostapp.Config{
		BIURL:       s.BIURL,
		DashboardID: devserver.DemoDashboardUUID,
		Username:    devserver.DemoUsername,
		Password:    devserver.DemoPassword,
	})
	if err != nil {
		s.BI.Close()
		biL.Close()
		hostL.Close()
		return nil, err
	}

	biMux := http.NewServeMux()
	biMux.HandleFunc("GET /bench/sdk/{sdk}/{file}", s.serveSDK)
	biMux.Handle("/", s.BI)
	s.bi = &httptest.Server{Listener: biL, Config: &http.Server{Handler: biMux}}
	s.bi.Start()

	hostMux := http.NewServeMux()
	hostMux.HandleFunc("GET /bench/page", s.servePage)
	hostMux.Handle("/", app)
	s.host = &httptest.Server{Listener: hostL, Config: &http.Server{Handler: hostMux}}
	s.host.Start()
	return s, nil
}

// Close stops both servers and the BI host.
func (s *Site) Close() {
	s.host.Close()
	s.bi.Close()
	s.BI.Close()
}

// SDKPrefix is the URL prefix of every SDK file: the browser's requests
// under it are the SDK's bytes on the wire.
func (s *Site) SDKPrefix(sdk string) string {
	return s.BIURL + "/bench/sdk/" + sdk + "/"
}

// PageURL is the host page for an SDK. With cold set, the page calls
// embedDashboard in an inline script right after the SDK's script tag.
func (s *Site) PageURL(sdk string, cold bool) string {
	return s.HostURL + "/bench/page?sdk=" + sdk + "&cold=" + strconv.FormatBool(cold)
}

// serveSDK serves one SDK file, brotli-encoded when the browser accepts it
// (Chromium does, also over plain http on loopback), never cacheable: every
// run must download the SDK as a first visit does.
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
	h.Set("Cache-Control", "no-store")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Vary", "Accept-Encoding")
	body := f.Raw
	switch ae := r.Header.Get("Accept-Encoding"); {
	case acceptsEncoding(ae, "br"):
		h.Set("Content-Encoding", "br")
		body = f.Brotli
	case acceptsEncoding(ae, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = f.Gzip
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
