package doctor

import (
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/devtest"
)

// appOrigin is the host origin every test embeds from.
const appOrigin = "http://app.example.com"

// fakeSDK stands in for a built SDK: the asset checks read headers, not
// code, and building the real one belongs to the e2e tests.
func fakeSDK() fstest.MapFS {
	return fstest.MapFS{
		"dashembed.js":   {Data: bytes.Repeat([]byte("console.log('dashembed');\n"), 400), ModTime: time.Unix(1e9, 0)},
		"dashembed.wasm": {Data: append([]byte("\x00asm\x01\x00\x00\x00"), make([]byte, 64<<10)...), ModTime: time.Unix(1e9, 0)},
	}
}

// startBI starts a mock BI host serving fakeSDK whose demo dashboard
// allows appOrigin, changed by mutate (may be nil), and returns its URL.
func startBI(t *testing.T, mutate func(*devserver.Config)) string {
	t.Helper()
	opts := []devtest.Option{devtest.Allow(appOrigin), devtest.Configure(func(c *devserver.Config) { c.Assets = fakeSDK() })}
	if mutate != nil {
		opts = append(opts, devtest.Configure(mutate))
	}
	return devtest.Start(t, opts...).URL
}

// options are the doctor's options for a healthy run against bi, without
// the browser.
func options(bi string) Options {
	return Options{
		BI: bi, HostOrigin: appOrigin, Dashboard: devserver.DemoDashboardUUID,
		Username: devserver.DemoUsername, Password: devserver.DemoPassword,
		NoBrowser: true, Timeout: 5 * time.Second,
	}
}

// diagnose runs the doctor and fails the test on an option error.
func diagnose(t *testing.T, o Options) Report {
	t.Helper()
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// expect checks one check's verdict and that its fixes mention each of
// fixWords; it prints the whole report when they do not.
func expect(t *testing.T, rep Report, id string, want Status, fixWords ...string) {
	t.Helper()
	r, ok := rep.Result(id)
	if !ok {
		t.Fatalf("no check %q in the report", id)
	}
	fix := strings.Join(r.Fix, "\n")
	bad := r.Status != want
	for _, w := range fixWords {
		if !strings.Contains(fix, w) {
			bad = true
		}
	}
	if bad {
		var b strings.Builder
		rep.WriteText(&b)
		t.Errorf("check %s: status %s, want %s with a fix naming %q\n%s", id, r.Status, want, fixWords, b.String())
	}
}

// redirectTo is an HTTP client that sends every request to the server at
// addr whatever the URL's host, so a test can give the BI host a name.
func redirectTo(addr string) *http.Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	return &http.Client{Transport: tr}
}

// gzipped compresses b.
func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
