// Forwards to the backend that mints guest tokens (DASHEMBED_BACKEND_URL):
// the BI host's credentials stay on the server.
export async function POST() {
  const res = await fetch(`${process.env.DASHEMBED_BACKEND_URL}/api/guest-token`, { method: 'POST' });
  return new Response(res.body, { status: res.status, headers: { 'Content-Type': 'application/json' } });
}
