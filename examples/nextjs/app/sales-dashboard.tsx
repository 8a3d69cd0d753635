'use client';

import { useState } from 'react';
import { Dashboard } from 'dashembed/react';

// Where the dashboard lives, inlined by next build. The defaults are
// `make dev`'s BI host and demo dashboard.
const biURL = process.env.NEXT_PUBLIC_BI_URL ?? 'http://127.0.0.1:8088';
const dashboardId = process.env.NEXT_PUBLIC_DASHBOARD_ID ?? '5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c';

// The app's own route handler (app/api/guest-token/route.ts) mints tokens.
async function fetchGuestToken(): Promise<string> {
  const response = await fetch('/api/guest-token', { method: 'POST' });
  const body = (await response.json()) as { token?: string; message?: string };
  if (!response.ok || !body.token) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body.token;
}

export default function SalesDashboard() {
  const [status, setStatus] = useState({ state: 'loading', text: 'Embedding…' });
  return (
    <>
      <p id="status" data-state={status.state}>{status.text}</p>
      <Dashboard
        id={dashboardId}
        supersetDomain={biURL}
        fetchGuestToken={fetchGuestToken}
        dashboardUiConfig={{ hideTitle: true }}
        autoResize={{ minHeight: 300 }}
        onReady={() => setStatus({ state: 'ready', text: 'The dashboard holds a guest token.' })}
        onError={(e) => setStatus({ state: 'error', text: `${e.code}: ${e.message}` })}
      />
    </>
  );
}
