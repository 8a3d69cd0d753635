package contract

// Error codes: the `code` of an `error` event, of a `tokenError` event and
// of every Error the SDK rejects or throws with.
const (
	// CodeInvalidOption: an option or a method argument is wrong; the
	// Error's `option` names it.
	CodeInvalidOption = "INVALID_OPTION"
	// CodeHandshakeTimeout: the iframe's document never answered the
	// handshake (framing refused, a 403 from allowed domains, a wrong domain).
	CodeHandshakeTimeout = "HANDSHAKE_TIMEOUT"
	// CodeTokenInvalid: fetchGuestToken gave something that is not a usable
	// guest token (not a string, not a JWT, already expired).
	CodeTokenInvalid = "TOKEN_INVALID"
	// CodeTokenFetchFailed: fetchGuestToken threw, rejected or timed out.
	CodeTokenFetchFailed = "TOKEN_FETCH_FAILED"
	// CodePortClosed: a call was in flight when its document went away
	// (the iframe navigated, or the dashboard was unmounted).
	CodePortClosed = "PORT_CLOSED"
	// CodeRemoteError: the dashboard's page answered a call with an error.
	CodeRemoteError = "REMOTE_ERROR"
	// CodeUnmounted: the dashboard was unmounted before it was ready.
	CodeUnmounted = "UNMOUNTED"
	// CodeWasmLoadFailed: the SDK's wasm could not be fetched or compiled
	// (a 404, a wrong MIME type, a CSP without 'wasm-unsafe-eval', offline).
	CodeWasmLoadFailed = "WASM_LOAD_FAILED"
	// CodeNoBrowser: embedDashboard was called where there is no DOM (in
	// Node, during server-side rendering).
	CodeNoBrowser = "NO_BROWSER"
	// CodeInternal: a bug in the SDK; the message says where.
	CodeInternal = "INTERNAL"
)

// Codes lists every error code.
var Codes = []string{
	CodeInvalidOption, CodeHandshakeTimeout, CodeTokenInvalid, CodeTokenFetchFailed,
	CodePortClosed, CodeRemoteError, CodeUnmounted, CodeWasmLoadFailed, CodeNoBrowser, CodeInternal,
}

// Error names: the `name` of the Errors the SDK hands to JavaScript.
const (
	// NameError is the name of every SDK Error but PortClosedError.
	NameError = "DashembedError"
	// NamePortClosed is upstream's name for a call cut off by navigation or
	// unmount; apps written for upstream test for it.
	NamePortClosed = "PortClosedError"
)
