/**
 * dashembed/element: importing it defines `<dashembed-dashboard>` (once per page, and not where
 * there is no DOM).
 */
import type { DashboardEvents, EmbedDashboardParams, EmbeddedDashboard, GuestTokenFetchFn } from './index.js';

/** The element's tag name. */
export declare const TAG: 'dashembed-dashboard';

/** The detail of the element's `error` event: a lifecycle error, or why embedding or a call failed. */
export type ElementErrorDetail = DashboardEvents['error'] & { option?: string; error?: Error };

/** The DOM events the element dispatches: each lifecycle event as a CustomEvent of the same name. */
export type DashembedDashboardEventMap = {
  [E in Exclude<keyof DashboardEvents, 'error'>]: CustomEvent<DashboardEvents[E]>;
} & { error: CustomEvent<ElementErrorDetail> };

/**
 * `<dashembed-dashboard dashboard-id domain ui-config auto-resize iframe-title referrer-policy debug>`.
 * It embeds once connected with a `fetchGuestToken`, and again when `dashboard-id` or `domain`
 * changes; it unmounts when disconnected. The dashboard's methods wait for the embed; with none
 * in progress they fail with code UNMOUNTED.
 */
export interface DashembedDashboardElement extends HTMLElement, Omit<EmbeddedDashboard, 'on' | 'unmount'> {
  /** Fetches guest tokens; setting a new one does not embed again (the latest is called). */
  fetchGuestToken: GuestTokenFetchFn | null;
  /** Further embedDashboard params, read when it embeds; attributes take precedence. */
  options: Partial<Omit<EmbedDashboardParams, 'mountPoint'>>;
  /** The embedded dashboard once it holds a token, else null. */
  readonly dashboard: EmbeddedDashboard | null;
  addEventListener<K extends keyof DashembedDashboardEventMap>(
    type: K,
    listener: (this: DashembedDashboardElement, ev: DashembedDashboardEventMap[K]) => any,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof DashembedDashboardEventMap>(
    type: K,
    listener: (this: DashembedDashboardElement, ev: DashembedDashboardEventMap[K]) => any,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'dashembed-dashboard': DashembedDashboardElement;
  }
}
