import { carrier } from './carrier.js';

// The glue between the Go program and the page. Go calls these helpers
// through syscall/js; they call back into Go through six functions the Go
// program sets on this object when it starts (embed, call, settle, event,
// message, refuse). Each crossing between JavaScript and Go costs microseconds, so
// the helpers do in one call what would take Go several.
// Promise callbacks and event listeners are plain closures made here and
// routed to Go by integer id, so the Go side never has to create (and then
// remember to release) a js.Func per listener.
//
// global is the object the Go program sees as its global (boot.js's shadow
// of the page's): events Go asks to hear on it are heard on the page's.
export function createGlue(global) {
  let started;
  const glue = {
    // Resolves with the glue once the Go program has registered itself.
    ready: new Promise((resolve) => { started = resolve; }),
    started() { started(glue); },

    // Promises Go hands out, by id: Go creates one with promise(id) and
    // settles it with fulfil(id, ok, value), one call each way.
    pending: new Map(),
    promise(id) {
      return new Promise((resolve, reject) => glue.pending.set(id, { resolve, reject }));
    },
    fulfil(id, ok, value) {
      const p = glue.pending.get(id);
      if (!p) return;
      glue.pending.delete(id);
      if (ok) p.resolve(value);
      else p.reject(value);
    },

    // The carrier each embed's bare calls go to without Go, by handle:
    // Go sets and clears it (route) as its documents come and go.
    routes: new Map(),
    route(handle, c) {
      if (c) glue.routes.set(handle, c);
      else glue.routes.delete(handle);
    },

    // Opens our end of a channel Go made, as a carrier (carrier.js).
    carrier(port) {
      return carrier(port);
    },

    // Hands each switchboard message arriving on a carrier to Go with its
    // fields unpacked, in one call; the `error` answer of a call the
    // carrier carried goes to Go's refuse, with the call's reject, for Go
    // to build its Error.
    listenPort(c, id) {
      c.listen(
        (d) => glue.message(id, d.switchboardAction, d.method, d.messageId, d.error, d.args, d.result),
        (call, text) => glue.refuse(call.reject, call.method, text),
      );
    },

    // Calls fn(...args) and reports how it ends to Go, whether it returns a
    // value, a Promise, or throws synchronously.
    invoke(fn, id, ...args) {
      let result;
      try {
        result = Promise.resolve(fn(...args));
      } catch (err) {
        result = Promise.reject(err);
      }
      result.then((v) => glue.settle(id, true, v), (err) => glue.settle(id, false, err));
    },

    listen(target, type, id) {
      const on = target === global ? globalThis : target;
      const handler = (event) => glue.event(id, event);
      on.addEventListener(type, handler);
      return () => on.removeEventListener(type, handler);
    },

    // Reports whether target is on screen, now and on each change; where
    // IntersectionObserver is missing, it is taken as always visible.
    observe(target, id) {
      if (typeof IntersectionObserver !== 'function') {
        glue.event(id, true);
        return () => {};
      }
      const observer = new IntersectionObserver((entries) => {
        const last = entries[entries.length - 1];
        if (last) glue.event(id, last.isIntersecting);
      });
      observer.observe(target);
      return () => observer.disconnect();
    },

    // Calls back Go with id in a microtask: after the current call returns.
    soon(id) {
      queueMicrotask(() => glue.event(id));
    },

    // Calls a host app's listener; what it throws is the app's problem and
    // must not reach (and stop) the SDK.
    report(fn, arg) {
      try {
        fn(arg);
      } catch (err) {
        console.error('dashembed: an event listener threw', err);
      }
    },

    error(message, ...fields) {
      const err = new Error(message);
      for (let i = 0; i + 1 < fields.length; i += 2) err[fields[i]] = fields[i + 1];
      return err;
    },

    describe(value) {
      if (value instanceof Error) return value.message || String(value);
      try {
        return String(value);
      } catch (_) {
        return 'an unprintable value';
      }
    },
  };
  return glue;
}
