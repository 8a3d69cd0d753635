package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dashembed/dashembed/devserver"
	"github.com/dashembed/dashembed/devserver/devtest"
)

// startBI starts a mock BI host that allows http://app.example.com, with
// framing as given, and returns its URL.
func startBI(t *testing.T, framing devserver.FramingMode) string {
	t.Helper()
	return devtest.Start(t, devtest.Allow("http://app.example.com"),
		devtest.Configure(func(c *devserver.Config) { c.Framing = framing })).URL
}

// doctorArgs are the flags of a run against bi, without the browser and
// with the SDK from a local directory, which leaves out the assets check
// (the host serves no SDK build here).
func doctorArgs(t *testing.T, bi string) []string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dashembed.js"), []byte("/* SDK */"), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"-bi", bi, "-host-origin", "http://app.example.com", "-dashboard", devserver.DemoDashboardUUID,
		"-user", "admin", "-password", "admin", "-no-browser", "-sdk", dir}
}

// TestExitStatus: 0 when nothing failed, 1 when a check failed, 2 for bad
// flags, with a message naming the flag.
func TestExitStatus(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), doctorArgs(t, startBI(t, devserver.FramingCSP)), &out, &errOut); code != 0 {
		t.Errorf("healthy host: exit %d, want 0\n%s%s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), doctorArgs(t, startBI(t, devserver.FramingStock)), &out, &errOut); code != 1 {
		t.Errorf("stock framing headers: exit %d, want 1\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "FAIL    Embedded page and framing headers") || !strings.Contains(out.String(), "TALISMAN_CONFIG") {
		t.Errorf("the table does not show the framing failure and its fix:\n%s", out.String())
	}
	for _, bad := range []struct {
		flag string
		args []string
	}{
		{"-bi", []string{"-host-origin", "http://app.example.com", "-dashboard", "1", "-user", "a", "-password", "b"}},
		{"-bi", []string{"-bi", "ftp://x", "-host-origin", "http://app.example.com", "-dashboard", "1", "-user", "a", "-password", "b"}},
		{"-host-origin", []string{"-bi", "http://x", "-host-origin", "http://app.example.com/path", "-dashboard", "1", "-user", "a", "-password", "b"}},
		{"-host-origin", []string{"-bi", "http://x", "-host-origin", "nope", "-dashboard", "1", "-user", "a", "-password", "b"}},
		{"-dashboard", []string{"-bi", "http://x", "-host-origin", "http://app.example.com", "-user", "a", "-password", "b"}},
		{"-user", []string{"-bi", "http://x", "-host-origin", "http://app.example.com", "-dashboard", "1"}},
		{"-user", []string{"-bi", "http://x", "-host-origin", "http://app.example.com", "-dashboard", "1", "-user", "a", "-password", "b", "-api-key", "k"}},
		{"-sdk", []string{"-bi", "http://x", "-host-origin", "http://app.example.com", "-dashboard", "1", "-user", "a", "-password", "b", "-sdk", "no-such-dir"}},
		{"-no-such-flag", []string{"-no-such-flag"}},
	} {
		errOut.Reset()
		if code := run(context.Background(), bad.args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2", bad.args, code)
		}
		if !strings.Contains(errOut.String(), bad.flag) {
			t.Errorf("%q: the message does not name %s: %q", bad.args, bad.flag, errOut.String())
		}
	}
}

// TestJSON: -json writes the report for machines, one object per check.
func TestJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	run(context.Background(), append(doctorArgs(t, startBI(t, devserver.FramingCSP)), "-json"), &out, &errOut)
	var rep struct {
		Results []struct {
			Step   int      `json:"step"`
			ID     string   `json:"id"`
			Status string   `json:"status"`
			Saw    []string `json:"saw"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, out.String())
	}
	if len(rep.Results) != 8 || rep.Results[0].ID != "reach" || rep.Results[0].Status != "ok" || rep.Results[7].Status != "skipped" {
		t.Errorf("unexpected report: %+v", rep.Results)
	}
}
