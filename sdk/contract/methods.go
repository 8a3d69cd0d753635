package contract

// Kind says how a dashboard method behaves in JavaScript.
type Kind string

const (
	// KindPromise methods return a Promise, as upstream's do; errors reject it.
	KindPromise Kind = "promise"
	// KindVoid methods return undefined; a bad argument throws.
	KindVoid Kind = "void"
	// KindSubscribe is on(event, fn), which returns the function that
	// unsubscribes (it calls the internal method off).
	KindSubscribe Kind = "subscribe"
	// KindInternal methods are called by the shell, never by the app.
	KindInternal Kind = "internal"
)

// Method is one method of the object embedDashboard resolves to.
type Method struct {
	// Name is the method's JavaScript name.
	Name string
	// Kind is how it returns.
	Kind Kind
	// Bare marks a page method called with no arguments: there is nothing
	// to check, so the loader may carry the call to the dashboard's page
	// itself, before the wasm is up, exactly as Go would send it.
	Bare bool
}

// Dashboard methods, by name.
const (
	MethodGetScrollSize         = "getScrollSize"
	MethodUnmount               = "unmount"
	MethodGetDashboardPermalink = "getDashboardPermalink"
	MethodGetActiveTabs         = "getActiveTabs"
	MethodGetDataMask           = "getDataMask"
	MethodGetChartStates        = "getChartStates"
	MethodGetChartDataPayloads  = "getChartDataPayloads"
	MethodObserveDataMask       = "observeDataMask"
	MethodSetThemeConfig        = "setThemeConfig"
	MethodSetThemeMode          = "setThemeMode"
	MethodSetDataMask           = "setDataMask"
	MethodOn                    = "on"
	MethodOff                   = "off"
)

// Methods lists the dashboard's methods: upstream's, in upstream's order,
// then ours.
var Methods = []Method{
	{MethodGetScrollSize, KindPromise, true},
	{MethodUnmount, KindVoid, false},
	{MethodGetDashboardPermalink, KindPromise, false},
	{MethodGetActiveTabs, KindPromise, true},
	{MethodObserveDataMask, KindVoid, false},
	{MethodGetDataMask, KindPromise, true},
	{MethodGetChartStates, KindPromise, true},
	{MethodGetChartDataPayloads, KindPromise, false},
	{MethodSetThemeConfig, KindPromise, false},
	{MethodSetThemeMode, KindVoid, false},
	{MethodSetDataMask, KindPromise, false},
	{MethodOn, KindSubscribe, false},
	{MethodOff, KindInternal, false},
}

// IsBare reports whether method is a page method called with no arguments
// (Method.Bare).
func IsBare(method string) bool {
	for _, m := range Methods {
		if m.Name == method {
			return m.Bare
		}
	}
	return false
}

// Globals are the names a <script> tag defines, each the same API:
// Superset's, Preset's and CalabiIQ's, and ours.
var Globals = []string{"supersetEmbeddedSdk", "presetSdk", "calabi", "dashembed"}
