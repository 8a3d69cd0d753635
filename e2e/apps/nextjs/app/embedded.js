'use client';

import { Dashboard } from 'dashembed/react';

// The app's backend mints guest tokens (app/api/guest-token/route.js).
const fetchGuestToken = () => {
  window.tokenFetches = (window.tokenFetches || 0) + 1;
  return fetch('/api/guest-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.token);
};

// Prerendered with the page: on the server <Dashboard> renders its empty
// container, and embeds once hydrated in the browser.
export default function Embedded() {
  return (
    <Dashboard
      id={process.env.NEXT_PUBLIC_DASHBOARD_ID}
      supersetDomain={process.env.NEXT_PUBLIC_BI_URL}
      fetchGuestToken={fetchGuestToken}
      onReady={() => document.body.setAttribute('data-ready', 'true')}
      onError={(e) => document.body.setAttribute('data-error', e.code)}
      className="dashboard"
      style={{ width: 800, height: 600 }}
    />
  );
}
