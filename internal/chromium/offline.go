package chromium

import (
	"context"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// emulateByRuleBefore150 is Network.emulateNetworkConditionsByRule as
// Chromium before 150 takes it: offline is a parameter of its own.
var emulateByRuleBefore150 = cdp.Command[emulateByRuleBefore150Params, cdp.Empty]{Method: network.CommandEmulateNetworkConditionsByRule}

type emulateByRuleBefore150Params struct {
	Offline                  bool                  `json:"offline"`
	MatchedNetworkConditions []*network.Conditions `json:"matchedNetworkConditions"`
}

// SetOffline takes tg's network, and navigator.onLine with its online and
// offline events, off or back on, in the form the running Chromium takes:
// since 150, offline is part of the conditions; before, beside them. The
// requests are cut before the page hears `offline`, and let through before
// it hears `online`, so that a page fetching on `online` finds the
// network back, as it would in a browser.
func SetOffline(ctx context.Context, tg *chromedp.Target, offline bool) error {
	if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	conditions := []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}}
	_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: conditions,
	})
	if err != nil {
		_, err = cdp.Call(ctx, tg, emulateByRuleBefore150, emulateByRuleBefore150Params{Offline: offline, MatchedNetworkConditions: conditions})
	}
	if err != nil {
		return err
	}
	_, err = cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
	})
	return err
}
