package dashboard

import (
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/options"
)

// methodResolvePermalinkURL is the method the page calls to learn the URL
// of a permalink.
const methodResolvePermalinkURL = "resolvePermalinkUrl"

// Open validates the argument of embedDashboard, copied into a jsvalue
// tree, and prepares its embed; the caller registers it, then calls Start.
// ready is called once, as embed.New says. Options that fail validation
// leave nothing on the page: what the fast path mounted for them goes.
func Open(v any, b embed.Browser, host Host, ready func(error)) (*embed.Embed, error) {
	p, err := options.Parse(v)
	if err != nil {
		if _, ok := b.EarlyPlan(); ok {
			b.DiscardEarly("embedDashboard's options were refused")
		}
		return nil, err
	}
	e := embed.New(p, b, ready)
	e.Define(methodResolvePermalinkURL, permalinkResolver(p.ResolvePermalinkURL, host))
	return e, nil
}

// permalinkResolver answers the page's resolvePermalinkUrl {key} with the
// host app's callback, or with null (the page then uses its own URL) when
// there is none or it fails, as upstream does.
func permalinkResolver(fn *jsvalue.Handle, host Host) embed.HostMethod {
	return func(args any, reply func(any, error)) {
		if reply == nil {
			return
		}
		if fn == nil {
			reply(jsvalue.Null{}, nil)
			return
		}
		host.Await(fn.Ref, args, func(v any, err error) {
			if err != nil {
				host.Warn("dashembed: resolvePermalinkUrl threw: " + err.Error())
				reply(jsvalue.Null{}, nil)
				return
			}
			reply(v, nil)
		})
	}
}
