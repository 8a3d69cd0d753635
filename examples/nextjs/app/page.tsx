import SalesDashboard from './sales-dashboard';

// A server component, prerendered by next build; the dashboard is a client
// component in it, which renders an empty container on the server.
export default function Page() {
  return (
    <main>
      <h1>Sales</h1>
      <SalesDashboard />
    </main>
  );
}
