import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { EmbeddedDashboard, ThemeMode } from 'dashembed';
import { Dashboard } from 'dashembed/react';

// Where the dashboard lives. The defaults are `make dev`'s BI host and demo
// dashboard; VITE_BI_URL and VITE_DASHBOARD_ID override them at build time.
const biURL: string = import.meta.env.VITE_BI_URL ?? 'http://127.0.0.1:8088';
const dashboardId: string = import.meta.env.VITE_DASHBOARD_ID ?? '5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c';

// The app's backend mints guest tokens: the BI host's credentials never
// reach the browser.
async function fetchGuestToken(): Promise<string> {
  const response = await fetch('/api/guest-token', { method: 'POST' });
  const body = (await response.json()) as { token?: string; message?: string };
  if (!response.ok || !body.token) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body.token;
}

type Status = { state: 'loading' | 'ready' | 'error'; text: string };

function App() {
  const dashboard = useRef<EmbeddedDashboard>(null);
  const [status, setStatus] = useState<Status>({ state: 'loading', text: 'Embedding…' });
  const [theme, setTheme] = useState<ThemeMode>('default');

  const toggleTheme = () => {
    const next: ThemeMode = theme === 'dark' ? 'default' : 'dark';
    dashboard.current?.setThemeMode(next);
    setTheme(next);
  };

  return (
    <main>
      <h1>Sales</h1>
      <p id="status" data-state={status.state}>{status.text}</p>
      <button id="theme" onClick={toggleTheme} disabled={status.state !== 'ready'}>
        {theme === 'dark' ? 'Light' : 'Dark'} theme
      </button>
      {/* Inline callbacks are fine: the component calls the latest ones without re-embedding. */}
      <Dashboard
        ref={dashboard}
        id={dashboardId}
        supersetDomain={biURL}
        fetchGuestToken={fetchGuestToken}
        dashboardUiConfig={{ hideTitle: true, filters: { expanded: false } }}
        autoResize={{ minHeight: 300 }}
        onReady={() => setStatus({ state: 'ready', text: 'The dashboard holds a guest token.' })}
        onTokenError={(e) => setStatus({ state: 'error', text: `Token problem: ${e.error}` })}
        onError={(e) => setStatus({ state: 'error', text: `${e.code}: ${e.message}` })}
      />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
