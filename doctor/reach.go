package doctor

import (
	"context"
	"fmt"
	"net/http"
)

// checkReach is step 1: the BI host answers at all, and an app on the host
// origin may frame it (an https page cannot frame an http dashboard).
func (r *run) checkReach(ctx context.Context, res *Result) {
	start := r.opts.Now()
	a, err := r.do(ctx, http.MethodGet, r.opts.BI+"/health", nil, nil)
	if err != nil {
		res.fail(fmt.Sprintf("GET %s/health: %v", r.opts.BI, err),
			"Check -bi: the BI host must be reachable from the host app's backend at this address (DNS, firewall, proxy, TLS certificate).")
		return
	}
	r.reached = true
	// Any HTTP answer will do: /health is Superset's, other hosts may 404.
	res.ok(fmt.Sprintf("GET %s/health answered %d in %s", r.opts.BI, a.status, r.since(start)))
	tls := "Serve the BI host over https (a TLS proxy in front of Superset, with ENABLE_PROXY_FIX = True so it builds https URLs), and use that URL as supersetDomain."
	switch {
	case r.host.scheme == "https" && !r.bi.trustworthy():
		res.fail(fmt.Sprintf("the app is served over https (%s) but the BI host over http (%s): browsers block an http frame in an https page",
			r.host, r.bi), tls)
		return
	case r.host.scheme == "https" && r.bi.scheme == "http":
		// Loopback http may be framed, but the default referrer policy
		// drops the Referer on the way down from https.
		res.warn(fmt.Sprintf("the app is served over https (%s) and the BI host over http on loopback (%s): the browser frames it but sends no Referer, so a non-empty allowed-domains list answers 403",
			r.host, r.bi), tls+" Or, for local development, serve the app over http too.")
		return
	}
	res.ok(fmt.Sprintf("schemes are compatible: app %s, BI host %s", r.host.scheme, r.bi.scheme))
}
