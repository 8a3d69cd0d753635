package httpkit

import (
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// ServeFile serves name from fsys when it is one of allowed; anything else
// is a 404 JSON error, so a page's route can never read other embedded files.
func ServeFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string, allowed []string) {
	if !slices.Contains(allowed, name) {
		apijson.WriteError(w, http.StatusNotFound, "No such file: "+name)
		return
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		apijson.WriteError(w, http.StatusNotFound, "No such file: "+name)
		return
	}
	switch {
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case strings.HasSuffix(name, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	// The files change only with the binary, but the dev server is restarted
	// often: make browsers revalidate rather than keep stale copies.
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
