/**
 * dashembed: embed Superset, Preset and CalabiIQ dashboards.
 * A drop-in for `@superset-ui/embedded-sdk` 0.4.x: the same options, the
 * same methods, the same wire protocol, plus lifecycle events, resilient
 * guest-token refresh and auto-resize.
 */

/** Fetches a guest token from the host app's backend. */
export type GuestTokenFetchFn = () => Promise<string>;

/** Dashboard UI settings, sent to the dashboard as URL parameters. */
export type UiConfigType = {
  /** Hide the dashboard title (uiConfig bit 1). */
  hideTitle?: boolean;
  /** Hide the tab bar (uiConfig bit 2). */
  hideTab?: boolean;
  /** Hide each chart's controls menu (uiConfig bit 8). */
  hideChartControls?: boolean;
  /** Have the dashboard emit data-mask changes to observeDataMask (bit 16). */
  emitDataMasks?: boolean;
  /** Show a warning when a chart hits its row limit (bit 32). */
  showRowLimitWarning?: boolean;
  /** The native filter bar: `visible` → show_filters, `expanded` → expand_filters. Other keys are rejected. */
  filters?: {
    visible?: boolean;
    expanded?: boolean;
  };
  /** Extra URL parameters for the dashboard page; they override the ones above. Values must be strings, numbers or booleans. */
  urlParams?: {
    [key: string]: string | number | boolean;
  };
};

/** Receives the page's permalink key; returns the URL the dashboard should show for it. */
export type ResolvePermalinkUrlFn = (params: { key: string }) => string | Promise<string>;

/** Bounds for `autoResize`. */
export type AutoResizeOptions = {
  /** The iframe is never made shorter than this (px). */
  minHeight?: number;
  /** The iframe is never made taller than this (px). */
  maxHeight?: number;
};

export type EmbedDashboardParams = {
  /** The dashboard's embed id (UUID) from the BI host's embed settings. */
  id: string;
  /** The BI host's origin, with protocol, e.g. https://superset.example.com. One trailing "/" is ignored. */
  supersetDomain: string;
  /** CalabiIQ's name for supersetDomain. */
  calabiiqDomain?: string;
  /** Preset's name for supersetDomain. */
  presetDomain?: string;
  /** The element the iframe is mounted in; its children are replaced. */
  mountPoint: HTMLElement;
  /** Fetches a guest token from the host app's backend. */
  fetchGuestToken: GuestTokenFetchFn;
  /** Dashboard UI settings. */
  dashboardUiConfig?: UiConfigType;
  /** Log each step and each message to the console. */
  debug?: boolean;
  /** The iframe's title attribute; "Embedded Dashboard" by default. */
  iframeTitle?: string;
  /** Sandbox tokens added to the default ones, e.g. allow-top-navigation. */
  iframeSandboxExtras?: string[];
  /** Permissions-policy features added to `fullscreen; clipboard-write`. */
  iframeAllowExtras?: string[];
  /** The iframe's referrer policy. */
  referrerPolicy?: ReferrerPolicy;
  /** Lets the host app decide the URL of dashboard permalinks. */
  resolvePermalinkUrl?: ResolvePermalinkUrlFn;
  /** Timeout for each fetchGuestToken call, in ms; 30000 by default; 0 or less disables it. */
  guestTokenFetchTimeoutMs?: number;
  /** How long a loaded iframe may take to answer before an `error` event with code HANDSHAKE_TIMEOUT; 5000 by default. */
  handshakeTimeoutMs?: number;
  /** Keep the iframe's height equal to the dashboard's content height. */
  autoResize?: boolean | AutoResizeOptions;
};

export type Size = {
  width: number;
  height: number;
};

export type ObserveDataMaskCallbackFn = (
  dataMask: Record<string, any> & {
    crossFiltersChanged: boolean;
    nativeFiltersChanged: boolean;
  },
) => void;

export type ThemeMode = 'default' | 'dark' | 'system';

/** Codes of `error` and `tokenError` events, and the `code` of every Error the SDK rejects or throws with. */
export type ErrorCode =
  /** An option or a method argument is wrong; the Error's `option` names it. */
  | 'INVALID_OPTION'
  /** The iframe's document never answered the handshake (framing refused, a 403 from allowed domains, a wrong domain). */
  | 'HANDSHAKE_TIMEOUT'
  /** fetchGuestToken gave something that is not a usable guest token (not a string, not a JWT, already expired). */
  | 'TOKEN_INVALID'
  /** fetchGuestToken threw, rejected or timed out. */
  | 'TOKEN_FETCH_FAILED'
  /** A call was in flight when its document went away (the iframe navigated, or the dashboard was unmounted). */
  | 'PORT_CLOSED'
  /** The dashboard's page answered a call with an error. */
  | 'REMOTE_ERROR'
  /** The dashboard was unmounted before it was ready. */
  | 'UNMOUNTED'
  /**
   * The SDK's wasm could not be fetched or compiled (a 404, no CORS headers, a CSP without
   * 'wasm-unsafe-eval', offline); `reason` says which, the message names the URL tried and the fix.
   */
  | 'WASM_LOAD_FAILED'
  /** embedDashboard was called where there is no DOM (in Node, during server-side rendering). */
  | 'NO_BROWSER'
  /** A bug in the SDK; the message says where. */
  | 'INTERNAL';

/** The payload of each lifecycle event. */
export type DashboardEvents = {
  /** A live embedded document holds a guest token. */
  ready: {};
  /**
   * A new token was delivered. `exp` is the token's `exp` claim exactly as the BI host issued it
   * (seconds since the epoch, by the BI host's clock); `expiresAtMs` is when it expires by this
   * browser's clock (milliseconds since the epoch, corrected for clock skew with `iat`), which is
   * what the SDK schedules the next refresh by.
   */
  tokenRefreshed: { exp: number; expiresAtMs: number };
  /** Fetching or using a token failed; the next attempt is in `retryInMs`. */
  tokenError: { error: string; code: ErrorCode; retryInMs: number };
  /**
   * The iframe loaded a new document; `embedded` tells whether it is a dashboard (it then gets a
   * fresh token and the last theme). A cross-origin document's address cannot be read: `url` is
   * the iframe's src for an embedded document and "" for a foreign one.
   */
  navigated: { url: string; embedded: boolean };
  /** autoResize changed the iframe's size. */
  resize: Size;
  /** Something the host app should show or log. */
  error: { code: ErrorCode; message: string };
};

export type EmbeddedDashboard = {
  getScrollSize: () => Promise<Size>;
  /** Removes the iframe; calls still in flight reject with a PortClosedError. */
  unmount: () => void;
  getDashboardPermalink: (anchor: string) => Promise<string>;
  getActiveTabs: () => Promise<string[]>;
  observeDataMask: (callbackFn: ObserveDataMaskCallbackFn) => void;
  getDataMask: () => Promise<Record<string, any>>;
  getChartStates: () => Promise<Record<string, any>>;
  getChartDataPayloads: (params?: { chartId?: number }) => Promise<Record<string, any>>;
  setThemeConfig: (themeConfig: Record<string, any>) => Promise<void>;
  setThemeMode: (mode: ThemeMode) => void;
  setDataMask: (dataMask: Record<string, any>) => Promise<any>;
  /**
   * Subscribes to a lifecycle event; returns the function that unsubscribes. Events emitted before
   * anyone subscribed to that event (the first `ready`, an `error` about the first token) are
   * delivered to its first listener, right after `on` returns.
   */
  on: <E extends keyof DashboardEvents>(event: E, listener: (detail: DashboardEvents[E]) => void) => () => void;
};

/** An Error from dashembed; `code` says which kind, `option` names a bad option. */
export interface DashembedError extends Error {
  code: ErrorCode;
  option?: string;
  /** With code WASM_LOAD_FAILED: why the wasm could not be loaded. */
  reason?: WasmLoadReason;
  /** With code WASM_LOAD_FAILED: the URL last tried. */
  url?: string;
}

/**
 * Why the SDK's wasm could not be loaded: the page's CSP forbids WebAssembly (add
 * 'wasm-unsafe-eval'), the file is missing, the server answered an error status or something
 * that is not the wasm, a cross-origin server sent no CORS headers, the browser is offline, the
 * request failed, or the bytes did not compile.
 */
export type WasmLoadReason = 'csp' | 'not-found' | 'http' | 'not-wasm' | 'cors' | 'offline' | 'network' | 'compile';

/**
 * Embeds a dashboard into params.mountPoint. Resolves once the dashboard's page has answered and
 * holds a guest token; rejects (and leaves nothing mounted) on a bad option, a first token that
 * cannot be fetched, or a page that never answers (`code: 'HANDSHAKE_TIMEOUT'`).
 */
export declare function embedDashboard(params: EmbedDashboardParams): Promise<EmbeddedDashboard>;
