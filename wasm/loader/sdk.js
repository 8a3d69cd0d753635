import { boot } from './boot.js';
import { earlyStart } from './early.js';

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
    // Before Go is up, start the iframe and the token in JavaScript.
    const fast = live ? undefined : earlyStart(params);
    if (fast) early.push(fast);
    return start().then((glue) => {
      if (glue.exited) {
        if (fast) fast.abort();
        throw new Error('dashembed: the SDK stopped after a fatal error; reload the page');
      }
      return glue.embed(params, fast).then((handle) => dashboard(glue, handle));
    }, (err) => {
      if (fast) fast.abort();
      throw err;
    });
  }
  return { embedDashboard };
}

// dashboard is the object embedDashboard resolves to. Each method is a thin
// call into Go. Methods that upstream makes asynchronous get a Promise back;
// the synchronous ones get their value, or an Error to throw.
function dashboard(glue, handle) {
  const sync = (method) => (...args) => {
    const value = glue.call(handle, method, args);
    if (value instanceof Error) throw value;
    return value;
  };
  const later = (method) => (...args) => {
    try {
      return glue.call(handle, method, args);
    } catch (err) {
      return Promise.reject(err);
    }
  };
  const on = sync('on');
  const off = sync('off');
  return {
    getScrollSize: later('getScrollSize'),
    unmount: () => { sync('unmount')(); },
    getDashboardPermalink: later('getDashboardPermalink'),
    getActiveTabs: later('getActiveTabs'),
    getDataMask: later('getDataMask'),
    getChartStates: later('getChartStates'),
    getChartDataPayloads: later('getChartDataPayloads'),
    observeDataMask: (callback) => { sync('observeDataMask')(callback); },
    setThemeConfig: later('setThemeConfig'),
    setThemeMode: (mode) => { sync('setThemeMode')(mode); },
    setDataMask: later('setDataMask'),
    // on subscribes to a lifecycle event and returns the function that ends
    // the subscription.
    on: (event, listener) => {
      const id = on(event, listener);
      return () => { off(id); };
    },
  };
}
