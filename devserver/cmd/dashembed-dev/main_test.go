package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dashembed/dashembed/devserver"
)

// fakeDist is an SDK directory with a stand-in bundle: these tests check
// the command, not the SDK (the e2e suite serves a real build).
func fakeDist(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dashembed.js"), []byte("window.dashembed = {};"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// serveWhile runs the command with args until check returns, and returns
// what it printed.
func serveWhile(t *testing.T, args []string, check func(readyInfo)) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	err := run(ctx, args, &out, &errb, func(info readyInfo) {
		defer cancel()
		check(info)
	})
	if err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// get fetches a URL with optional header pairs.
func get(t *testing.T, url string, headers ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestMissingDist(t *testing.T) {
	err := run(context.Background(), []string{"-dist", t.TempDir()}, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "make dist") || exitCode(err, io.Discard) != 1 {
		t.Fatalf("err %v", err)
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	dist := fakeDist(t)
	for _, args := range [][]string{
		{"-nope"},
		{"-dist", dist, "-faults", "explode"},
		{"-dist", dist, "extra"},
		{"-dist", dist, "-allow", "ftp://example.com"},
		{"-dist", dist, "-allow", "http://localhost:3000/app"},
		{"-dist", dist, "-token-lifetime", "-1s"},
		{"init", "-bogus"},
		{"init", "extra"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), args, io.Discard, &stderr, nil)
		var ue *usageError
		if !errors.As(err, &ue) || exitCode(err, &stderr) != 2 {
			t.Errorf("%v: err %v, want a usage error (exit 2)", args, err)
		}
		if !strings.Contains(stderr.String(), "dashembed-dev") {
			t.Errorf("%v: stderr %q does not say who complains", args, stderr.String())
		}
	}
}

func TestHelpExitsZero(t *testing.T) {
	err := run(context.Background(), []string{"-h"}, io.Discard, io.Discard, nil)
	if exitCode(err, io.Discard) != 0 {
		t.Fatalf("-h: %v", err)
	}
}

func TestServesDemoWithoutFile(t *testing.T) {
	dist := fakeDist(t)
	out, _ := serveWhile(t, []string{"-dist", dist, "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0", "-token-lifetime", "1m"},
		func(info readyInfo) {
			for _, u := range []string{info.SDKURL, info.AppURL + "/"} {
				if resp := get(t, u); resp.StatusCode != 200 {
					t.Errorf("%s: %d", u, resp.StatusCode)
				}
			}
			resp, err := http.Post(info.AppURL+"/api/guest-token", "", nil)
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("guest token via the host app: %v %v", err, resp)
			} else {
				resp.Body.Close()
			}
			// The demo keeps letting the examples embed.
			if !strings.Contains(strings.Join(info.AllowedOrigins, " "), "http://127.0.0.1:5173") {
				t.Errorf("allowed origins %v lack the examples'", info.AllowedOrigins)
			}
		})
	for _, want := range []string{"host app (open this):  http://127.0.0.1:", "admin / admin", "guest token lifetime:  1m0s",
		"guest token secret:    " + devserver.DemoSecret, "allowed origins:       http://127.0.0.1:", devserver.DemoDashboardUUID} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
}

func TestInitWritesStarterOnce(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"init", "-dir", dir}, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "dashembed-dev -config "+filepath.Join(dir, "dashembed.toml")) {
		t.Errorf("init output %q does not say how to run it", out.String())
	}
	err := run(context.Background(), []string{"init", "-dir", dir}, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") || exitCode(err, io.Discard) != 1 {
		t.Errorf("second init: %v", err)
	}
	if err := run(context.Background(), []string{"init", "-dir", dir, "-force"}, io.Discard, io.Discard, nil); err != nil {
		t.Errorf("init -force: %v", err)
	}
}

// starter writes the starter configuration into a temporary directory and
// returns its path and the embed uuid it chose.
func starter(t *testing.T) (string, *devserver.ConfigFile) {
	t.Helper()
	path, err := devserver.WriteStarter(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := devserver.LoadConfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, cf
}

func TestConfigFileServesItsDashboard(t *testing.T) {
	path, cf := starter(t)
	uuid := cf.Config.Dashboards[0].UUID
	// A dashboard's own origin, on top of the file's global ones.
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), `# allowed_origins = ["https://staging.example.com"]`, `allowed_origins = ["https://staging.example.com"]`, 1)), 0o644)
	ready := filepath.Join(t.TempDir(), "ready.json")
	out, _ := serveWhile(t, []string{"-config", path, "-dist", fakeDist(t), "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0",
		"-allow", "http://localhost:4000", "-ready-json", ready},
		func(info readyInfo) {
			b, err := os.ReadFile(ready)
			if err != nil {
				t.Fatal(err)
			}
			var got readyInfo
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("ready JSON %s: %v", b, err)
			}
			if got.BIURL != info.BIURL || got.GuestToken.Secret != cf.Config.Secret || len(got.Dashboards) != 1 ||
				got.Dashboards[0].UUID != uuid || got.Dashboards[0].EmbedURL != info.BIURL+"/embedded/"+uuid {
				t.Errorf("ready JSON %s", b)
			}
			page := info.BIURL + "/embedded/" + uuid
			for referer, want := range map[string]int{
				"http://localhost:3000/page":  200, // the file's allowed origin
				"http://localhost:4000/":      200, // -allow
				info.AppURL + "/":             200, // the demo host app
				"http://localhost:3001/":      403,
				"https://staging.example.com": 200, // the dashboard's own
			} {
				if resp := get(t, page, "Referer", referer); resp.StatusCode != want {
					t.Errorf("embed from %s: %d, want %d", referer, resp.StatusCode, want)
				}
			}
			// The demo host app embeds the file's dashboard, with its tenants.
			resp, err := http.Post(info.AppURL+"/api/guest-token", "application/json", strings.NewReader(`{"tenant":"globex"}`))
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("guest token via the host app: %v %v", err, resp)
			}
			resp.Body.Close()
		})
	for _, want := range []string{"configuration:", "http://localhost:3000", "http://localhost:4000", cf.Config.Secret,
		"viewer / viewer, may NOT mint guest tokens", "datasets:              1 sales", "and for dashboard 1: https://staging.example.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
}

func TestReadyJSONOnStdoutIsOneLine(t *testing.T) {
	out, errOut := serveWhile(t, []string{"-dist", fakeDist(t), "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0", "-ready-json", "-"},
		func(readyInfo) {})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var info readyInfo
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &info) != nil || info.Dashboards[0].UUID != devserver.DemoDashboardUUID {
		t.Fatalf("stdout is not one JSON line:\n%s", out)
	}
	if !strings.Contains(errOut, "dashembed dev server") {
		t.Errorf("the banner went missing from stderr:\n%s", errOut)
	}
}

func TestWildcardOriginWarnsLoudly(t *testing.T) {
	_, errOut := serveWhile(t, []string{"-dist", fakeDist(t), "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0", "-allow", "*"},
		func(info readyInfo) {
			if resp := get(t, info.BIURL+"/embedded/"+devserver.DemoDashboardUUID, "Referer", "https://anything.example/"); resp.StatusCode != 200 {
				t.Errorf("with -allow '*' an embed from anywhere got %d", resp.StatusCode)
			}
		})
	if !strings.Contains(errOut, "ANY ORIGIN MAY EMBED") {
		t.Errorf("no loud warning:\n%s", errOut)
	}
}

func TestFlagsOverrideFile(t *testing.T) {
	path, _ := starter(t)
	serveWhile(t, []string{"-config", path, "-dist", fakeDist(t), "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0",
		"-token-lifetime", "42s", "-strict-csrf", "-faults", "slow=1ms"},
		func(info readyInfo) {
			if info.GuestToken.LifetimeSeconds != 42 {
				t.Errorf("lifetime %v, want the flag's 42 s", info.GuestToken.LifetimeSeconds)
			}
			// The file's bi_addr (8088) lost to the flag's port 0.
			if strings.HasSuffix(info.BIURL, ":8088") {
				t.Errorf("BI URL %s: the file's address won over -bi-addr", info.BIURL)
			}
			resp, err := http.Get(info.BIURL + "/__dashembed/faults")
			if err != nil {
				t.Fatal(err)
			}
			var f map[string]any
			json.NewDecoder(resp.Body).Decode(&f)
			resp.Body.Close()
			if f["spec"] != "slow=1ms" {
				t.Errorf("faults %v, want -faults' slow=1ms", f)
			}
		})
}

func TestPortInUseNamesTheFileKey(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	path := filepath.Join(t.TempDir(), "dev.toml")
	os.WriteFile(path, []byte("# a comment\n[server]\nbi_addr = \""+busy.Addr().String()+"\"\n"), 0o644)
	err = run(context.Background(), []string{"-config", path, "-dist", fakeDist(t), "-app-addr", "127.0.0.1:0"}, io.Discard, io.Discard, nil)
	var fe *devserver.ConfigFileError
	if !errors.As(err, &fe) || fe.Line != 3 || fe.Key != "server.bi_addr" || !strings.Contains(err.Error(), "port 0 picks a free one") {
		t.Fatalf("err %v", err)
	}
	// Given as a flag, the same address is the flag's fault.
	err = run(context.Background(), []string{"-dist", fakeDist(t), "-bi-addr", busy.Addr().String()}, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "-bi-addr "+busy.Addr().String()) {
		t.Fatalf("err %v", err)
	}
}

func TestBadConfigStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dev.toml")
	os.WriteFile(path, []byte(`[[datasets]]
id = 1
table = "sales"
csv = "missing.csv"

[[dashboards]]
id = 1
uuid = "5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c"
`), 0o644)
	called := false
	err := run(context.Background(), []string{"-config", path, "-dist", fakeDist(t), "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0"},
		io.Discard, io.Discard, func(readyInfo) { called = true })
	if err == nil || called || !strings.Contains(err.Error(), path+":4: key datasets[0].csv: cannot read the CSV file") {
		t.Fatalf("err %v (served: %v)", err, called)
	}
	if exitCode(err, io.Discard) != 1 {
		t.Errorf("exit code %d", exitCode(err, io.Discard))
	}
}
