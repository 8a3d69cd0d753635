package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// buildBinary builds the command as a user would, with extra go build
// flags.
func buildBinary(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dashembed-dev")
	args := append(append([]string{"build"}, flags...), "-o", bin, ".")
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSIGTERMStopsWithinASecond runs the real binary, holds an event-feed
// websocket and a plain keep-alive connection open, sends SIGTERM and
// expects a clean exit (status 0) within a second.
func TestSIGTERMStopsWithinASecond(t *testing.T) {
	bin := buildBinary(t)
	ready := filepath.Join(t.TempDir(), "ready.json")
	cmd := exec.Command(bin, "-dist", fakeDist(t), "-bi-addr", "127.0.0.1:0", "-app-addr", "127.0.0.1:0", "-ready-json", ready)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var info readyInfo
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(ready); err == nil && json.Unmarshal(b, &info) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no ready JSON after 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	ws, _, err := websocket.DefaultDialer.Dial(info.EventsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	resp, err := http.Get(info.AppURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("took %v to stop", d)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("still running 3 s after SIGTERM")
	}
}
