import { embedDashboard } from 'dashembed';
import { errorName, events, methods } from 'dashembed:spec';

// <dashembed-dashboard>: the SDK as a custom element.
//
//   <dashembed-dashboard dashboard-id="…" domain="https://bi.example.com"
//     ui-config='{"hideTitle": true}' auto-resize></dashembed-dashboard>
//   el.fetchGuestToken = () => fetch('/api/guest-token').then(…);
//
// It embeds once it is in the document and has a fetchGuestToken, and again
// when dashboard-id or domain changes; the other attributes are read when it
// embeds. Attribute values go to embedDashboard as they are (JSON ones
// parsed), so the SDK decides what is valid, and its errors (with their
// code) arrive as `error` events. The lifecycle events of dashboard.on()
// are dispatched on the element as CustomEvents of the same names.

export const TAG = 'dashembed-dashboard';

// Attributes that make it embed again; the names embedDashboard gives them.
const REEMBED = { 'dashboard-id': 'id', domain: 'supersetDomain' };
// Attributes read when it embeds, by how their value is read.
const TEXT = { 'iframe-title': 'iframeTitle', 'referrer-policy': 'referrerPolicy' };
const JSON_VALUE = { 'ui-config': 'dashboardUiConfig' };
const SWITCH = { 'auto-resize': 'autoResize', debug: 'debug' };

// The code of sdk/contract's CodeUnmounted: a method called while no
// dashboard is embedded in the element.
const UNMOUNTED = 'UNMOUNTED';

// parseJSON reads a JSON attribute; text that is not JSON goes to the SDK
// as it is, which rejects it with an error naming the option.
function parseJSON(text) {
  try {
    return JSON.parse(text);
  } catch (_) {
    return text;
  }
}

// A switch is on when present without a value; auto-resize may also hold
// JSON ({"minHeight": 300}) and either may say "false".
const readSwitch = (text) => (text === '' ? true : parseJSON(text));

const state = Symbol('dashembed');

// The `error` event for an embed or a call that failed: the SDK's code and
// message, as the lifecycle `error` event carries them, and the Error.
const errorEvent = (err) => new CustomEvent('error', {
  detail: { code: err && err.code, message: err && err.message, option: err && err.option, error: err },
});

function notEmbedded(name) {
  const err = new Error(`dashembed: ${TAG}.${name}() was called while no dashboard is embedded in it`);
  err.name = errorName;
  err.code = UNMOUNTED;
  return err;
}

function define() {
  class DashembedDashboard extends HTMLElement {
    static get observedAttributes() {
      return Object.keys(REEMBED);
    }

    constructor() {
      super();
      this[state] = { fetch: null, options: {}, generation: 0, embedding: null, dashboard: null, queued: false };
      const root = this.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = ':host{display:block}div{width:100%;height:100%}iframe{border:0;width:100%;height:100%}';
      root.append(style);
    }

    /** Fetches guest tokens; the element calls the latest one set. */
    get fetchGuestToken() {
      return this[state].fetch;
    }

    set fetchGuestToken(fn) {
      this[state].fetch = fn;
      this.schedule();
    }

    /** Further embedDashboard params (resolvePermalinkUrl, iframeSandboxExtras, …), read when it embeds. */
    get options() {
      return this[state].options;
    }

    set options(value) {
      this[state].options = value;
    }

    /** The EmbeddedDashboard once embedDashboard resolved, else null. */
    get dashboard() {
      return this[state].dashboard;
    }

    connectedCallback() {
      // A page may set properties before the element is defined: they then
      // sit on the instance and hide the accessors.
      for (const name of ['fetchGuestToken', 'options']) {
        if (Object.prototype.hasOwnProperty.call(this, name)) {
          const value = this[name];
          delete this[name];
          this[name] = value;
        }
      }
      this.schedule();
    }

    disconnectedCallback() {
      this.stop();
    }

    attributeChangedCallback(_name, before, after) {
      if (before !== after && this[state].embedding) {
        this.stop();
        this.schedule();
      }
    }

    // schedule embeds after the current task's attribute and property
    // changes, so that setting several of them embeds once.
    schedule() {
      const s = this[state];
      if (s.queued || s.embedding) return;
      s.queued = true;
      queueMicrotask(() => {
        s.queued = false;
        if (this.isConnected && !s.embedding && s.fetch !== null && s.fetch !== undefined) this.start();
      });
    }

    start() {
      const s = this[state];
      const generation = ++s.generation;
      const mountPoint = document.createElement('div');
      mountPoint.part = 'frame';
      this.shadowRoot.append(mountPoint);
      const params = { ...s.options };
      const read = (names, how) => {
        for (const [attr, option] of Object.entries(names)) {
          if (this.hasAttribute(attr)) params[option] = how(this.getAttribute(attr));
        }
      };
      read(REEMBED, String);
      read(TEXT, String);
      read(JSON_VALUE, parseJSON);
      read(SWITCH, readSwitch);
      params.mountPoint = mountPoint;
      // A function that calls the latest fetchGuestToken, so that setting a
      // new one does not embed again; anything else goes to the SDK as it
      // is, to be rejected there.
      params.fetchGuestToken = typeof s.fetch === 'function' ? () => s.fetch() : s.fetch;
      const current = () => generation === s.generation;
      s.embedding = embedDashboard(params).then((dashboard) => {
        if (!current()) {
          dashboard.unmount();
          return null;
        }
        s.dashboard = dashboard;
        for (const name of events) {
          dashboard.on(name, (detail) => this.dispatchEvent(new CustomEvent(name, { detail })));
        }
        return dashboard;
      }, (err) => {
        if (current()) {
          mountPoint.remove();
          this.dispatchEvent(errorEvent(err));
        }
        return null;
      });
    }

    stop() {
      const s = this[state];
      s.generation++;
      s.embedding = null;
      if (s.dashboard) s.dashboard.unmount();
      s.dashboard = null;
      for (const div of this.shadowRoot.querySelectorAll('div')) div.remove();
    }
  }

  // The dashboard's methods, on the element. Called before the dashboard
  // is ready, they wait for it; called with nothing embedding, they fail.
  for (const { name, kind } of methods) {
    if (kind === 'promise') {
      DashembedDashboard.prototype[name] = function (...args) {
        const { embedding } = this[state];
        if (!embedding) return Promise.reject(notEmbedded(name));
        return embedding.then((d) => (d ? d[name](...args) : Promise.reject(notEmbedded(name))));
      };
    } else if (kind === 'void' && name !== 'unmount') {
      DashembedDashboard.prototype[name] = function (...args) {
        const { dashboard, embedding } = this[state];
        if (dashboard) return void dashboard[name](...args);
        if (!embedding) throw notEmbedded(name);
        embedding.then((d) => d && d[name](...args)).catch((err) => this.dispatchEvent(errorEvent(err)));
      };
    }
  }
  customElements.define(TAG, DashembedDashboard);
}

// Defined once per page, however many copies of this script load; and not
// at all where there is no DOM (Node, server-side rendering).
if (typeof customElements !== 'undefined' && typeof HTMLElement !== 'undefined' && !customElements.get(TAG)) {
  define();
}
