package devserver

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/randid"
)

// starterConfig is the commented configuration `dashembed-dev init` writes;
// {{uuid}} and {{secret}} are filled with fresh random values.
//
//go:embed starter/dashembed.toml
var starterConfig string

// starterCSV is the sample data the starter configuration loads.
//
//go:embed starter/sales.csv
var starterCSV string

// Names of the files WriteStarter writes.
const (
	StarterConfigName = "dashembed.toml"
	StarterCSVName    = "sales.csv"
)

// WriteStarter writes a commented starter configuration (dashembed.toml) and
// the sample data it loads (sales.csv) into dir, with a fresh embedded uuid
// and signing secret, and returns the configuration's path. It refuses to
// overwrite either file unless force is set.
func WriteStarter(dir string, force bool) (string, error) {
	files := map[string]string{
		StarterConfigName: strings.NewReplacer("{{uuid}}", randid.UUID(), "{{secret}}", randid.Hex(24)).Replace(starterConfig),
		StarterCSVName:    starterCSV,
	}
	if !force {
		for name := range files {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return "", fmt.Errorf("%s already exists: edit it, or pass -force to replace it", filepath.Join(dir, name))
			} else if !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, StarterConfigName), nil
}
