// earlyStart is the cold-start fast path. The wasm is far larger than the
// dashboard's first request, so waiting for it before mounting the iframe
// would make every first embed slower than upstream's plain JavaScript.
// While the wasm loads, this mounts the iframe, hands the first document its
// port and starts fetchGuestToken, sending the first token as soon as both
// are there. When Go starts, it adopts all of it, but only if the iframe is
// exactly what Go would have built (same src, sandbox, allow, title and
// referrer policy); otherwise it discards it and mounts its own. Only params
// this code can vouch for take the fast path: anything Go might reject, or
// that it cannot reproduce exactly, waits for Go.
//
// It returns the handle Go adopts, or undefined.
export function earlyStart(p) {
  try {
    const plan = planIframe(p);
    return plan && mount(p, plan);
  } catch (_) {
    return undefined; // a getter threw: leave it to Go's validation
  }
}

const SANDBOX = ['allow-same-origin', 'allow-scripts', 'allow-presentation', 'allow-downloads', 'allow-forms', 'allow-popups'];
const ALLOW = ['fullscreen', 'clipboard-write'];
const UI_FLAGS = { hideTitle: 1, hideTab: 2, hideChartControls: 8, emitDataMasks: 16, showRowLimitWarning: 32 };
const POLICIES = ['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin',
  'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url'];

const isPlain = (o) => o !== null && typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype;
const absent = (v) => v === undefined || v === null;
const isIndex = (k) => String(Number(k) >>> 0) === k && Number(k) < 4294967295;

function planIframe(p) {
  if (!isPlain(p) || typeof p.fetchGuestToken !== 'function') return null;
  if (typeof Element === 'undefined' || !(p.mountPoint instanceof Element) || !p.mountPoint.isConnected) return null;
  const id = p.id;
  if (!(typeof id === 'string' && id !== '') && !Number.isSafeInteger(id)) return null;
  const domains = [p.supersetDomain, p.calabiiqDomain, p.presetDomain].filter((d) => !absent(d));
  if (domains.length !== 1 || typeof domains[0] !== 'string') return null;
  const m = /^(https?:\/\/[a-z0-9.-]+(:\d+)?)(\/[\w\-./~%]*)?$/i.exec(domains[0]);
  if (!m) return null;
  const query = queryOf(p.dashboardUiConfig);
  const sandbox = extras(SANDBOX, p.iframeSandboxExtras, /^\S+$/);
  const allow = extras(ALLOW, p.iframeAllowExtras, /^[^;]+$/);
  const title = absent(p.iframeTitle) ? 'Embedded Dashboard' : p.iframeTitle;
  const policy = absent(p.referrerPolicy) ? '' : p.referrerPolicy;
  if (query === null || !sandbox || !allow || typeof title !== 'string') return null;
  if (typeof policy !== 'string' || (policy !== '' && !POLICIES.includes(policy))) return null;
  const domain = domains[0].replace(/\/$/, '');
  return {
    src: `${domain}/embedded/${encodeURIComponent(String(id))}${query && '?' + query}`,
    origin: new URL(domain).origin, sandbox, allow: allow.join('; '), title, policy,
  };
}

// queryOf builds the iframe's query as Go does: uiConfig, the filter
// switches, then urlParams (keys in Go's order: array indexes, then the rest
// sorted), a later key replacing an earlier one in place.
function queryOf(ui) {
  if (absent(ui)) return '';
  if (!isPlain(ui)) return null;
  const params = {};
  let n = 0;
  for (const k of Object.keys(ui)) {
    if (k === 'filters' || k === 'urlParams') continue;
    if (!(k in UI_FLAGS) || !(ui[k] === undefined || typeof ui[k] === 'boolean')) return null;
    if (ui[k]) n += UI_FLAGS[k];
  }
  params.uiConfig = String(n);
  const filters = ui.filters;
  if (!absent(filters)) {
    if (!isPlain(filters)) return null;
    for (const k of Object.keys(filters)) {
      if ((k !== 'visible' && k !== 'expanded') || !(filters[k] === undefined || typeof filters[k] === 'boolean')) return null;
    }
    if (filters.visible !== undefined) params.show_filters = String(filters.visible);
    if (filters.expanded !== undefined) params.expand_filters = String(filters.expanded);
  }
  const extra = ui.urlParams;
  if (!absent(extra)) {
    if (!isPlain(extra)) return null;
    const keys = Object.keys(extra).sort((a, b) => {
      if (isIndex(a) || isIndex(b)) return isIndex(a) && isIndex(b) ? a - b : isIndex(a) ? -1 : 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    for (const k of keys) {
      const v = extra[k];
      if (v === undefined) continue;
      if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string' && typeof v !== 'boolean') return null;
      params[k] = String(v);
    }
  }
  return new URLSearchParams(params).toString();
}

function extras(base, more, valid) {
  if (absent(more)) return base.slice();
  if (!Array.isArray(more)) return null;
  const out = base.slice();
  for (const item of more) {
    if (typeof item !== 'string' || !valid.test(item)) return null;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

function mount(p, plan) {
  const iframe = document.createElement('iframe');
  iframe.sandbox.add(...plan.sandbox);
  if (plan.policy) iframe.referrerPolicy = plan.policy;
  const early = {
    iframe, src: plan.src, sandbox: plan.sandbox.join(' '), allow: plan.allow, title: plan.title,
    referrerPolicy: plan.policy, loads: 0, port: null, released: false, sentToken: '',
  };
  let port;
  let token;
  // settled resolves once the fast path has done what it can: the first
  // token sent, or the fetch failed (Go then reports it).
  let settle;
  early.settled = new Promise((resolve) => { settle = resolve; });
  const send = () => {
    if (!early.released && port && typeof token === 'string' && token !== '') {
      port.postMessage({ switchboardAction: 'emit', method: 'guestToken', args: { guestToken: token } });
      early.sentToken = token; // Go will not send the same token again
      settle();
    }
  };
  const onLoad = () => {
    early.loads += 1;
    if (early.loads !== 1) return; // a navigation before Go is up: Go handles it
    const channel = new MessageChannel();
    port = channel.port1;
    early.port = port;
    iframe.contentWindow.postMessage({ type: '__embedded_comms__', handshake: 'port transfer' }, plan.origin, [channel.port2]);
    send();
  };
  iframe.addEventListener('load', onLoad);
  // The fetch starts now, as upstream's does; Go takes over the Promise.
  const fetched = sharedFetch(p.fetchGuestToken);
  fetched.then((t) => {
    token = t;
    if (typeof t !== 'string' || t === '') settle();
    send();
  }, settle);
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
  // abort undoes the mount, for params Go rejects or a wasm that fails.
  early.abort = () => {
    early.release();
    if (port) port.close();
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
