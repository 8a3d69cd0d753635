package httpkit

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// Router dispatches on method and path segments. It exists instead of
// http.ServeMux patterns because Superset's paths overlap in ways ServeMux
// refuses (/dashboard/permalink/{key} against /dashboard/{id}/charts), and
// because a wrong method or path must answer JSON, not ServeMux's plain text.
// The zero value is ready to use.
type Router struct {
	routes []route
}

// route is one method + pattern. Segments written {name} capture one path
// segment, {name...} captures the rest of the path.
type route struct {
	method   string
	segs     []string
	literals int // more literal segments win over captures
	h        http.HandlerFunc
}

// Handle registers h for method and pattern. A trailing slash in pattern is
// not significant: Superset mixes both styles and clients get them wrong.
func (rt *Router) Handle(method, pattern string, h http.HandlerFunc) {
	segs := splitPath(pattern)
	lit := 0
	for _, s := range segs {
		if !strings.HasPrefix(s, "{") {
			lit++
		}
	}
	rt.routes = append(rt.routes, route{method: method, segs: segs, literals: lit, h: h})
	sort.SliceStable(rt.routes, func(i, j int) bool { return rt.routes[i].literals > rt.routes[j].literals })
}

// splitPath turns "/a/b/" into ["a", "b"].
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match reports whether path segments fit the route, recording captures.
func (ro *route) match(segs []string, vals map[string]string) bool {
	for i, s := range ro.segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "...}") {
			if i >= len(segs) {
				return false
			}
			vals[s[1:len(s)-4]] = strings.Join(segs[i:], "/")
			return true
		}
		if i >= len(segs) {
			return false
		}
		if strings.HasPrefix(s, "{") {
			vals[s[1:len(s)-1]] = segs[i]
			continue
		}
		if s != segs[i] {
			return false
		}
	}
	return len(segs) == len(ro.segs)
}

// ServeHTTP picks the most specific matching route. When a path matches but
// the method does not, it answers 405 JSON with an Allow header.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := splitPath(r.URL.Path)
	var allowed []string
	for i := range rt.routes {
		ro := &rt.routes[i]
		vals := map[string]string{}
		if !ro.match(segs, vals) {
			continue
		}
		if ro.method != r.Method && !(ro.method == http.MethodGet && r.Method == http.MethodHead) {
			allowed = append(allowed, ro.method)
			continue
		}
		for k, v := range vals {
			r.SetPathValue(k, v)
		}
		ro.h(w, r)
		return
	}
	if len(allowed) > 0 {
		sort.Strings(allowed)
		allowed = slices.Compact(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		apijson.WriteError(w, http.StatusMethodNotAllowed,
			"Method "+r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+strings.Join(allowed, ", "))
		return
	}
	apijson.WriteError(w, http.StatusNotFound, "Not found: "+r.URL.Path)
}
