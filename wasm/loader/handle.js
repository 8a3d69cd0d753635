import { errorCodes, errorEvent, methods, portClosedErrorName, unmountMethod, unsubscribeMethod } from 'dashembed:spec';
import { sdkError } from './errors.js';

// dashboard is the object embedDashboard resolves to: one function per
// method of the contract, each a thin call into Go, but for bare calls
// while Go has routed a port for them. Methods that upstream makes
// asynchronous get a Promise back; the synchronous ones get their value,
// or an Error to throw. Internal methods are the shell's own. (A test in
// wasm/spec fails when Go adds a kind this does not know.)
export function dashboard(glue, handle) {
  const call = (name, args) => glue.call(handle, name, args);
  // A bare call goes straight to the port Go routed for this embed, if
  // any (glue.route): its round trip then never enters Go.
  const routed = (name) => bare.has(name) && glue.routes.get(handle);
  const sync = (name, args) => {
    const value = call(name, args);
    if (value instanceof Error) throw value;
    return value;
  };
  return build({
    promise: (name) => (...args) => {
      try {
        const port = routed(name);
        if (port) return port.requestBare(name);
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
  });
}

// bare are the methods Go lists as called with no arguments.
const bare = new Set(methods.filter((m) => m.bare).map((m) => m.name));

function build(kinds) {
  const api = {};
  for (const { name, kind } of methods) {
    if (kind !== 'internal') api[name] = kinds[kind](name);
  }
  return api;
}

// queuedDashboard is the same object for an embed the fast path (early)
// brought up while the wasm still loads: the dashboard's document holds its
// token, so embedDashboard resolves, but Go has yet to adopt it. A call of
// a method Go lists as bare (no arguments, nothing to check) goes to the
// page at once on the fast path's port, which answers it (carrier.js), so
// that a first getScrollSize() does not wait for the wasm; other calls and
// subscriptions wait here, in order (a bare call made behind them waits
// too), and go to Go's dashboard as soon as adopted (a Promise) settles
// with it; nothing is decided here. If Go cannot adopt it (the wasm did
// not load, Go refused the embed), the iframe is removed, waiting and
// carried calls reject with that error and the `error` listeners get it:
// the dashboard does not sit there until its token expires. Unmounted
// meanwhile, it goes at once, its calls reject as Go's do at unmount, and
// Go, once up, is told to unmount it too, or never given it (sdk.js).
export function queuedDashboard(adopted, early) {
  let real;
  let failed;
  let unmounted = false;
  const waiting = [];
  // The failure reaches the error listeners subscribed then or, if none
  // ever was, the first one to come (held): Go's rule (sdk/events), which
  // wasm/bundle's TestQueuedErrorsMatchGo holds this to.
  const errorListeners = new Set();
  let heard = false;
  let held;
  adopted.then((d) => {
    if (unmounted) {
      d[unmountMethod]();
      return;
    }
    real = d;
    for (const run of waiting.splice(0)) run.now(d);
  }, (err) => {
    if (unmounted) return;
    failed = err;
    early.abort(err);
    for (const run of waiting.splice(0)) run.fail(err);
    const detail = { code: err.code, message: err.message };
    if (!heard) held = detail;
    for (const fn of errorListeners) report(fn, detail);
  });
  const unmount = () => {
    unmounted = true;
    const closed = sdkError(errorCodes.portClosed, 'dashembed: the dashboard was unmounted while the call waited for the SDK to load');
    closed.name = portClosedErrorName;
    failed = closed;
    early.abort(closed);
    errorListeners.clear();
    for (const run of waiting.splice(0)) run.fail(closed);
  };
  // The fast path may carry a call only while it still owns its port: once
  // released, the port and its ids are Go's.
  const carries = (name) => bare.has(name) && waiting.length === 0 && early.carrier && !early.released;
  // A call made now cannot throw what Go will say of it later: log it.
  const later = (fn) => {
    try {
      fn();
    } catch (err) {
      console.error('dashembed: a call made while the SDK loaded failed', err);
    }
  };
  return build({
    promise: (name) => (...args) => {
      if (real) return real[name](...args);
      if (failed) return Promise.reject(failed);
      if (carries(name)) return early.carrier.requestBare(name);
      return new Promise((resolve, reject) => {
        waiting.push({ now: (d) => d[name](...args).then(resolve, reject), fail: reject });
      });
    },
    void: (name) => (...args) => {
      if (real) return real[name](...args);
      if (name === unmountMethod && !unmounted) return unmount();
      if (!failed) waiting.push({ now: (d) => later(() => d[name](...args)), fail: () => {} });
      return undefined;
    },
    subscribe: (name) => (...args) => {
      if (real) return real[name](...args);
      let off;
      let ended = false;
      const [event, fn] = args;
      const watchesErrors = event === errorEvent && typeof fn === 'function';
      if (watchesErrors && !heard) {
        heard = true;
        const detail = held;
        held = undefined;
        // Once on() has returned, as Go's catch-up: the listener may have
        // unsubscribed already.
        if (detail) queueMicrotask(() => { if (!ended) report(fn, detail); });
      }
      if (watchesErrors && !failed) errorListeners.add(fn);
      if (!failed) {
        waiting.push({
          now: (d) => later(() => {
            errorListeners.delete(fn);
            if (!ended) off = d[name](...args);
          }),
          fail: () => {},
        });
      }
      return () => {
        ended = true;
        if (watchesErrors) errorListeners.delete(fn);
        if (off) off();
      };
    },
  });
}

function report(fn, detail) {
  try {
    fn(detail);
  } catch (err) {
    console.error('dashembed: an event listener threw', err);
  }
}
