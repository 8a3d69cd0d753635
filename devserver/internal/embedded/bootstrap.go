package embedded

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/dashboards"
)

// bootstrap is the data-bootstrap attribute of Superset's embedded page: the
// part its frontend reads to know the dashboard and, in recent versions,
// the allowed domains it checks postMessage origins against.
func bootstrap(d dashboards.Dashboard) string {
	b, _ := json.Marshal(map[string]any{"embedded": map[string]any{
		"dashboard_id":    strconv.Itoa(d.ID),
		"allowed_domains": append([]string{}, d.AllowedDomains...),
	}})
	return string(b)
}

// resourceDestinations are the Sec-Fetch-Dest values of a page loaded as
// something other than a document (an <img>, a <script>, ...), which
// Superset's embedded view refuses with 403: the page only works framed.
var resourceDestinations = map[string]bool{
	"image": true, "script": true, "style": true, "font": true, "audio": true, "video": true, "track": true,
	"manifest": true, "worker": true, "sharedworker": true, "serviceworker": true, "xslt": true, "report": true,
	"audioworklet": true, "paintworklet": true,
}

// refuseResourceLoad answers 403 to a page requested as a resource, and
// reports whether it did.
func refuseResourceLoad(w http.ResponseWriter, r *http.Request) bool {
	dest := r.Header.Get("Sec-Fetch-Dest")
	if !resourceDestinations[dest] {
		return false
	}
	ErrorPage(w, r, http.StatusForbidden, "This page cannot be loaded as "+dest,
		"The embedded dashboard was requested with Sec-Fetch-Dest: "+dest+".", "Frame it with an iframe.")
	return true
}
