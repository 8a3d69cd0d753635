package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// uuidPattern recognises an embedded UUID given as -dashboard.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// embeddedConfig is Superset's answer about a dashboard's embedding.
type embeddedConfig struct {
	Result struct {
		UUID           string   `json:"uuid"`
		AllowedDomains []string `json:"allowed_domains"`
		DashboardID    any      `json:"dashboard_id"` // a string in Superset, a number elsewhere
	} `json:"result"`
}

// checkConfig is step 4: the dashboard's embedded configuration exists, and
// its allowed domains let the host origin in. It only reads.
func (r *run) checkConfig(ctx context.Context, res *Result) {
	r.dashKey = r.opts.Dashboard
	if uuidPattern.MatchString(r.opts.Dashboard) {
		r.uuid = strings.ToLower(r.opts.Dashboard)
	}
	if r.authValue == "" {
		res.skip("no credential reached the API (step 2)")
		return
	}
	paths := []string{"/api/v1/dashboard/" + url.PathEscape(r.opts.Dashboard) + "/embedded"}
	if r.uuid != "" {
		paths = append(paths, "/api/v1/embedded_dashboard/"+r.uuid)
	}
	var a answer
	var err error
	for _, p := range paths {
		if a, err = r.do(ctx, http.MethodGet, r.opts.BI+p, bearer(r.authValue), nil); err != nil || a.status != http.StatusNotFound {
			break
		}
	}
	switch {
	case err != nil:
		res.fail("reading the embedded config: "+err.Error(), "")
		return
	case a.status == http.StatusNotFound:
		res.fail(fmt.Sprintf("GET %s answered 404: %s", paths[0], short(a.body)),
			"Enable embedding: FEATURE_FLAGS = {\"EMBEDDED_SUPERSET\": True}, then the dashboard's ⋯ menu → Embed dashboard → Enable embedding, listing "+r.host.String()+" as an allowed domain.")
		return
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		res.warn(fmt.Sprintf("GET %s answered %d: this credential may not read the embedded config", paths[0], a.status),
			"Give the service account \"can read on Dashboard\" to let the doctor check allowed domains, or check them by hand in ⋯ → Embed dashboard.")
		return
	case a.status != http.StatusOK:
		res.fail(fmt.Sprintf("GET %s answered %d: %s", paths[0], a.status, short(a.body)), "")
		return
	}
	var cfg embeddedConfig
	if err := json.Unmarshal(a.body, &cfg); err != nil || cfg.Result.UUID == "" {
		res.fail("the embedded config is not Superset's {result: {uuid, allowed_domains}}: "+short(a.body), "")
		return
	}
	r.uuid = strings.ToLower(cfg.Result.UUID)
	if id := cfg.Result.DashboardID; id != nil {
		// The embedded page asks the API by id, which every version
		// accepts; not every version accepts the UUID there.
		r.dashKey = fmt.Sprint(id)
	}
	res.ok(fmt.Sprintf("embedding enabled, UUID %s, allowed domains %q", r.uuid, cfg.Result.AllowedDomains))
	r.judgeAllowed(cfg.Result.AllowedDomains, res)
}

// judgeAllowed compares each allowed domain with the host origin on scheme,
// host and port, as Superset does with the Referer.
func (r *run) judgeAllowed(domains []string, res *Result) {
	want := r.host.String()
	if len(domains) == 0 {
		res.warn("the allowed domains are empty: any site may embed this dashboard",
			"List the host app's origin in the dashboard's allowed domains (⋯ → Embed dashboard): "+want+".")
		return
	}
	matched := false
	var near []string
	for _, d := range domains {
		verdict, isMatch := judgeEntry(d, r.host)
		if isMatch {
			matched = true
		}
		switch {
		case verdict == "":
		case isMatch:
			res.warn(fmt.Sprintf("allowed domain %q %s", d, verdict), fmt.Sprintf("Write the entry as the bare origin %s.", want))
		default:
			near = append(near, fmt.Sprintf("%q (%s)", d, verdict))
		}
	}
	if matched {
		res.ok("the host origin " + want + " is allowed")
		return
	}
	saw := "the host origin " + want + " is not in the allowed domains"
	if len(near) > 0 {
		saw += "; near misses: " + strings.Join(near, ", ")
	}
	res.fail(saw, "Add "+want+" to the dashboard's allowed domains (⋯ → Embed dashboard, or PUT /api/v1/dashboard/<id>/embedded {\"allowed_domains\": [...]}). Superset compares scheme, host and port with the iframe's Referer; the embedded page answers 403 otherwise.")
}

// judgeEntry compares one allowed-domain entry with the host origin. It
// returns whether the entry admits the origin, and what is off about it
// (empty when it is a clean origin, or when it is unrelated).
func judgeEntry(entry string, host origin) (verdict string, match bool) {
	e := strings.TrimSpace(entry)
	if !strings.Contains(e, "://") {
		hostport, _, _ := strings.Cut(e, "/")
		h, p, err := net.SplitHostPort(hostport)
		if err != nil {
			h, p = hostport, ""
		}
		if strings.EqualFold(h, host.host) && (p == "" || p == host.port) {
			return "has no scheme: CalabiIQ accepts it, stock Superset compares full origins and refuses it", true
		}
		return "", false
	}
	u, err := url.Parse(e)
	if err != nil || u.Host == "" {
		return "is not a URL", false
	}
	o := originOf(u)
	extra := ""
	if u.Path != "" || u.RawQuery != "" {
		extra = "has a trailing slash or path; an origin has none"
	}
	switch {
	case o == host:
		return extra, true
	case o.host != host.host:
		return "", false
	case o.scheme != host.scheme:
		return "scheme " + o.scheme + " differs", false
	default:
		return "port " + o.port + " differs from " + host.port, false
	}
}
