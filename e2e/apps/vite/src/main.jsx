import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Dashboard } from 'dashembed/react';

// The BI host and the dashboard come from the page's query: ?bi=…&id=…
const query = new URLSearchParams(location.search);

// What the tests read: how often a token was fetched, the events seen, and
// handles to re-render the app or point it at another domain.
window.tokenFetches = 0;
window.events = [];

function App() {
  const [domain, setDomain] = useState(query.get('bi'));
  const [renders, setRenders] = useState(0);
  const dashboard = useRef(null);
  window.app = { setDomain, rerender: () => setRenders((n) => n + 1), dashboard };
  // A new function on every render, as apps write them inline.
  const fetchGuestToken = () => {
    window.tokenFetches++;
    return fetch('/api/guest-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.token);
  };
  return (
    <main data-renders={renders}>
      <Dashboard
        ref={dashboard}
        id={query.get('id')}
        supersetDomain={domain}
        fetchGuestToken={fetchGuestToken}
        dashboardUiConfig={{ hideTitle: true }}
        onReady={() => window.events.push(`ready ${renders}`)}
        onError={(e) => window.events.push(`error ${e.code}`)}
        style={{ width: 800, height: 600 }}
      />
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
