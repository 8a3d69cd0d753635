package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The third-party JavaScript the tests run against (the real switchboard,
// the official embed SDKs, esbuild and Vite) is pinned by npm/package.json
// and npm/package-lock.json, and installed with `npm ci` once per test
// binary by the first test that needs it.
var npmInstall struct {
	once sync.Once
	dir  string
	err  error
}

// requireNPM installs the fixtures in e2e/npm and returns that directory.
// A machine without npm, or an install that fails, fails the test: these
// tests are part of the suite, never optional.
func requireNPM(t *testing.T) string {
	t.Helper()
	npmInstall.once.Do(func() {
		npmInstall.dir, npmInstall.err = installNPMFixtures()
	})
	if npmInstall.err != nil {
		t.Fatalf("e2e: installing the npm fixtures: %v", npmInstall.err)
	}
	return npmInstall.dir
}

func installNPMFixtures() (string, error) {
	dir, err := filepath.Abs("npm")
	if err != nil {
		return "", err
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", errors.New("npm is not on PATH: install Node.js 20.19+ with npm (Debian: apt-get install -y nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err != nil {
		return "", fmt.Errorf("%s has no package-lock.json: %w", dir, err)
	}
	// Two test binaries (go test ./... runs packages in parallel, and
	// several people share this tree) must not run npm ci into the same
	// node_modules at once.
	unlock, err := lockFile(dir)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := runCommand(dir, 4*time.Minute, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"); err != nil {
		return "", fmt.Errorf("npm ci in %s: %w", dir, err)
	}
	return dir, nil
}

// lockFile takes an exclusive lock named after dir, outside the tree.
func lockFile(dir string) (unlock func(), err error) {
	sum := sha256.Sum256([]byte(dir))
	name := filepath.Join(os.TempDir(), "dashembed-e2e-npm-"+hex.EncodeToString(sum[:8])+".lock")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// runCommand runs a program in dir and returns its combined output; the
// error carries that output, which is where npm and the bundlers explain
// themselves.
func runCommand(dir string, timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "NO_UPDATE_NOTIFIER=1", "npm_config_update_notifier=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// command runs a program for a test, failing it when the program fails.
func command(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out, err := runCommand(dir, 3*time.Minute, name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// nodeBin is the path of a command installed in e2e/npm/node_modules/.bin.
func nodeBin(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(requireNPM(t), "node_modules", ".bin", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("e2e: %s is not installed in e2e/npm: %v", name, err)
	}
	return p
}
