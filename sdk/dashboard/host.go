package dashboard

// Arg is one argument of a method call, as the browser edge holds it.
type Arg interface {
	// Value is the argument copied into a jsvalue tree, for checking.
	Value() any
	// Raw is the browser's own value, carried to the page untouched.
	Raw() any
}

// Host is what the methods need from the browser edge besides the embed.
type Host interface {
	// Report calls fn, a host app's function, with arg; what it throws is
	// the app's business and never reaches the SDK.
	Report(fn any, arg any)
	// Await calls fn, a host app's function, with arg and reports what its
	// result (or Promise) settles to, or why it failed.
	Await(fn any, arg any, done func(value any, err error))
	// Soon runs f once the JavaScript call under way has returned.
	Soon(f func())
	// Warn writes a warning to the console.
	Warn(line string)
	// Released is called when the dashboard is unmounted: the edge drops
	// its handle to it and lets the memory it held go.
	Released()
}
