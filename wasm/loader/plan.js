import {
  sandbox as baseSandbox, allow as baseAllow, uiFlags, referrerPolicies, defaultTitle,
  domainOptions, uiConfigKeys, filterKeys, autoResizeKeys,
  maxKeys as MAX_KEYS, maxItems as MAX_ITEMS, maxTimerMs as MAX_TIMER_MS,
} from 'dashembed:spec';

// planIframe is the fast path's copy of Go's iframe rules (options.Parse,
// then iframe.New): it returns {src, origin, sandbox, allow, title, policy}
// for params, or null. It may decline anything, but a plan it returns must
// equal Go's for the same params, and Go must accept them: Go adopts the
// iframe mounted from it only if they are equal, and would otherwise mount
// a second one. The differential test in wasm/bundle holds it to that.
//
// Go sees the params as the browser edge copies them: own enumerable keys,
// strings with lone surrogates turned into U+FFFD. So this reads only own
// enumerable keys, and declines any string that is not well-formed.
export function planIframe(params) {
  try {
    return plan(params);
  } catch (_) {
    return null; // a getter threw: leave it to Go, which reports it
  }
}

// The Go edge copies at most MAX_KEYS keys of an object and MAX_ITEMS items
// of an array: past them Go sees less than we do, so such params decline.
// MAX_TIMER_MS is the longest timeout Go accepts.

const absent = (v) => v === undefined || v === null;
const isPlain = (o) => o !== null && typeof o === 'object' &&
  Object.getPrototypeOf(o) === Object.prototype && Object.keys(o).length <= MAX_KEYS;
const hasOnly = (o, known) => Object.keys(o).every((k) => known.includes(k));
const own = (o, k) => (Object.prototype.propertyIsEnumerable.call(o, k) ? o[k] : undefined);
// With the u flag a surrogate pair is one code point, so this finds only
// lone surrogates.
const wellFormed = (s) => typeof s === 'string' && !/[\uD800-\uDFFF]/u.test(s);

function plan(p) {
  if (!isPlain(p) || typeof own(p, 'fetchGuestToken') !== 'function') return null;
  const mountPoint = own(p, 'mountPoint');
  if (typeof Element === 'undefined' || !(mountPoint instanceof Element) || !mountPoint.isConnected) return null;
  const id = idOf(own(p, 'id'));
  const domain = domainOf(p);
  const query = queryOf(own(p, 'dashboardUiConfig'));
  const sandbox = extras(baseSandbox, own(p, 'iframeSandboxExtras'), (s) => /^\S+$/.test(s));
  // Go trims Unicode white space, which also counts U+0085 and not U+FEFF.
  const allow = extras(baseAllow, own(p, 'iframeAllowExtras'), (s) => /[^\s\u0085]/.test(s) && !s.includes(';'));
  const titleOption = own(p, 'iframeTitle');
  const title = absent(titleOption) ? defaultTitle : titleOption;
  const policy = policyOf(own(p, 'referrerPolicy'));
  if (id === null || !domain || query === null || !sandbox || !allow || !wellFormed(title) || policy === null) return null;
  if (!othersValid(p)) return null;
  return {
    src: `${domain.domain}/embedded/${encodeURIComponent(id)}${query && '?' + query}`,
    origin: domain.origin, sandbox, allow: allow.join('; '), title, policy,
  };
}

function idOf(id) {
  if (typeof id === 'string') return id !== '' && wellFormed(id) ? id : null;
  return Number.isSafeInteger(id) ? String(id) : null;
}

// The part of Go's domain rules the fast path vouches for: an http(s) URL
// with an ASCII host or an IPv6 literal, a port, and a path without a query,
// fragment, backslash, space or control character.
const DOMAIN = /^(https?):\/\/([\w.-]+|\[[\da-f.:]*:[\da-f.:]*\])(?::(\d*))?(?:\/[^\0- \x7f\\?#]*)?$/i;

// domainOf reads supersetDomain or an alias (several must be equal), and
// computes the origin as Go does: scheme and host lower-cased, the port
// unless it is the scheme's default. Where the browser's origin differs (an
// IPv4 address written oddly, say), Go's would be wrong: decline.
function domainOf(p) {
  let raw;
  for (const k of domainOptions) {
    const v = own(p, k);
    if (absent(v)) continue;
    if (!wellFormed(v) || (raw !== undefined && v !== raw)) return null;
    raw = v;
  }
  const m = raw !== undefined && DOMAIN.exec(raw);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  const port = m[3] === undefined ? '' : m[3];
  const n = Number(port);
  if (n > 65535) return null;
  const origin = `${scheme}://${m[2].toLowerCase()}` +
    (port !== '' && n !== (scheme === 'http' ? 80 : 443) ? `:${n}` : '');
  if (new URL(raw).origin !== origin) return null;
  return { domain: raw.replace(/\/$/, ''), origin };
}

// queryOf builds the iframe's query as Go does: uiConfig, the filter
// switches, then urlParams in Go's key order (below), a later key replacing
// an earlier one in place; then array-index keys move first, as they do
// when JavaScript enumerates an object.
function queryOf(ui) {
  if (absent(ui)) return '';
  if (!isPlain(ui) || !hasOnly(ui, uiConfigKeys)) return null;
  const pairs = [];
  const set = (k, v) => {
    const at = pairs.findIndex((e) => e[0] === k);
    if (at < 0) pairs.push([k, v]);
    else pairs[at][1] = v;
  };
  let n = 0;
  for (const { option, bit } of uiFlags) {
    const on = own(ui, option);
    if (!absent(on) && typeof on !== 'boolean') return null;
    if (on) n += bit;
  }
  set('uiConfig', String(n));
  const filters = own(ui, 'filters');
  if (!absent(filters)) {
    if (!isPlain(filters) || !hasOnly(filters, filterKeys)) return null;
    const visible = own(filters, 'visible');
    const expanded = own(filters, 'expanded');
    if (![visible, expanded].every((v) => absent(v) || typeof v === 'boolean')) return null;
    if (!absent(visible)) set('show_filters', String(visible));
    if (!absent(expanded)) set('expand_filters', String(expanded));
  }
  const extra = own(ui, 'urlParams');
  if (!absent(extra)) {
    if (!isPlain(extra)) return null;
    for (const k of Object.keys(extra).sort((a, b) => indexFirst(a, b) || byCodePoint(a, b))) {
      const v = extra[k];
      if (v === undefined) continue; // left out, as Go does
      const ok = typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || wellFormed(v);
      if (!ok || !wellFormed(k)) return null;
      set(k, String(v));
    }
  }
  pairs.sort((a, b) => indexFirst(a[0], b[0])); // stable: the rest keep their order
  return new URLSearchParams(pairs).toString();
}

// An array index is a canonical number from 0 to 2**32-2.
const isIndex = (k) => String(Number(k) >>> 0) === k && k !== '4294967295';
const indexFirst = (a, b) => (isIndex(a) ? (isIndex(b) ? a - b : -1) : isIndex(b) ? 1 : 0);

// byCodePoint orders strings by code point, which is the UTF-8 byte order
// Go sorts keys in. Comparing UTF-16 code units (JavaScript's <) differs:
// it puts U+E000–U+FFFF after astral characters, whose surrogates are
// lower, so shift the two ranges into code point order.
const codePointRank = (u) => (u < 0xd800 ? u : u < 0xe000 ? u + 0x2000 : u - 0x800);
function byCodePoint(a, b) {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const d = codePointRank(a.charCodeAt(i)) - codePointRank(b.charCodeAt(i));
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

// extras appends the valid, well-formed, new strings of more to base.
function extras(base, more, valid) {
  if (absent(more)) return base.slice();
  if (!Array.isArray(more) || more.length > MAX_ITEMS) return null;
  const out = base.slice();
  for (let i = 0; i < more.length; i++) {
    const item = more[i];
    if (!wellFormed(item) || !valid(item)) return null;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

// policyOf reads referrerPolicy in any case, as Go does, and returns the
// lower-case token Go keeps.
function policyOf(v) {
  if (absent(v)) return '';
  const policy = typeof v === 'string' ? v.toLowerCase() : null;
  return referrerPolicies.includes(policy) ? policy : null;
}

// othersValid checks the options that do not shape the iframe: Go must
// accept them too, or it would reject params whose iframe is already up.
function othersValid(p) {
  const debug = own(p, 'debug');
  const resolve = own(p, 'resolvePermalinkUrl');
  return (absent(debug) || typeof debug === 'boolean') &&
    (absent(resolve) || typeof resolve === 'function') &&
    millis(own(p, 'guestTokenFetchTimeoutMs'), false) &&
    millis(own(p, 'handshakeTimeoutMs'), true) &&
    autoResizeValid(own(p, 'autoResize'));
}

const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const millis = (v, positive) => absent(v) || (finite(v) && (!positive || v > 0) && v <= MAX_TIMER_MS);

function autoResizeValid(v) {
  if (absent(v) || typeof v === 'boolean') return true;
  if (!isPlain(v) || !hasOnly(v, autoResizeKeys)) return false;
  const min = own(v, 'minHeight');
  const max = own(v, 'maxHeight');
  return (absent(min) || (finite(min) && min >= 0)) &&
    (absent(max) || (finite(max) && max > 0)) &&
    (absent(min) || absent(max) || min <= max);
}
