package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// checkPage is step 5: the embedded page, fetched as the browser fetches it
// for an iframe in the host app, answers 200 and lets the app frame it.
func (r *run) checkPage(ctx context.Context, res *Result) {
	if !r.reached {
		res.skip("the BI host did not answer (step 1)")
		return
	}
	if r.uuid == "" {
		res.skip("the embedded UUID is unknown: the embedded config could not be read (step 4) and -dashboard is not a UUID")
		return
	}
	path := "/embedded/" + r.uuid
	a, err := r.do(ctx, http.MethodGet, r.opts.BI+path, http.Header{
		"Referer":        {r.host.String() + "/"},
		"Accept":         {"text/html"},
		"Sec-Fetch-Dest": {"iframe"},
	}, nil)
	if err != nil {
		res.fail("GET "+path+": "+err.Error(), "")
		return
	}
	switch {
	case a.status == http.StatusForbidden:
		res.fail(fmt.Sprintf("GET %s with Referer %s/ answered 403", path, r.host),
			"Add "+r.host.String()+" to the dashboard's allowed domains, and keep the iframe's referrerPolicy sending at least the origin (not \"no-referrer\"): Superset checks the Referer against the list.")
	case a.status == http.StatusNotFound:
		res.fail("GET "+path+" answered 404",
			"Set FEATURE_FLAGS = {\"EMBEDDED_SUPERSET\": True} (it serves /embedded/) and use the UUID shown in ⋯ → Embed dashboard.")
	case a.status >= 300 && a.status < 400:
		res.fail(fmt.Sprintf("GET %s redirects (%d) to %s", path, a.status, a.header.Get("Location")),
			"The embedded page must answer itself: a redirect to a login page means the embedded route is not enabled (FEATURE_FLAGS[\"EMBEDDED_SUPERSET\"]) or a proxy intercepts it.")
	case a.status != http.StatusOK:
		res.fail(fmt.Sprintf("GET %s answered %d: %s", path, a.status, short(a.body)), "")
	default:
		res.ok(fmt.Sprintf("GET %s with Referer %s/ answered 200", path, r.host))
	}
	r.judgeFraming(a.header, res)
}

// judgeFraming reads X-Frame-Options and CSP frame-ancestors as a browser
// does: a frame-ancestors directive, when present, replaces X-Frame-Options.
func (r *run) judgeFraming(h http.Header, res *Result) {
	talisman := "In TALISMAN_CONFIG, list the app in content_security_policy: {\"frame-ancestors\": [\"'self'\", \"" + r.host.String() + "\"]}"
	lists := frameAncestorLists(h)
	xfo := h.Get("X-Frame-Options")
	if len(lists) == 0 {
		if xfo != "" {
			res.fail("X-Frame-Options: "+xfo+" (and no CSP frame-ancestors): browsers refuse to show the page in a frame on another origin",
				talisman+" (browsers then ignore X-Frame-Options), or set TALISMAN_ENABLED = False behind a proxy that sends that frame-ancestors; a proxy must not add X-Frame-Options either.")
			return
		}
		res.ok("no X-Frame-Options and no CSP frame-ancestors: any site may frame the page (allowed domains still gate it)")
		return
	}
	for _, list := range lists {
		if !listAllows(list, r.host, r.bi) {
			res.fail("Content-Security-Policy frame-ancestors "+strings.Join(list, " ")+" leaves out "+r.host.String(),
				talisman+".")
			return
		}
	}
	saw := "CSP frame-ancestors admits " + r.host.String()
	if xfo != "" {
		saw += " (X-Frame-Options: " + xfo + " is ignored where frame-ancestors is present)"
	}
	res.ok(saw)
}
