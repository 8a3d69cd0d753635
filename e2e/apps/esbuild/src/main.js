import 'dashembed/element';

// The BI host and the dashboard come from the page's query: ?bi=…&id=…
const query = new URLSearchParams(location.search);
window.events = [];

const el = document.getElementById('dashboard');
for (const name of ['ready', 'tokenRefreshed', 'resize', 'error']) {
  el.addEventListener(name, (e) => window.events.push({ name, code: e.detail.code, message: e.detail.message }));
}
el.setAttribute('dashboard-id', query.get('id'));
el.setAttribute('domain', query.get('bi'));
el.fetchGuestToken = () => fetch('/api/guest-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.token);
