package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceDirIsThisModule(t *testing.T) {
	dir, err := sourceDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "wasm", "cmd", "dist")); err != nil {
		t.Errorf("source dir %s has no SDK build program: %v", dir, err)
	}
}

func TestTrimmedPathAsksForDist(t *testing.T) {
	// What a -trimpath build records for this file.
	_, err := sourceDirOf(modulePath + "/devserver/cmd/dashembed-dev/sdk.go")
	if err == nil || !strings.Contains(err.Error(), "pass -dist DIR") || !strings.Contains(err.Error(), "-trimpath") {
		t.Fatalf("err %v", err)
	}
	// A path outside any copy of the module fails the same way.
	if _, err := sourceDirOf(filepath.Join(t.TempDir(), "sdk.go")); err == nil {
		t.Fatal("a directory without the module was taken for its sources")
	}
}

func TestNoToolchainSaysHowToGetAnSDK(t *testing.T) {
	// Run where there is no ./dist, with no go on PATH.
	t.Chdir(t.TempDir())
	t.Setenv("PATH", "")
	_, err := findSDK(context.Background(), "", io.Discard)
	if err == nil || !strings.Contains(err.Error(), "install Go") || !strings.Contains(err.Error(), "-dist DIR") {
		t.Fatalf("err %v", err)
	}
}

func TestDistInWorkingDirectoryIsUsed(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.Mkdir("dist", 0o755)
	os.WriteFile(filepath.Join("dist", "dashembed.js"), []byte("x"), 0o644)
	b, err := findSDK(context.Background(), "", io.Discard)
	if err != nil || b.dir != "dist" {
		t.Fatalf("%+v %v", b, err)
	}
}
