package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dashembed/dashembed/devserver"
)

// writeBanner prints what a developer needs to start: where to go, the
// credentials, the signing secret and every allowed origin.
func writeBanner(w io.Writer, info readyInfo, sdk sdkBuild, faults devserver.Faults, cfg devserver.Config) {
	fmt.Fprintf(w, "dashembed dev server\n")
	if info.Config != "" {
		fmt.Fprintf(w, "  configuration:         %s\n", info.Config)
	}
	fmt.Fprintf(w, "  host app (open this):  %s/\n", info.AppURL)
	fmt.Fprintf(w, "  mock BI host:          %s/\n", info.BIURL)
	for _, d := range info.Dashboards {
		if d.EmbedURL != "" {
			fmt.Fprintf(w, "  embedded dashboard:    %s   (%s, id %d, uuid %s)\n", d.EmbedURL, d.Title, d.ID, d.UUID)
		}
	}
	fmt.Fprintf(w, "  allowed origins:       %s\n", strings.Join(info.AllowedOrigins, " "))
	for _, d := range info.Dashboards {
		var extra []string
		for _, o := range d.AllowedOrigins {
			if !slices.Contains(info.AllowedOrigins, o) {
				extra = append(extra, o)
			}
		}
		if len(extra) > 0 {
			fmt.Fprintf(w, "    and for dashboard %d: %s\n", d.ID, strings.Join(extra, " "))
		}
	}
	fmt.Fprintf(w, "  SDK bundle:            %s  (from %s)\n", info.SDKURL, sdk.from)
	fmt.Fprintf(w, "  event feed:            %s\n", info.EventsURL)
	for _, a := range info.Accounts {
		grant := "may mint guest tokens"
		if !a.GrantGuestToken {
			grant = "may NOT mint guest tokens"
		}
		key := ""
		if a.APIKey != "" {
			key = "   (API key " + a.APIKey + ")"
		}
		fmt.Fprintf(w, "  service account:       %s / %s, %s%s\n", a.Username, a.Password, grant, key)
	}
	for _, k := range info.PresetTokens {
		fmt.Fprintf(w, "  Preset API token:      %s / %s\n", k.Name, k.Secret)
	}
	for _, k := range info.LuzmoKeys {
		fmt.Fprintf(w, "  Luzmo key/token:       %s / %s\n", k.Name, k.Secret)
	}
	g := info.GuestToken
	fmt.Fprintf(w, "  guest token secret:    %s   (%s, aud %q, header %s)\n", g.Secret, g.Algorithm, g.Audience, g.Header)
	fmt.Fprintf(w, "  guest token lifetime:  %s   strict CSRF: %v   framing: %s\n", cfg.TokenLifetime, cfg.StrictCSRF, cfg.Framing)
	if s := faults.String(); s != "" {
		fmt.Fprintf(w, "  faults:                %s\n", s)
	}
	if len(cfg.Datasets) > 0 {
		var names []string
		for _, d := range cfg.Datasets {
			names = append(names, fmt.Sprintf("%d %s", d.ID, d.Table))
		}
		fmt.Fprintf(w, "  datasets:              %s\n", strings.Join(names, ", "))
	}
}
