import './wasm_exec.js';
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
  const compiled = instantiate(String(wasmURL), go.importObject, gate);
  return compiled.then((instance) => {
    globalThis[BOOT_KEY] = glue;
    // run() returns when the program exits, which only a fatal error does.
    go.run(instance).then(() => { glue.exited = true; });
    return glue.ready;
  });
}

function instantiate(url, imports, gate) {
  const download = () => fetch(url, { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw new Error(`dashembed: could not load ${url}: HTTP ${res.status}`);
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
      if (err && /^dashembed:/.test(err.message)) throw err;
      return fromBytes();
    });
}
