import {
  embedDashboard,
  type DashboardEvents,
  type EmbedDashboardParams,
  type EmbeddedDashboard,
} from 'dashembed';

// Where the dashboard lives. The defaults are `make dev`'s BI host and demo
// dashboard; VITE_BI_URL and VITE_DASHBOARD_ID override them at build time.
const biURL: string = import.meta.env.VITE_BI_URL ?? 'http://127.0.0.1:8088';
const dashboardId: string = import.meta.env.VITE_DASHBOARD_ID ?? '5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c';

const statusEl = document.querySelector<HTMLElement>('#status')!;
const mountPoint = document.querySelector<HTMLElement>('#dashboard')!;
const eventsEl = document.querySelector<HTMLOListElement>('#events')!;

function setStatus(state: 'loading' | 'ready' | 'error', text: string): void {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
}

function logEvent<E extends keyof DashboardEvents>(name: E, detail: DashboardEvents[E]): void {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${name} ${JSON.stringify(detail)}`;
  eventsEl.prepend(li);
}

// The app's backend mints guest tokens: the BI host's credentials never
// reach the browser.
async function fetchGuestToken(): Promise<string> {
  const response = await fetch('/api/guest-token', { method: 'POST' });
  const body = (await response.json()) as { token?: string; message?: string };
  if (!response.ok || !body.token) {
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  return body.token;
}

const params: EmbedDashboardParams = {
  id: dashboardId,
  supersetDomain: biURL,
  mountPoint,
  fetchGuestToken,
  dashboardUiConfig: { hideTitle: true, filters: { expanded: false } },
  autoResize: { minHeight: 300 },
};

async function main(): Promise<void> {
  const dashboard: EmbeddedDashboard = await embedDashboard(params);
  dashboard.on('ready', (detail) => {
    logEvent('ready', detail);
    setStatus('ready', 'The dashboard holds a guest token.');
  });
  dashboard.on('tokenRefreshed', (detail) => logEvent('tokenRefreshed', detail));
  dashboard.on('resize', (size) => logEvent('resize', size));
  dashboard.on('tokenError', (detail) => {
    logEvent('tokenError', detail);
    setStatus('error', `Token problem: ${detail.error} (retrying in ${Math.round(detail.retryInMs / 1000)} s)`);
  });
  dashboard.on('error', (detail) => {
    logEvent('error', detail);
    setStatus('error', `${detail.code}: ${detail.message}`);
  });
}

main().catch((err: unknown) => {
  setStatus('error', `embedDashboard failed: ${err instanceof Error ? err.message : String(err)}`);
});
