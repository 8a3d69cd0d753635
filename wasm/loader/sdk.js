import { errorCodes, methods, unsubscribeMethod } from 'dashembed:spec';
import { boot } from './boot.js';
import { earlyStart } from './early.js';
import { sdkError } from './errors.js';

// createSDK returns the public API for a wasm found at wasmURL: a drop-in
// for @superset-ui/embedded-sdk's embedDashboard. In a browser the wasm
// starts loading now; embedDashboard called before it is ready waits.
// How long the Go program's start may wait for the fast path (see gate).
const MAX_HOLD_MS = 1500;

export function createSDK(wasmURL) {
  let ready;
  let live; // the glue, once the Go program serves
  const early = []; // fast-path embeds whose first token is still on its way
  // gate lets the fast path finish first: the dashboard's page shares this
  // page's main thread (same-site iframes do), and Go's start-up there
  // would delay the first token it is about to receive.
  const gate = () => Promise.race([
    Promise.all(early.map((e) => e.settled)),
    new Promise((resolve) => setTimeout(resolve, MAX_HOLD_MS)),
  ]);
  const start = () => {
    if (!ready) {
      ready = boot(wasmURL, gate).then((glue) => {
        early.length = 0; // Go owns them now; keep no iframe alive here
        return (live = glue);
      });
    }
    return ready;
  };
  if (typeof document !== 'undefined') {
    // Start early, but leave reporting a failed load to embedDashboard.
    start().catch(() => {});
  }
  function embedDashboard(params) {
    if (typeof document === 'undefined') {
      return Promise.reject(sdkError(errorCodes.noBrowser,
        'dashembed: embedDashboard needs a page with a document to mount the dashboard in; ' +
        'call it in the browser, not in Node or during server-side rendering'));
    }
    // Before Go is up, start the iframe and the token in JavaScript.
    const fast = live ? undefined : earlyStart(params);
    if (fast) early.push(fast);
    return start().then((glue) => {
      if (glue.exited) {
        if (fast) fast.abort();
        throw sdkError(errorCodes.internal, 'dashembed: the SDK stopped after a fatal error; reload the page');
      }
      return glue.embed(params, fast).then((handle) => dashboard(glue, handle));
    }, (err) => {
      if (fast) fast.abort();
      throw err;
    });
  }
  return { embedDashboard };
}

// dashboard is the object embedDashboard resolves to: one function per
// method of the contract, each a thin call into Go. Methods that upstream
// makes asynchronous get a Promise back; the synchronous ones get their
// value, or an Error to throw. Internal methods are the shell's own. (A
// test in wasm/spec fails when Go adds a kind this does not know.)
function dashboard(glue, handle) {
  const call = (name, args) => glue.call(handle, name, args);
  const sync = (name, args) => {
    const value = call(name, args);
    if (value instanceof Error) throw value;
    return value;
  };
  const kinds = {
    promise: (name) => (...args) => {
      try {
        return call(name, args);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    void: (name) => (...args) => { sync(name, args); },
    // subscribe returns the function that ends the subscription.
    subscribe: (name) => (...args) => {
      const id = sync(name, args);
      return () => { sync(unsubscribeMethod, [id]); };
    },
  };
  const api = {};
  for (const { name, kind } of methods) {
    if (kind !== 'internal') api[name] = kinds[kind](name);
  }
  return api;
}
