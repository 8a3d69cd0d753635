package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMissingDist(t *testing.T) {
	err := run(context.Background(), []string{"-dist", t.TempDir()}, &bytes.Buffer{}, nil)
	if err == nil || !strings.Contains(err.Error(), "make dist") {
		t.Fatalf("err %v", err)
	}
}

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dashembed.js"), []byte("x"), 0o644)
	for _, args := range [][]string{{"-nope"}, {"-dist", dir, "-faults", "explode"}, {"-dist", dir, "extra"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}, nil); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestServes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dashembed.js"), []byte("window.dashembed = {};"), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-dist", dir, "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0", "-token-lifetime", "1m"}, &out,
			func(bi, app string) {
				defer cancel()
				for _, u := range []string{bi + "/static/assets/embedded.js", app + "/"} {
					resp, err := http.Get(u)
					if err != nil || resp.StatusCode != 200 {
						t.Errorf("%s: %v %v", u, err, resp)
						continue
					}
					resp.Body.Close()
				}
				resp, err := http.Post(app+"/api/guest-token", "", nil)
				if err != nil || resp.StatusCode != 200 {
					t.Errorf("guest token via the host app: %v %v", err, resp)
				} else {
					resp.Body.Close()
				}
			})
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"host app (open this):  http://127.0.0.1:", "admin / admin", "guest token lifetime:  1m0s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
}
