/**
 * dashembed/react: a `<Dashboard>` component and a `useDashboard` hook over `embedDashboard`.
 * React 18 and 19; nothing is embedded on the server.
 */
import type { CSSProperties, ForwardRefExoticComponent, RefAttributes, RefCallback } from 'react';
import type { DashboardEvents, DashembedError, EmbedDashboardParams, EmbeddedDashboard } from './index.js';

/** A prop per lifecycle event, called with its detail: `onReady`, `onTokenRefreshed`, `onError`, … */
export type DashboardEventProps = {
  [E in keyof DashboardEvents as `on${Capitalize<E>}`]?: (detail: DashboardEvents[E]) => void;
};

/**
 * embedDashboard's params without `mountPoint`, plus the event props. The dashboard is embedded
 * again only when `id` or the domain changes; callbacks may change identity on every render (the
 * latest is called); other options are read when it embeds.
 */
export type UseDashboardOptions = Omit<EmbedDashboardParams, 'mountPoint'> & DashboardEventProps;

export type UseDashboardResult = {
  /** Attach to the element the dashboard is mounted in. */
  ref: RefCallback<HTMLElement>;
  /** The embedded dashboard once it holds a token, else null. */
  dashboard: EmbeddedDashboard | null;
  /** Why embedDashboard rejected (`error.code`), else null. */
  error: DashembedError | null;
};

export declare function useDashboard(options: UseDashboardOptions): UseDashboardResult;

export type DashboardProps = UseDashboardOptions & {
  className?: string;
  style?: CSSProperties;
};

/** Renders a `<div>` and embeds the dashboard in it; its ref is the EmbeddedDashboard (null until ready). */
export declare const Dashboard: ForwardRefExoticComponent<DashboardProps & RefAttributes<EmbeddedDashboard | null>>;
