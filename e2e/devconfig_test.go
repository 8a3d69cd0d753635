package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dashembed/dashembed/guesttoken"
)

// A developer's own app on http://localhost:3000 (the default port of
// Next.js, Create React App and Express) embeds a dashboard of its own data
// from dashembed-dev, started as the README says: `init`, then `-config`.
// The binary is built with go build and run from a directory outside the
// repository without -dist, so it also shows that a binary on its own
// serves a working SDK (built from the sources it was compiled from).

// devReady is the part of dashembed-dev's -ready-json this test reads.
type devReady struct {
	BIURL      string `json:"bi_url"`
	SDKURL     string `json:"sdk_url"`
	Dashboards []struct {
		ID   int    `json:"id"`
		UUID string `json:"uuid"`
	} `json:"dashboards"`
	Accounts []struct {
		Username        string `json:"username"`
		Password        string `json:"password"`
		GrantGuestToken bool   `json:"grant_guest_token"`
	} `json:"accounts"`
}

// listenAppPort listens on 127.0.0.1:3000, or on a free port when 3000 is
// taken, and returns the listener and its port.
func listenAppPort(t *testing.T) (net.Listener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:3000")
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return ln, port
}

// startDevServer runs dashembed-dev with args in dir and waits (the first
// run builds the SDK) for its -ready-json file.
func startDevServer(t *testing.T, bin, dir string, args ...string) devReady {
	t.Helper()
	ready := filepath.Join(dir, "ready.json")
	cmd := exec.Command(bin, append(args, "-ready-json", ready)...)
	cmd.Dir = dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		if t.Failed() {
			t.Logf("dashembed-dev's output:\n%s", out.String())
		}
	})
	deadline := time.After(4 * time.Minute)
	for {
		var r devReady
		if b, err := os.ReadFile(ready); err == nil && json.Unmarshal(b, &r) == nil {
			return r
		}
		select {
		case err := <-exited:
			t.Fatalf("dashembed-dev exited before it was ready (%v):\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("dashembed-dev not ready after 4 minutes:\n%s", out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// starterTotal sums the starter data's revenue for one tenant, read from
// the CSV the starter wrote, as the big-number chart should show it.
func starterTotal(t *testing.T, path, tenant string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	total := 0
	for _, r := range rows[1:] {
		if r[col["tenant"]] == tenant {
			n, _ := strconv.Atoi(r[col["revenue"]])
			total += n
		}
	}
	if total == 0 {
		t.Fatalf("the starter data has no revenue for %s", tenant)
	}
	return total
}

// localhostApp is the developer's app: a page that embeds the dashboard
// with the SDK from the BI host, and a backend that mints a tenant's guest
// token with the guesttoken client.
func localhostApp(t *testing.T, ln net.Listener, dev devReady, uuid, tenant string) {
	t.Helper()
	var acct struct{ user, pass string }
	for _, a := range dev.Accounts {
		if a.GrantGuestToken {
			acct.user, acct.pass = a.Username, a.Password
			break
		}
	}
	client, err := guesttoken.NewSuperset(dev.BIURL, guesttoken.Credentials{Username: acct.user, Password: acct.pass})
	if err != nil {
		t.Fatal(err)
	}
	clause, err := guesttoken.ClauseEquals("tenant", tenant)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/guest-token", func(w http.ResponseWriter, r *http.Request) {
		tok, err := client.GuestToken(r.Context(), guesttoken.GuestTokenRequest{
			User:      guesttoken.User{Username: "dev-user"},
			Resources: []guesttoken.Resource{{ID: uuid}},
			RLS:       []guesttoken.RLSRule{{Clause: clause}},
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"token": tok})
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>my app</title><div id="dashboard"></div>
<script src="%s"></script>
<script>
supersetEmbeddedSdk.embedDashboard({
  id: %q, supersetDomain: %q, mountPoint: document.getElementById('dashboard'),
  fetchGuestToken: () => fetch('/api/guest-token', {method: 'POST'}).then((r) => r.json()).then((j) => j.token),
}).then(() => { window.embedded = 'ok'; }, (e) => { window.embedded = 'error: ' + e.message; });
</script>`, dev.SDKURL, uuid, dev.BIURL)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

func TestAppOnLocalhostEmbedsFromConfigFile(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dashembed-dev")
	command(t, "..", "go", "build", "-o", bin, "./devserver/cmd/dashembed-dev")
	work := t.TempDir()
	command(t, work, bin, "init")
	appLn, port := listenAppPort(t)
	appOrigin := "http://localhost:" + port
	if port != "3000" {
		// 3000 is busy on this machine: allow the port the app got, as a
		// developer would edit the file.
		cfgPath := filepath.Join(work, "dashembed.toml")
		b, err := os.ReadFile(cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(b), `"http://localhost:3000"`, `"`+appOrigin+`"`, 1)
		if edited == string(b) {
			t.Fatal("the starter file does not allow http://localhost:3000")
		}
		os.WriteFile(cfgPath, []byte(edited), 0o644)
	}
	dev := startDevServer(t, bin, work, "-config", "dashembed.toml", "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0")
	if len(dev.Dashboards) != 1 || dev.Dashboards[0].UUID == "" {
		t.Fatalf("ready JSON dashboards %+v", dev.Dashboards)
	}
	uuid := dev.Dashboards[0].UUID
	localhostApp(t, appLn, dev, uuid, "globex")

	ctx := newTab(t)
	navigate(t, ctx, appOrigin+"/")
	waitTop(t, ctx, `window.embedded`)
	var state string
	eval(t, ctx, `window.embedded`, &state)
	if state != "ok" {
		t.Fatalf("embedDashboard on %s: %s", appOrigin, state)
	}
	// localhost and 127.0.0.1 are different sites, so the dashboard runs in
	// a frame process of its own: attach to it as a target.
	frame := frameTarget(t, ctx, dev.BIURL+"/embedded/"+uuid)
	waitTop(t, frame, `document.body.dataset.lastToken`)
	var tok string
	eval(t, frame, `document.body.dataset.lastToken`, &tok)
	if got := rlsClauses(decodeClaims(t, tok)); len(got) != 1 || got[0] != "tenant = 'globex'" {
		t.Errorf("the dashboard's token has RLS %q", got)
	}
	waitTop(t, frame, `document.querySelector("#chart-1") && document.querySelector("#chart-1").dataset.status === "ready"`)
	var text string
	eval(t, frame, `document.querySelector("#chart-1 .body").textContent`, &text)
	want := starterTotal(t, filepath.Join(work, "sales.csv"), "globex")
	if digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, text); digits != strconv.Itoa(want) {
		t.Errorf("the total chart shows %q, want globex's %d", text, want)
	}
}

// frameTarget waits for an out-of-process iframe whose URL starts with
// prefix and returns a context attached to it.
func frameTarget(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		targets, err := chromedp.Targets(ctx)
		if err == nil {
			for _, ti := range targets {
				if ti.Type == "iframe" && strings.HasPrefix(ti.URL, prefix) {
					fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID))
					t.Cleanup(cancel)
					return fctx
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no frame target with URL %s (last error: %v)", prefix, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
