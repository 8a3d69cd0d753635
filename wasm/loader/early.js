import { actions, commsType, guestTokenMethod, handshake } from 'dashembed:spec';
import { carrier } from './carrier.js';
import { planIframe } from './plan.js';

// earlyStart is the cold-start fast path. The wasm is far larger than the
// dashboard's first request, so waiting for it before mounting the iframe
// would make every first embed slower than upstream's plain JavaScript.
// While the wasm loads, this mounts the iframe, hands the first document its
// port and starts fetchGuestToken, sending the first token as soon as both
// are there. When Go starts, it adopts all of it, but only if the iframe is
// exactly what Go would have built (same src, sandbox, allow, title and
// referrer policy); otherwise it discards it and mounts its own. Only params
// planIframe (plan.js) can vouch for take the fast path: anything Go might
// reject, or that it cannot reproduce exactly, waits for Go.
//
// It returns the handle Go adopts, or undefined.
export function earlyStart(p) {
  const plan = planIframe(p);
  if (!plan) return undefined;
  try {
    return mount(p, plan);
  } catch (_) {
    return undefined; // a getter threw on a second read: leave it to Go
  }
}

function mount(p, plan) {
  const iframe = document.createElement('iframe');
  iframe.sandbox.add(...plan.sandbox);
  if (plan.policy) iframe.referrerPolicy = plan.policy;
  const early = {
    iframe, src: plan.src, origin: plan.origin, sandbox: plan.sandbox.join(' '), allow: plan.allow, title: plan.title,
    referrerPolicy: plan.policy, loads: 0, carrier: null, released: false, sentToken: '', fetchDone: false,
  };
  let port;
  let token;
  // settled resolves once the fast path has done what it can: the first
  // token sent, or the fetch failed (Go then reports it).
  let settle;
  early.settled = new Promise((resolve) => { settle = resolve; });
  const send = () => {
    if (!early.released && port && typeof token === 'string' && token !== '') {
      port.post(actions.emit, guestTokenMethod, undefined, { guestToken: token });
      early.sentToken = token; // Go will not send the same token again
      settle();
    }
  };
  const onLoad = () => {
    early.loads += 1;
    if (early.loads !== 1) return; // a navigation before Go is up: Go handles it
    const channel = new MessageChannel();
    port = carrier(channel.port1);
    early.carrier = port;
    iframe.contentWindow.postMessage({ type: commsType, handshake }, plan.origin, [channel.port2]);
    send();
  };
  iframe.addEventListener('load', onLoad);
  // The fetch starts now, as upstream's does; Go takes over the Promise.
  const fetched = sharedFetch(p.fetchGuestToken);
  fetched.then((t) => {
    early.fetchDone = true;
    token = t;
    if (typeof t !== 'string' || t === '') settle();
    send();
  }, () => {
    early.fetchDone = true;
    settle();
  });
  let taken = false;
  early.takeToken = () => {
    if (taken) return undefined;
    taken = true;
    return fetched;
  };
  // release hands everything to Go: the shim stops listening and sending.
  early.release = () => {
    early.released = true;
    settle();
    iframe.removeEventListener('load', onLoad);
    return early.loads;
  };
  // abort undoes the mount, for params Go rejects, a wasm that fails or an
  // unmount before Go is up; the calls carried on the port meanwhile
  // (handle.js) reject with err.
  early.abort = (err) => {
    early.release();
    const cut = port ? port.close() : [];
    for (const call of cut) call.reject(err);
    iframe.remove();
  };
  iframe.src = plan.src;
  iframe.title = plan.title;
  iframe.style.background = 'transparent';
  iframe.setAttribute('allow', plan.allow);
  p.mountPoint.replaceChildren(iframe);
  return early;
}

// Calls in flight by function: embeds started together with the same
// fetchGuestToken share one call, as they do once Go runs (FetchGroup).
const inflight = new Map();

function sharedFetch(fn) {
  if (inflight.has(fn)) return inflight.get(fn);
  let call;
  try {
    call = Promise.resolve(fn());
  } catch (err) {
    call = Promise.reject(err);
  }
  inflight.set(fn, call);
  const done = () => inflight.delete(fn);
  call.then(done, done);
  return call;
}
