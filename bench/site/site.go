// Package site runs the benchmark's two loopback origins: the mock BI host,
// which also serves both SDKs under identical headers and can make its
// embedded page heavy, and the host app, which serves the benchmark's host
// page and mints guest tokens. Both send through one shaped link.
package site

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/dashembed/dashembed/bench/link"
	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/hostapp"
)

// Site is the pair of running origins.
type Site struct {
	// BIURL and HostURL are the two origins, http://127.0.0.1:<port>: the
	// embedded page is same-site with the host page, so it runs in the host
	// tab's renderer (the lab).
	BIURL, HostURL string
	// CrossSiteBIURL is the BI host as http://localhost:<port>, another
	// site than the host page: its iframe runs in a process of its own, as
	// a dashboard on another domain does (the field).
	CrossSiteBIURL string
	// BI is the mock BI host behind BIURL.
	BI *devserver.BIHost
	// Link shapes every connection the browser opens to either origin.
	Link *link.Link

	sdks        map[string]*SDK
	conditions  atomic.Pointer[Conditions]
	frameTokens chan FrameToken

	bi, host, direct *httptest.Server
}

// Conditions are how the site serves; a run sets them before it starts.
type Conditions struct {
	// Compress serves the SDKs' scripts and wasm brotli-encoded; without
	// it, uncompressed.
	Compress bool
	// Heavy makes the embedded page load the heavy scripts before its
	// switchboard starts.
	Heavy bool
}

// SetConditions changes how the site serves from the next request on.
func (s *Site) SetConditions(c Conditions) { s.conditions.Store(&c) }

// Conditions are how the site serves now.
func (s *Site) Conditions() Conditions { return *s.conditions.Load() }

// Start serves the SDKs and the host page on two fresh loopback ports,
// both through one link (unshaped until Link.Set), with compressed SDKs
// and the light page; a third port, never shaped, serves the BI host to
// the host app's backend.
func Start(sdks ...*SDK) (*Site, error) {
	s := &Site{sdks: map[string]*SDK{}, Link: link.New(), frameTokens: make(chan FrameToken, 16)}
	s.SetConditions(Conditions{Compress: true})
	for _, sdk := range sdks {
		s.sdks[sdk.Name] = sdk
	}
	var ls []net.Listener
	for range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return nil, err
		}
		ls = append(ls, l)
	}
	closeAll := func() {
		for _, l := range ls {
			l.Close()
		}
	}
	biL, hostL, directL := ls[0], ls[1], ls[2]
	s.BIURL, s.HostURL = "http://"+biL.Addr().String(), "http://"+hostL.Addr().String()
	s.CrossSiteBIURL = "http://localhost:" + strconv.Itoa(biL.Addr().(*net.TCPAddr).Port)

	cfg := devserver.DefaultConfig()
	// The BI host's own asset route is not used: the SDKs come from
	// serveSDK, so that ours and the official one get the same treatment.
	cfg.Assets = nil
	var err error
	s.BI, err = devserver.NewBIHost(cfg)
	if err != nil {
		closeAll()
		return nil, err
	}
	// The host app's backend mints tokens over a port of its own: a
	// server's call to the BI host does not cross the visitor's link.
	app, err := hostapp.New(hostapp.Config{
		BIURL:       "http://" + directL.Addr().String(),
		DashboardID: devserver.DemoDashboardUUID,
		Username:    devserver.DemoUsername,
		Password:    devserver.DemoPassword,
	})
	if err != nil {
		s.BI.Close()
		closeAll()
		return nil, err
	}

	biMux := http.NewServeMux()
	biMux.HandleFunc("GET /bench/sdk/{sdk}/{file...}", s.serveSDK)
	biMux.HandleFunc("GET /bench/heavy/{file}", s.serveHeavy)
	biMux.HandleFunc("POST /bench/frame-token", s.serveFrameToken)
	biMux.HandleFunc("GET /embedded/{uuid}", s.serveEmbedded)
	biMux.Handle("/", s.BI)
	s.bi = &httptest.Server{Listener: s.Link.Listener(biL), Config: &http.Server{Handler: s.Link.Handler(biMux)}}
	s.bi.Start()
	s.direct = &httptest.Server{Listener: directL, Config: &http.Server{Handler: s.BI}}
	s.direct.Start()

	hostMux := http.NewServeMux()
	hostMux.HandleFunc("GET /bench/page", s.servePage)
	hostMux.Handle("/", app)
	s.host = &httptest.Server{Listener: s.Link.Listener(hostL), Config: &http.Server{Handler: s.Link.Handler(hostMux)}}
	s.host.Start()
	return s, nil
}

// Close stops the servers and the BI host.
func (s *Site) Close() {
	s.host.Close()
	s.bi.Close()
	s.direct.Close()
	s.BI.Close()
}

// SDKPrefix is the URL prefix of every SDK file on the same-site BI
// origin: the browser's requests under it are the SDK's bytes on the wire.
func (s *Site) SDKPrefix(sdk string) string {
	return s.BIURL + "/bench/sdk/" + sdk + "/"
}

// FieldSDKPrefix is SDKPrefix on the cross-site BI origin.
func (s *Site) FieldSDKPrefix(sdk string) string {
	return s.CrossSiteBIURL + "/bench/sdk/" + sdk + "/"
}

// FieldSDKHasWasm reports whether the SDK fetches a wasm of its own: a
// visit is over only once it runs, so that its bytes are all counted.
func (s *Site) FieldSDKHasWasm(sdk string) bool {
	if b, ok := s.sdks[sdk]; ok {
		for name := range b.Files {
			if strings.Contains(name, ".wasm") {
				return true
			}
		}
	}
	return false
}

// PageURL is the host page for an SDK, embedding from the same-site BI
// origin. With cold set, the page calls embedDashboard in an inline script
// right after the SDK's script tag.
func (s *Site) PageURL(sdk string, cold bool) string {
	return s.HostURL + "/bench/page?sdk=" + sdk + "&cold=" + strconv.FormatBool(cold)
}

// FieldPageURL is the host page for an SDK that loads it from the
// cross-site BI origin, embeds at load and calls getScrollSize as soon as
// embedDashboard resolves.
func (s *Site) FieldPageURL(sdk string) string {
	return s.HostURL + "/bench/page?sdk=" + sdk + "&cold=true&field=true"
}
