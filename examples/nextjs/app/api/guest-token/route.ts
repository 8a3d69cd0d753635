// The browser asks this app for guest tokens; the backend that mints them
// (DASHEMBED_BACKEND_URL, by default `make dev`'s demo host app) holds the
// BI host's credentials. A real app mints them here, e.g. with its own
// session's tenant.
const backend = process.env.DASHEMBED_BACKEND_URL ?? 'http://127.0.0.1:8080';

export async function POST(): Promise<Response> {
  const res = await fetch(`${backend}/api/guest-token`, { method: 'POST' });
  return new Response(res.body, { status: res.status, headers: { 'Content-Type': 'application/json' } });
}
