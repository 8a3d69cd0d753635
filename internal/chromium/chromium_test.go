package chromium

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// onPath fakes exec.LookPath for a machine holding the given executables:
// names are found in /usr/bin, paths as they are.
func onPath(found ...string) func(string) (string, error) {
	return func(name string) (string, error) {
		for _, f := range found {
			if f == name && strings.HasPrefix(name, "/") {
				return name, nil
			}
			if f == name {
				return "/usr/bin/" + name, nil
			}
		}
		return "", fs.ErrNotExist
	}
}

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		path      []string
		want      string
	}{
		{"the environment wins", "/opt/chrome/chrome", []string{"/opt/chrome/chrome", "chromium"}, "/opt/chrome/chrome"},
		{"Debian's name first", "", []string{"google-chrome", "chromium"}, "/usr/bin/chromium"},
		{"then Ubuntu's", "", []string{"chrome", "chromium-browser"}, "/usr/bin/chromium-browser"},
		{"Google's builds last", "", []string{"chrome"}, "/usr/bin/chrome"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := find(tc.env, onPath(tc.path...))
			if err != nil || got != tc.want {
				t.Fatalf("find = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestFindMissingSaysHowToInstall(t *testing.T) {
	// Nothing on PATH.
	_, err := find("", onPath())
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "apt-get install -y chromium") {
		t.Errorf("error %v; want ErrNotFound saying how to install Chromium", err)
	}
	// $CHROMIUM names a browser that is not there: no quiet fall-back to
	// the one on PATH.
	_, err = find("/nowhere/chromium", onPath("chromium"))
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "apt-get install -y chromium") ||
		!strings.Contains(err.Error(), "/nowhere/chromium") {
		t.Errorf("error %v; want ErrNotFound naming $CHROMIUM's path and saying how to install Chromium", err)
	}
}

func TestFlags(t *testing.T) {
	base := map[string]any{
		"headless": "new", "no-sandbox": true, "disable-gpu": true,
		"no-first-run": true, "no-default-browser-check": true, "user-data-dir": "/tmp/p",
		"disable-background-networking": true, "disable-component-update": true,
		"disable-sync": true, "disable-quic": true,
		"disable-features": "Translate,MediaRouter,OptimizationHints",
	}
	throttling := []string{
		"disable-background-timer-throttling",
		"disable-backgrounding-occluded-windows",
		"disable-renderer-backgrounding",
	}

	// By default hidden tabs are throttled as in a user's browser, so that
	// tests can check the SDK there.
	got := flags(config{}, "/tmp/p")
	if len(got) != len(base) {
		t.Errorf("default flags %v; want exactly %v", got, base)
	}
	for name, v := range base {
		if got[name] != v {
			t.Errorf("default flag %s = %v, want %v", name, got[name], v)
		}
	}

	var c config
	NoThrottling()(&c)
	got = flags(c, "/tmp/p")
	if len(got) != len(base)+len(throttling) {
		t.Errorf("NoThrottling flags %v; want the defaults and %v", got, throttling)
	}
	for _, name := range throttling {
		if got[name] != true {
			t.Errorf("NoThrottling: flag %s = %v, want true", name, got[name])
		}
	}
}

func TestExecPath(t *testing.T) {
	var c config
	ExecPath("/opt/chromium")(&c)
	if c.execPath != "/opt/chromium" {
		t.Fatalf("execPath %q", c.execPath)
	}
}
