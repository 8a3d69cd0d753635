import { boot } from './boot.js';
import { earlyStart } from './early.js';

// createSDK returns the public API for a wasm found at wasmURL: a drop-in
// for @superset-ui/embedded-sdk's embedDashboard. In a browser the wasm
// starts loading now; embedDashboard called before it is ready waits.
export function createSDK(wasmURL) {
  let ready;
  let live; // the glue, once the Go program serves
  const start = () => {
    if (!ready) ready = boot(wasmURL).then((glue) => (live = glue));
    return ready;
  };
  if (typeof document !== 'undefined') {
    // Start early, but leave reporting a failed load to embedDashboard.
    start().catch(() => {});
  }
  function embedDashboard(params) {
    // Before Go is up, start the iframe and the token in JavaScript.
    const early = live ? undefined : earlyStart(params);
    return start().then((glue) => {
      if (glue.exited) {
        if (early) early.abort();
        throw new Error('dashembed: the SDK stopped after a fatal error; reload the page');
      }
      return glue.embed(params, early).then((handle) => dashboard(glue, handle));
    }, (err) => {
      if (early) early.abort();
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
