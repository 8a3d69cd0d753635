import './wasm_exec.js';
import { errorCodes, wasmFile } from 'dashembed:spec';
import { sdkError } from './errors.js';
import { createGlue } from './glue.js';

// The global the Go program reads its glue from when it starts.
const BOOT_KEY = '__dashembed_glue__';

// boot downloads, compiles and starts the SDK's wasm and resolves with the
// glue once the Go program is serving. The download starts at once, so that
// it overlaps everything else the page does. Compiling (streamed from the
// download) and starting the Go program wait for gate(): compiling megabytes
// of wasm takes a core for tens of milliseconds, which on a small machine
// would slow the dashboard that the fast path is loading right then.
export function boot(wasmURL, gate = () => undefined) {
  const go = new globalThis.Go();
  const glue = createGlue();
  const url = String(wasmURL);
  const compiled = instantiate(url, go.importObject, gate).catch((err) => {
    throw isLoadError(err) ? err : loadError(url, describe(err), err);
  });
  return compiled.then((instance) => {
    globalThis[BOOT_KEY] = glue;
    // run() returns when the program exits, which only a fatal error does.
    go.run(instance).then(() => { glue.exited = true; });
    return glue.ready;
  });
}

function instantiate(url, imports, gate) {
  const download = () => fetch(url, { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw loadError(url, `HTTP ${res.status}`);
    return res;
  }).then((res) => Promise.resolve(gate()).then(() => res));
  const fromBytes = () => download()
    .then((res) => res.arrayBuffer())
    .then((bytes) => WebAssembly.instantiate(bytes, imports))
    .then((r) => r.instance);
  if (typeof WebAssembly.instantiateStreaming !== 'function') return fromBytes();
  // Streaming compiles while the bytes arrive; it needs the server to send
  // Content-Type: application/wasm, so fall back to bytes when it refuses.
  return download()
    .then((res) => WebAssembly.instantiateStreaming(res, imports))
    .then((r) => r.instance, (err) => {
      if (isLoadError(err)) throw err;
      return fromBytes();
    });
}

const isLoadError = (err) => Boolean(err) && err.code === errorCodes.wasmLoadFailed;

// loadError names the URL tried and what usually fixes it: a page cannot
// tell a missing file from a blocked one, so the message lists both.
function loadError(url, why, cause) {
  return sdkError(errorCodes.wasmLoadFailed,
    `dashembed: could not load the SDK's wasm from ${url} (${why}). Serve ${wasmFile} next to the ` +
    'SDK\'s script as Content-Type: application/wasm, or set globalThis.DASHEMBED_WASM_URL to its ' +
    'URL; a Content-Security-Policy must allow \'wasm-unsafe-eval\'.', cause);
}

function describe(err) {
  return err instanceof Error ? err.message || err.name : String(err);
}
