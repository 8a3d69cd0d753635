import { embedDashboard } from 'dashembed';

// The BI host and the dashboard come from the page's query: ?bi=…&id=…
const query = new URLSearchParams(location.search);

window.embedded = embedDashboard({
  id: query.get('id'),
  supersetDomain: query.get('bi'),
  mountPoint: document.getElementById('dashboard'),
  fetchGuestToken: () => fetch('/api/guest-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.token),
}).then((dashboard) => (window.dashboard = dashboard));
