import './wasm_exec.js';
import { createGlue } from './glue.js';

// The global the Go program reads its glue from when it starts.
const BOOT_KEY = '__dashembed_glue__';

// boot downloads, compiles and starts the SDK's wasm and resolves with the
// glue once the Go program is serving. The download and the streaming
// compilation start at once so that they overlap everything else the page
// does; the Go program itself starts when gate() (called once compiled)
// settles, so that its start-up does not hold up more urgent work on the
// main thread.
export function boot(wasmURL, gate = () => undefined) {
  const go = new globalThis.Go();
  const glue = createGlue();
  const compiled = instantiate(String(wasmURL), go.importObject);
  return compiled.then((instance) => Promise.resolve(gate()).then(() => instance)).then((instance) => {
    globalThis[BOOT_KEY] = glue;
    // run() returns when the program exits, which only a fatal error does.
    go.run(instance).then(() => { glue.exited = true; });
    return glue.ready;
  });
}

function instantiate(url, imports) {
  const download = () => fetch(url, { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw new Error(`dashembed: could not load ${url}: HTTP ${res.status}`);
    return res;
  });
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
