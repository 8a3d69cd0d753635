package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// modulePath is the module whose sources hold the SDK.
const modulePath = "github.com/dashembed/dashembed"

// sdkBuild is the SDK directory the BI host serves, where it came from, and
// what to remove at exit.
type sdkBuild struct {
	dir, from string
	cleanup   func()
}

// findSDK picks the SDK to serve: -dist when given, else ./dist when it
// holds a build (a clone after `make dist`), else a build made now from
// the module's own sources with the Go toolchain — which is how a binary
// from `go install` gets one, the built files not being in the module.
func findSDK(ctx context.Context, dist string, stderr io.Writer) (sdkBuild, error) {
	none := func() {}
	if dist != "" {
		if _, err := os.Stat(filepath.Join(dist, "dashembed.js")); err != nil {
			return sdkBuild{}, fmt.Errorf("%s is missing: build the SDK first with `make dist` in a clone of the repository (or leave out -dist to let dashembed-dev build it)",
				filepath.Join(dist, "dashembed.js"))
		}
		return sdkBuild{dir: dist, from: dist, cleanup: none}, nil
	}
	if _, err := os.Stat(filepath.Join("dist", "dashembed.js")); err == nil {
		return sdkBuild{dir: "dist", from: "dist", cleanup: none}, nil
	}
	return buildSDK(ctx, stderr)
}

// buildSDK builds the SDK from the sources this binary was compiled from:
// a clone's, or the module cache's for `go install`. A build of a released
// or committed version is kept in the user cache; a build of modified
// sources is made afresh in a temporary directory each time.
func buildSDK(ctx context.Context, stderr io.Writer) (sdkBuild, error) {
	src, err := sourceDir()
	if err != nil {
		return sdkBuild{}, err
	}
	if _, err := exec.LookPath("go"); err != nil {
		return sdkBuild{}, fmt.Errorf("no built SDK to serve and no Go toolchain to build one: install Go (1.26 or later), or pass -dist DIR with a build made by `make dist` in a clone of the repository")
	}
	version := moduleVersion()
	if version != "" {
		if cache, err := os.UserCacheDir(); err == nil {
			dir := filepath.Join(cache, "dashembed", "sdk-"+version)
			if _, err := os.Stat(filepath.Join(dir, "dashembed.js")); err == nil {
				return sdkBuild{dir: dir, from: dir, cleanup: func() {}}, nil
			}
			return buildInto(ctx, src, dir, stderr)
		}
	}
	tmp, err := os.MkdirTemp("", "dashembed-sdk-")
	if err != nil {
		return sdkBuild{}, err
	}
	b, err := buildInto(ctx, src, filepath.Join(tmp, "dist"), stderr)
	if err != nil {
		os.RemoveAll(tmp)
		return sdkBuild{}, err
	}
	b.cleanup = func() { os.RemoveAll(tmp) }
	return b, nil
}

// buildInto runs the SDK's build program in the source module, writing to
// a fresh directory renamed into place at the end, so that two servers
// starting at once never serve each other's half-written files.
func buildInto(ctx context.Context, src, dir string, stderr io.Writer) (sdkBuild, error) {
	fmt.Fprintf(stderr, "dashembed-dev: building the SDK from %s (once per version; about a minute the first time)\n", src)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return sdkBuild{}, err
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), ".build-")
	if err != nil {
		return sdkBuild{}, err
	}
	defer os.RemoveAll(work)
	cmd := exec.CommandContext(ctx, "go", "run", "./wasm/cmd/dist", "-out", work)
	cmd.Dir = src
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return sdkBuild{}, fmt.Errorf("building the SDK in %s failed (%v):\n%s\npass -dist DIR with a built SDK instead", src, err, out.String())
	}
	if err := os.Rename(work, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "dashembed.js")); statErr != nil {
			return sdkBuild{}, err
		}
		// Another server finished the same build first: use its files.
	}
	return sdkBuild{dir: dir, from: dir + " (built from " + src + ")", cleanup: func() {}}, nil
}

// sourceDir is the module directory this binary was compiled from, found
// through the path the compiler recorded for this file: a clone for `go
// build`, the module cache for `go install`. A binary built with -trimpath
// has no such path.
func sourceDir() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	return sourceDirOf(file)
}

// sourceDirOf finds the module directory above a source file's recorded
// path; -trimpath records a module-relative path, which leads nowhere.
func sourceDirOf(file string) (string, error) {
	if filepath.IsAbs(file) {
		dir := filepath.Dir(file)
		for {
			if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
				if bytes.Contains(b, []byte("module "+modulePath+"\n")) {
					return dir, nil
				}
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", errors.New("no built SDK to serve, and the sources this binary was built from are gone, so it cannot build one: pass -dist DIR with a build made by `make dist` in a clone of the repository (or reinstall without -trimpath)")
}

// moduleVersion is the version this binary was built at, when it names
// the sources exactly (a release or a clean commit); "" otherwise.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" || strings.HasSuffix(v, "+dirty") {
		return ""
	}
	return v
}
