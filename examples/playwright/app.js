// A host app in plain Node: a page that embeds the dashboard with the SDK
// from the BI host, and a backend that logs in to the BI host and mints
// each visitor a guest token limited to their customer's rows.
//
// Configuration, as a real app keeps it: BI_URL, BI_USERNAME, BI_PASSWORD,
// DASHBOARD_UUID, PORT (default 3000).
import http from 'node:http';

const BI_URL = (process.env.BI_URL || 'http://127.0.0.1:8088').replace(/\/$/, '');
const DASHBOARD_UUID = process.env.DASHBOARD_UUID || '7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e';
const USERNAME = process.env.BI_USERNAME || 'admin';
const PASSWORD = process.env.BI_PASSWORD || 'admin';
const PORT = Number(process.env.PORT || 3000);

// The customers a visitor may be; the RLS clause is built from this list,
// never from what the browser sent.
const CUSTOMERS = ['northwind', 'contoso'];

async function biPost(path, body, accessToken) {
  const headers = { 'Content-Type': 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const res = await fetch(BI_URL + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function guestToken(customer) {
  const login = await biPost('/api/v1/security/login', { username: USERNAME, password: PASSWORD, provider: 'db' });
  const { token } = await biPost('/api/v1/security/guest_token/', {
    user: { username: `${customer}-viewer`, first_name: customer, last_name: 'Viewer' },
    resources: [{ type: 'dashboard', id: DASHBOARD_UUID }],
    rls: [{ clause: `customer = '${customer}'` }],
  }, login.access_token);
  return token;
}

function page(customer) {
  return `<!doctype html>
<meta charset="utf-8"><title>Orders for ${customer}</title>
<h1>Orders for ${customer}</h1>
<div id="dashboard" style="height: 600px"></div>
<script src="${BI_URL}/static/assets/embedded.js"></script>
<script>
  supersetEmbeddedSdk.embedDashboard({
    id: ${JSON.stringify(DASHBOARD_UUID)},
    supersetDomain: ${JSON.stringify(BI_URL)},
    mountPoint: document.getElementById('dashboard'),
    fetchGuestToken: () => fetch('/api/guest-token?customer=${customer}', { method: 'POST' })
      .then((r) => r.json()).then((j) => j.token),
    dashboardUiConfig: { hideTitle: true },
  }).then(
    () => { document.body.dataset.embed = 'ready'; },
    (e) => { document.body.dataset.embed = 'error: ' + e.message; },
  );
</script>`;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const customer = url.searchParams.get('customer') || CUSTOMERS[0];
  if (!CUSTOMERS.includes(customer)) {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `unknown customer ${customer}` }));
    return;
  }
  try {
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(customer));
    } else if (req.method === 'POST' && url.pathname === '/api/guest-token') {
      const token = await guestToken(customer);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token }));
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not found' }));
    }
  } catch (e) {
    res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: String(e.message || e) }));
  }
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`app listening on http://localhost:${server.address().port}/`);
});
