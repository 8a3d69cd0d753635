import goRuntime from './wasm_exec.js';
import { errorCodes, loadFailures } from 'dashembed:spec';
import { sdkError } from './errors.js';
import { createGlue } from './glue.js';

// The name under which the Go program finds its glue when it starts.
const BOOT_KEY = '__dashembed_glue__';

// Go's wasm_exec.js defines fs, process, path and Go on its global object
// when they are missing, and the Go runtime reads fs and process (and the
// SDK its glue) through that same object: syscall/js's js.Global(). So
// the runtime runs against a shadow of the page's global object that
// holds these names itself and reads everything else (document,
// navigator, MessageChannel, …) from the page. The page gets no stray
// globals, and a page that has its own `process` (a bundler's polyfill)
// cannot confuse the Go runtime.
const SHADOWED = ['fs', 'process', 'path', 'Go', BOOT_KEY];

function shadowGlobal() {
  const own = {};
  for (const name of SHADOWED) own[name] = undefined;
  return new Proxy(own, {
    get: (t, k) => (k in t ? t[k] : globalThis[k]),
    has: (t, k) => k in t || k in globalThis,
    set: (t, k, v) => { t[k] = v; return true; },
    deleteProperty: (t, k) => { t[k] = undefined; return true; },
  });
}

// boot fetches, compiles and starts the SDK's wasm from the first of
// sources that the server has (a 404 moves on to the next), and resolves
// with the glue once the Go program serves. (When to call it is sdk.js's
// business.) Every way this can fail rejects with a WASM_LOAD_FAILED Error whose
// `reason` and message (from Go, wasm/spec) say what to fix.
export function boot(sources) {
  const global = shadowGlobal();
  const Go = goRuntime(global);
  const go = new Go();
  const glue = createGlue(global);
  let url = sources[sources.length - 1];
  return load(sources, go.importObject, (u) => { url = u; }).then((instance) => {
    global[BOOT_KEY] = glue;
    // run() settles when the program exits, which only a fatal error does;
    // exiting before it serves would otherwise leave glue.ready pending.
    const ended = Promise.resolve().then(() => go.run(instance)).then(() => { glue.exited = true; }, (err) => {
      glue.exited = true;
      throw err;
    });
    return Promise.race([glue.ready, ended.then(() => {
      throw failure('compile', url, { detail: 'the program exited as it started' });
    }, (err) => {
      throw failure('compile', url, { detail: describe(err) }, err);
    })]);
  });
}

// cannotRun returns the Error for a page where no wasm can run at all (no
// WebAssembly, or a Content-Security-Policy without 'wasm-unsafe-eval'),
// so that embedDashboard can say so at once, before mounting anything.
export function cannotRun(sources) {
  if (typeof WebAssembly !== 'object') {
    return failure('compile', sources[0], { detail: 'this browser has no WebAssembly' });
  }
  if (cspForbidsWasm()) return failure('csp', sources[0]);
  return undefined;
}

async function load(sources, imports, trying) {
  const blocked = cannotRun(sources);
  if (blocked) throw blocked;
  let res;
  let url;
  for (let i = 0; i < sources.length; i++) {
    url = String(sources[i]);
    trying(url);
    const last = i + 1 === sources.length;
    // A cross-origin 404 without CORS headers fails like a network error:
    // either way, the next source may be there.
    res = await fetch(url, { credentials: 'same-origin' }).catch((err) => {
      if (last) throw failure(networkReason(url), url, {}, err);
      return undefined;
    });
    if (!res) continue;
    if (res.ok) break;
    if (res.status !== 404 && res.status !== 410) throw failure('http', url, { status: res.status });
    if (last) throw failure('not-found', url, { status: res.status });
  }
  // What arrived says what it is: gzip (the build's pre-compressed wasm,
  // for servers that compress nothing) or the wasm itself (as it is, or
  // decoded by the browser from the server's own compression). Wrapping it
  // in a Response of our own makes a wrong Content-Type harmless.
  const { head, stream } = await peek(res.body).catch((err) => {
    throw failure(networkReason(url), url, {}, err);
  });
  let body;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (typeof DecompressionStream !== 'function') {
      throw failure('compile', url, { detail: 'this browser cannot decompress gzip (no DecompressionStream)' });
    }
    body = stream.pipeThrough(new DecompressionStream('gzip'));
  } else if (head[0] === 0 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d) {
    body = stream;
  } else {
    stream.cancel().catch(() => {});
    throw failure('not-wasm', url, { type: res.headers.get('content-type') || 'no Content-Type' });
  }
  try {
    const wasm = new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
    const result = typeof WebAssembly.instantiateStreaming === 'function'
      ? await WebAssembly.instantiateStreaming(wasm, imports)
      : await WebAssembly.instantiate(await wasm.arrayBuffer(), imports);
    return result.instance;
  } catch (err) {
    throw failure('compile', url, { detail: describe(err) }, err);
  }
}

// The smallest valid module: only a Content-Security-Policy without
// 'wasm-unsafe-eval' makes compiling it fail, and finding that out first
// saves downloading what could not run.
const EMPTY_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

function cspForbidsWasm() {
  try {
    new WebAssembly.Module(EMPTY_MODULE);
    return false;
  } catch (_) {
    return true;
  }
}

// A fetch that throws got no response at all: offline, a cross-origin
// response without CORS headers, a connect-src, or the network.
function networkReason(url) {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'offline';
  if (originOf(url) === globalThis.location.origin) return 'network';
  return 'cors';
}

// peek reads the first bytes of body and returns them with a stream that
// yields all of it again.
async function peek(body) {
  if (!body) return { head: new Uint8Array(0), stream: new ReadableStream({ start: (c) => c.close() }) };
  const reader = body.getReader();
  const chunks = [];
  let n = 0;
  let done = false;
  while (n < 4 && !done) {
    const r = await reader.read();
    done = r.done;
    if (r.value) {
      chunks.push(r.value);
      n += r.value.length;
    }
  }
  const head = new Uint8Array(n);
  chunks.reduce((at, c) => { head.set(c, at); return at + c.length; }, 0);
  const stream = new ReadableStream({
    start(c) {
      if (n > 0) c.enqueue(head);
      if (done) c.close();
    },
    pull: (c) => reader.read().then((r) => (r.done ? c.close() : c.enqueue(r.value))),
    cancel: (why) => reader.cancel(why),
  });
  return { head, stream };
}

const originOf = (url) => {
  try {
    return new URL(url, globalThis.location.href).origin;
  } catch (_) {
    return '';
  }
};

// failure builds the Error for reason, with Go's message for it.
function failure(reason, url, vars, cause) {
  const fill = { url, origin: originOf(url), status: '', type: '', detail: '', ...vars };
  const message = loadFailures[reason].replace(/\{(\w+)\}/g, (_, k) => String(fill[k]));
  const err = sdkError(errorCodes.wasmLoadFailed, message, cause);
  err.reason = reason;
  err.url = url;
  return err;
}

function describe(err) {
  return err instanceof Error ? err.message || err.name : String(err);
}
