package spec

// Why the wasm could not be loaded: the `reason` of a WASM_LOAD_FAILED
// Error. The loader tells them apart before Go is up, so what each one
// tells the developer to fix is written here, in Go, and carried to it.
const (
	// LoadCSP: the page's Content-Security-Policy forbids compiling wasm.
	LoadCSP = "csp"
	// LoadNotFound: the server answered 404 (or 410) for every URL tried.
	LoadNotFound = "not-found"
	// LoadHTTP: the server answered with another error status.
	LoadHTTP = "http"
	// LoadNotWasm: the server answered 200 with something that is neither
	// the wasm nor its gzip (an HTML fallback page, say).
	LoadNotWasm = "not-wasm"
	// LoadCORS: a cross-origin fetch failed: the server sends no
	// Access-Control-Allow-Origin, or the network failed.
	LoadCORS = "cors"
	// LoadOffline: the browser is offline.
	LoadOffline = "offline"
	// LoadNetwork: a same-origin fetch failed.
	LoadNetwork = "network"
	// LoadCompile: the bytes arrived but did not compile or start.
	LoadCompile = "compile"
)

// LoadFailures maps each reason to the message of its Error. The loader
// fills in {url} (the URL tried), {origin} (its origin), {status} (the
// HTTP status) and {type} (the response's Content-Type).
var LoadFailures = map[string]string{
	LoadCSP: "dashembed: this page's Content-Security-Policy does not allow WebAssembly, so the SDK cannot start; " +
		"add 'wasm-unsafe-eval' to its script-src (or default-src) directive.",
	LoadNotFound: "dashembed: the SDK's wasm is not at {url} (HTTP {status}). Serve the SDK's wasm files next to its script, " +
		"or set globalThis.DASHEMBED_WASM_URL to where it is before the SDK loads; a bundler that does not copy " +
		"new URL('./dashembed.wasm', import.meta.url) assets (esbuild) needs dashembed.wasm copied next to the bundle.",
	LoadHTTP: "dashembed: the server answered HTTP {status} for the SDK's wasm at {url}; fix the server, or set " +
		"globalThis.DASHEMBED_WASM_URL to a copy that is served.",
	LoadNotWasm: "dashembed: {url} is not the SDK's wasm (the server sent {type}; a missing file answered with an HTML " +
		"page looks like this). Serve dashembed.wasm there, or set " +
		"globalThis.DASHEMBED_WASM_URL to where it is.",
	LoadCORS: "dashembed: could not fetch the SDK's wasm from {url}. It is on another origin ({origin}), which must " +
		"answer with Access-Control-Allow-Origin (stock Superset's /static/ sends none): add that header, or serve " +
		"the wasm from this page's origin and set globalThis.DASHEMBED_WASM_URL to it before the SDK loads. " +
		"A missing file answered without that header, and a Content-Security-Policy connect-src that leaves " +
		"that origin out, fail the same way.",
	LoadOffline: "dashembed: could not fetch the SDK's wasm from {url}: the browser is offline. Call embedDashboard " +
		"again once it is back online.",
	LoadNetwork: "dashembed: could not fetch the SDK's wasm from {url}: the request failed (the network, or a " +
		"Content-Security-Policy connect-src that leaves it out).",
	LoadCompile: "dashembed: the SDK's wasm from {url} did not compile or start ({detail}); it is damaged or from " +
		"another version of the SDK: serve the wasm files of the same build as the script.",
}

// LoadReasons lists every reason, in a fixed order.
var LoadReasons = []string{LoadCSP, LoadNotFound, LoadHTTP, LoadNotWasm, LoadCORS, LoadOffline, LoadNetwork, LoadCompile}
