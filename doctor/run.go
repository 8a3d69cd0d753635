package doctor

import (
	"context"
	"net/http"
	"time"

	"github.com/dashembed/dashembed/guesttoken"
)

// run is the state one doctor run builds up, check after check.
type run struct {
	opts   Options
	auth   authMode
	client *http.Client
	rec    *recorder
	bi     origin
	host   origin

	// Set by the checks, for the ones after them.
	reached   bool
	minter    guesttoken.Minter // the client as it must be set up (CSRF or not)
	mintState mintState
	authValue string // the Authorization the client sent
	token     string
	claims    tokenClaims
	uuid      string
	dashKey   string // how the API names the dashboard: its id when known
}

// check is one step of the run.
type check struct {
	id, name string
	run      func(*run, context.Context, *Result)
}

// checks are the steps, in the order a host app and a browser meet them.
var checks = []check{
	{"reach", "BI host answers", (*run).checkReach},
	{"login", "Service login and CSRF", (*run).checkLogin},
	{"token", "Guest token", (*run).checkToken},
	{"config", "Embedded config and allowed domains", (*run).checkConfig},
	{"page", "Embedded page and framing headers", (*run).checkPage},
	{"api", "Guest token works on the API", (*run).checkAPI},
	{"assets", "SDK assets", (*run).checkAssets},
	{"browser", "Embed in a real browser", (*run).checkBrowser},
}

// Run checks the deployment that opts describe and reports every check. An
// error means the options are wrong (an *OptionError); problems with the
// deployment are in the Report.
func Run(ctx context.Context, opts Options) (Report, error) {
	opts, mode, err := opts.validate()
	if err != nil {
		return Report{}, err
	}
	r := &run{opts: opts, auth: mode}
	r.bi, _ = parseOrigin(originPart(opts.BI))
	r.host, _ = parseOrigin(opts.HostOrigin)
	base := http.DefaultTransport
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		client = &c
		if c.Transport != nil {
			base = c.Transport
		}
	}
	r.rec = &recorder{base: base, now: opts.Now}
	client.Transport = r.rec
	r.client = client

	var rep Report
	for i, c := range checks {
		res := Result{Step: i + 1, ID: c.id, Name: c.name, Status: StatusOK}
		c.run(r, ctx, &res)
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

// since is the time elapsed from start on the run's clock, rounded for
// reading.
func (r *run) since(start time.Time) time.Duration {
	return r.opts.Now().Sub(start).Round(time.Millisecond)
}
