package contract

// Lifecycle event names a host app can subscribe to with on(name, fn).
const (
	// EventReady: a live embedded document holds a guest token.
	EventReady = "ready"
	// EventTokenRefreshed: a later token was delivered; detail {exp} (the
	// token's exp claim as issued, in seconds) and {expiresAtMs} (its expiry by
	// the browser's clock, in milliseconds).
	EventTokenRefreshed = "tokenRefreshed"
	// EventTokenError: fetching or using a token failed; detail {error, code, retryInMs}.
	EventTokenError = "tokenError"
	// EventNavigated: the iframe loaded a new document; detail {url, embedded}.
	EventNavigated = "navigated"
	// EventResize: the iframe was resized to the dashboard; detail {width, height}.
	EventResize = "resize"
	// EventError: something the host app should show; detail {code, message}.
	EventError = "error"
)

// Events lists every event name, in the order the documentation gives them.
var Events = []string{EventReady, EventTokenRefreshed, EventTokenError, EventNavigated, EventResize, EventError}

// KnownEvent reports whether name is an event the SDK emits.
func KnownEvent(name string) bool {
	for _, e := range Events {
		if e == name {
			return true
		}
	}
	return false
}
