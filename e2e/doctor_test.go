package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/devtest"
	"github.com/dashembed/dashembed/doctor"
)

// doctorApp is the host origin the doctor's browser check claims: no server
// runs there, the doctor serves its page by request interception. It is on
// loopback like the BI host (Chromium lets a public http page reach no
// loopback address, and sends no Referer from an https page to an http
// one), and same-site with it, as app.example.com and bi.example.com are.
const doctorApp = "http://127.0.0.1:4999"

// startDoctorBI starts a BI host serving this run's SDK build, whose demo
// dashboard allows doctorApp, changed by mutate (may be nil).
func startDoctorBI(t *testing.T, mutate func(*devserver.Config)) string {
	t.Helper()
	opts := []devtest.Option{devtest.Allow(doctorApp), devtest.Dist(distDir)}
	if mutate != nil {
		opts = append(opts, devtest.Configure(mutate))
	}
	return devtest.Start(t, opts...).URL
}

// runDoctor runs every check against bi, in the shared browser unless
// ownBrowser asks the doctor to start its own.
func runDoctor(t *testing.T, bi string, ownBrowser bool) doctor.Report {
	t.Helper()
	o := doctor.Options{
		BI: bi, HostOrigin: doctorApp, Dashboard: devserver.DemoDashboardUUID,
		Username: devserver.DemoUsername, Password: devserver.DemoPassword, Timeout: 10 * time.Second,
	}
	if !ownBrowser {
		o.Browser = browserCtx
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rep, err := doctor.Run(ctx, o)
	if err != nil {
		t.Fatalf("doctor.Run: %v", err)
	}
	return rep
}

// browserResult returns the browser check, failing the test with the whole
// report when its status is not want or its lines lack one of words.
func browserResult(t *testing.T, rep doctor.Report, want doctor.Status, words ...string) {
	t.Helper()
	r, _ := rep.Result("browser")
	text := strings.Join(append(append([]string{}, r.Saw...), r.Fix...), "\n")
	bad := r.Status != want
	for _, w := range words {
		if !strings.Contains(text, w) {
			bad = true
		}
	}
	if bad {
		var b strings.Builder
		rep.WriteText(&b)
		t.Errorf("browser check: %s, want %s mentioning %q\n%s", r.Status, want, words, b.String())
	}
}

// TestDoctorHealthy: against a healthy BI host every check passes, the
// browser check included, in a Chromium the doctor starts itself.
func TestDoctorHealthy(t *testing.T) {
	rep := runDoctor(t, startDoctorBI(t, nil), true)
	for _, r := range rep.Results {
		if r.Status != doctor.StatusOK {
			var b strings.Builder
			rep.WriteText(&b)
			t.Fatalf("check %s: %s, want ok\n%s", r.ID, r.Status, b.String())
		}
	}
	browserResult(t, rep, doctor.StatusOK, "the SDK reported ready")
}

// TestDoctorBrowserSeesBlockedFrames: with framing headers that leave the
// app out, the browser check fails with the console's framing error.
func TestDoctorBrowserSeesBlockedFrames(t *testing.T) {
	t.Run("X-Frame-Options", func(t *testing.T) {
		rep := runDoctor(t, startDoctorBI(t, func(c *devserver.Config) { c.Framing = devserver.FramingStock }), false)
		browserResult(t, rep, doctor.StatusFail, "refused to show the dashboard's page", "X-Frame-Options")
	})
	t.Run("frame-ancestors", func(t *testing.T) {
		rep := runDoctor(t, startDoctorBI(t, func(c *devserver.Config) { c.FrameAncestors = "'self'" }), false)
		browserResult(t, rep, doctor.StatusFail, "frame-ancestors 'self'", "refused to show the dashboard's page")
	})
}

// TestDoctorBrowserSeesWasmWithoutCORS: a wasm the host origin may not read
// fails the browser check, with the console's CORS error.
func TestDoctorBrowserSeesWasmWithoutCORS(t *testing.T) {
	rep := runDoctor(t, startDoctorBI(t, func(c *devserver.Config) { c.StaticNoCORS = true }), false)
	browserResult(t, rep, doctor.StatusFail, "blocked by CORS policy", "step 7")
}

// TestDoctorLocalSDK: with -sdk naming a build directory, the browser check
// serves it on the host origin and the SDK embeds from there; the assets
// check, which is about a server's headers, says it did not run.
func TestDoctorLocalSDK(t *testing.T) {
	o := doctor.Options{
		BI: startDoctorBI(t, nil), HostOrigin: doctorApp, Dashboard: devserver.DemoDashboardUUID,
		Username: devserver.DemoUsername, Password: devserver.DemoPassword, SDK: distDir, Browser: browserCtx,
	}
	rep, err := doctor.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result("assets"); r.Status != doctor.StatusSkipped {
		t.Errorf("assets check: %s, want skipped", r.Status)
	}
	browserResult(t, rep, doctor.StatusOK, "the SDK reported ready")
}
