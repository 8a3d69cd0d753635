import { StrictMode, createElement, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useDashboard } from 'dashembed/react';

const query = new URLSearchParams(location.search);
window.tokenFetches = 0;

function App() {
  const { ref, dashboard, error } = useDashboard({
    id: query.get('id'),
    supersetDomain: query.get('bi'),
    fetchGuestToken: () => {
      window.tokenFetches++;
      return fetch('/api/guest-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.token);
    },
  });
  useEffect(() => {
    window.dashboard = dashboard;
  }, [dashboard]);
  return createElement('div', { ref, style: { width: 800, height: 600 }, 'data-error': error ? error.code : '' });
}

createRoot(document.getElementById('root')).render(createElement(StrictMode, null, createElement(App)));
