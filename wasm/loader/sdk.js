import { boot } from './boot.js';

// createSDK returns the public API for a wasm found at wasmURL: a drop-in
// for @superset-ui/embedded-sdk's embedDashboard. In a browser the wasm
// starts loading now; embedDashboard called before it is ready waits.
export function createSDK(wasmURL) {
  let ready;
  const start = () => {
    if (!ready) ready = boot(wasmURL);
    return ready;
  };
  if (typeof document !== 'undefined') {
    // Start early, but leave reporting a failed load to embedDashboard.
    start().catch(() => {});
  }
  function embedDashboard(params) {
    return start().then((glue) => {
      if (glue.exited) throw new Error('dashembed: the SDK stopped after a fatal error; reload the page');
      return glue.embed(params).then((handle) => dashboard(glue, handle));
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
