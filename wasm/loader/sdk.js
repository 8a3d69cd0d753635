import { errorCodes } from 'dashembed:spec';
import { boot, cannotRun } from './boot.js';
import { earlyStart } from './early.js';
import { sdkError } from './errors.js';
import { dashboard, queuedDashboard } from './handle.js';

// How long the wasm's download may wait for the fast path (see later): as
// long as a first token may take by default (guestTokenFetchTimeoutMs),
// since on a slow link the dashboard's own page can take that long, and
// every byte of wasm fetched meanwhile delays it. Past it, Go reports what
// went wrong.
const MAX_HOLD_MS = 30000;
// How long a pending first fetchGuestToken may hold it (see later).
const FETCH_WAIT_MS = 3000;

// createSDK returns the public API for a wasm found at the first of sources
// the server has (boot.js): a drop-in for @superset-ui/embedded-sdk's
// embedDashboard. Where there is no document (Node, server-side rendering)
// nothing starts, and embedDashboard rejects.
//
// The wasm is kept off the dashboard's critical path: on one link, every
// byte of it downloaded while the dashboard's page loads delays that page,
// and compiling it takes a core the dashboard's page may share. So while a
// fast-path embed (early.js) is bringing its first document up, the
// download waits until that document has loaded and holds its token (at
// most MAX_HOLD_MS); with no embed under way it starts once the page is
// idle, ready for the first one. An embed the fast path cannot take starts
// it at once: it needs Go.
export function createSDK(sources) {
  let ready;
  let live; // the glue, once the Go program serves
  const early = []; // fast-path embeds, until Go owns them
  const start = () => {
    if (!ready) {
      ready = boot(sources).then((glue) => {
        early.length = 0; // Go owns them now; keep no iframe alive here
        return (live = glue);
      }, (err) => {
        ready = undefined; // the next embedDashboard tries again (back online, say)
        early.length = 0;
        throw err;
      });
    }
    return ready;
  };
  // later starts once fast has done what it can, or MAX_HOLD_MS passed,
  // or its fetchGuestToken is still pending after FETCH_WAIT_MS: Go owns
  // that call's timeout (guestTokenFetchTimeoutMs), so it must be up to
  // enforce it. A token in hand leaves only the dashboard's page to wait for.
  const later = (fast) => {
    const timers = [];
    const after = (ms) => new Promise((resolve) => { timers.push(setTimeout(resolve, ms)); });
    const fetchSlow = after(FETCH_WAIT_MS).then(() => (fast.fetchDone ? new Promise(() => {}) : undefined));
    return Promise.race([fast.settled, after(MAX_HOLD_MS), fetchSlow]).then(() => {
      timers.forEach(clearTimeout);
      return start();
    });
  };
  if (typeof document !== 'undefined') {
    // Leave reporting a failed load to embedDashboard.
    whenIdle(() => { if (!ready && early.length === 0) start().catch(() => {}); });
  }
  function embedDashboard(params) {
    if (typeof document === 'undefined') {
      return Promise.reject(sdkError(errorCodes.noBrowser,
        'dashembed: embedDashboard needs a page with a document to mount the dashboard in; ' +
        'call it in the browser, not in Node or during server-side rendering'));
    }
    const blocked = live ? undefined : cannotRun(sources);
    if (blocked) return Promise.reject(blocked);
    // Before Go is up, start the iframe and the token in JavaScript.
    const fast = live ? undefined : earlyStart(params);
    if (!fast) return start().then((glue) => open(glue, params, undefined));
    early.push(fast);
    // The fast path's handle is released once Go adopts it, or aborted
    // when the dashboard goes first (unmounted, or the load failed).
    const adopted = later(fast).then((glue) => {
      if (fast.released) throw sdkError(errorCodes.unmounted, 'dashembed: the dashboard was unmounted before the SDK loaded');
      return open(glue, params, fast);
    });
    adopted.catch((err) => fast.abort(err));
    // Once the fast path's document holds its token, the dashboard is as
    // ready as Go would make it: resolve with a handle that queues what is
    // asked of it until Go adopts the embed. A first token that could not
    // be sent (fetchGuestToken failed) is Go's to report: wait for it.
    const held = fast.settled.then(() => (fast.sentToken ? 'early' : adopted));
    return Promise.race([held, adopted]).then((first) => (first === 'early' ? queuedDashboard(adopted, fast) : first));
  }
  return { embedDashboard };
}

// open hands an embed to Go and resolves with its dashboard object.
function open(glue, params, fast) {
  if (glue.exited) {
    throw sdkError(errorCodes.internal, 'dashembed: the SDK stopped after a fatal error; reload the page');
  }
  return glue.embed(params, fast).then((handle) => dashboard(glue, handle));
}

// whenIdle calls fn once the page has nothing more urgent to do.
function whenIdle(fn) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: MAX_HOLD_MS });
  else setTimeout(fn, 200);
}
