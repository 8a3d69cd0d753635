// Package iframe plans the iframe an embed mounts: from validated
// options.Params to its src, sandbox, allow, title and referrer policy, as
// upstream's SDK builds them, byte for byte.
//
//	options.Params ──New──▶ Plan ──the browser edge──▶ <iframe>
//
// The plan is data: the browser edge mounts it, and the JavaScript fast
// path's plan (wasm/loader/plan.js) must be equal to it to be adopted.
package iframe

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dashembed/dashembed/sdk/options"
)

// BaseSandbox is what the upstream SDK always grants the dashboard:
// same-origin and scripts for the page and postMessage to work,
// presentation for fullscreen charts, downloads for chart images, forms,
// and popups for CSV exports.
var BaseSandbox = []string{
	"allow-same-origin", "allow-scripts", "allow-presentation",
	"allow-downloads", "allow-forms", "allow-popups",
}

// BaseAllow is the permissions policy the dashboard always gets, for its
// fullscreen and copy-to-clipboard buttons.
var BaseAllow = []string{"fullscreen", "clipboard-write"}

// Flag is one bit of upstream's uiConfig number.
type Flag struct {
	// Option is the dashboardUiConfig key that sets it.
	Option string
	// Bit is its value in the sum.
	Bit int
}

// UIFlags are the dashboardUiConfig switches summed into uiConfig.
var UIFlags = []Flag{
	{"hideTitle", 1}, {"hideTab", 2}, {"hideChartControls", 8}, {"emitDataMasks", 16}, {"showRowLimitWarning", 32},
}

// Plan is the iframe to mount.
type Plan struct {
	// Src is {Domain}/embedded/{id}?{query}, without "?" when the query is empty.
	Src string
	// Origin is the postMessage target origin of the dashboard's documents.
	Origin string
	// Sandbox lists the sandbox tokens: upstream's six, then the extras.
	Sandbox []string
	// Allow is the allow attribute: "fullscreen; clipboard-write" and the extras.
	Allow string
	// Title is the iframe's title.
	Title string
	// ReferrerPolicy is the iframe's referrerPolicy, "" for the browser's default.
	ReferrerPolicy string
}

// New plans the iframe for p.
func New(p options.Params) Plan {
	return Plan{
		Src:            src(p),
		Origin:         p.Origin,
		Sandbox:        appendNew(slices.Clone(BaseSandbox), p.SandboxExtras),
		Allow:          strings.Join(appendNew(slices.Clone(BaseAllow), p.AllowExtras), "; "),
		Title:          p.IframeTitle,
		ReferrerPolicy: p.ReferrerPolicy,
	}
}

// Equal reports whether two plans mount the same iframe.
func (a Plan) Equal(b Plan) bool {
	return a.Src == b.Src && a.Origin == b.Origin && slices.Equal(a.Sandbox, b.Sandbox) &&
		a.Allow == b.Allow && a.Title == b.Title && a.ReferrerPolicy == b.ReferrerPolicy
}

// src is the iframe's URL, with the query left out when there are no
// parameters, as upstream does.
func src(p options.Params) string {
	u := p.Domain + "/embedded/" + encodeURIComponent(p.ID)
	if q := query(p.UIConfig); len(q) > 0 {
		u += "?" + encodeQuery(q)
	}
	return u
}

// query lists the iframe URL's parameters in upstream's order: uiConfig,
// then the filter switches, then urlParams, a later entry replacing an
// earlier one in place; JavaScript then enumerates array-index keys first.
func query(u options.UIConfig) []options.Param {
	var q []options.Param
	if u.Set {
		q = setParam(q, "uiConfig", strconv.Itoa(uiConfigNumber(u)))
	}
	if u.FiltersVisible != nil {
		q = setParam(q, "show_filters", strconv.FormatBool(*u.FiltersVisible))
	}
	if u.FiltersExpanded != nil {
		q = setParam(q, "expand_filters", strconv.FormatBool(*u.FiltersExpanded))
	}
	for _, kv := range u.URLParams {
		q = setParam(q, kv.Key, kv.Value)
	}
	options.SortStable(q, func(a, b options.Param) int { return options.CompareKeys(a.Key, b.Key) })
	return q
}

// uiConfigNumber sums the flags that are on into upstream's uiConfig number.
func uiConfigNumber(u options.UIConfig) int {
	on := map[string]bool{"hideTitle": u.HideTitle, "hideTab": u.HideTab, "hideChartControls": u.HideChartControls,
		"emitDataMasks": u.EmitDataMasks, "showRowLimitWarning": u.ShowRowLimitWarning}
	n := 0
	for _, f := range UIFlags {
		if on[f.Option] {
			n += f.Bit
		}
	}
	return n
}

// appendNew appends the items of more that list does not hold yet.
func appendNew(list, more []string) []string {
	for _, s := range more {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
