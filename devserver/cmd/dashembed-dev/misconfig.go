package main

import (
	"flag"
	"strings"

	"github.com/dashembed/dashembed/devserver"
)

// misconfigFlags defines the flags that reproduce misconfigured
// deployments, for seeing (and diagnosing with dashembed-doctor) what a
// wrongly configured deployment does. The returned function applies them.
func misconfigFlags(fl *flag.FlagSet) func(*devserver.Config) {
	frameAncestors := fl.String("frame-ancestors", "", "CSP frame-ancestors sources replacing the allowed domains, e.g. \"'self'\"")
	allowed := fl.String("allowed-domains", "", "comma-separated allowed domains replacing the host app's and examples' origins")
	noGrant := fl.Bool("no-grant", false, "the service account lacks the grant-guest-token permission")
	verifyAud := fl.String("verify-audience", "", "audience the API accepts, unlike the one tokens are minted with")
	skew := fl.Duration("clock-skew", 0, "move the BI host's clock by this much")
	noData := fl.Bool("guest-role-no-data", false, "guests get a role without datasource access")
	wasmType := fl.String("wasm-type", "", "Content-Type for .wasm assets instead of application/wasm")
	noCORS := fl.Bool("static-no-cors", false, "no Access-Control-Allow-Origin on the SDK's assets")
	noCompress := fl.Bool("static-no-compression", false, "serve the SDK's assets uncompressed")
	return func(cfg *devserver.Config) {
		cfg.FrameAncestors, cfg.VerifyAudience, cfg.ClockSkew = *frameAncestors, *verifyAud, *skew
		cfg.GuestRoleWithoutData, cfg.WasmContentType = *noData, *wasmType
		cfg.StaticNoCORS, cfg.StaticNoCompression = *noCORS, *noCompress
		if *noGrant && len(cfg.Accounts) > 0 {
			cfg.Accounts[0].CanGrantGuestToken = false
		}
		if *allowed != "" && len(cfg.Dashboards) > 0 {
			cfg.Dashboards[0].AllowedDomains = strings.Split(*allowed, ",")
		}
	}
}
