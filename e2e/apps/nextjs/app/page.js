import Embedded from './embedded';

// A server component, prerendered at build time; the dashboard is a client
// component inside it.
export default function Page() {
  return (
    <main>
      <h1>Sales</h1>
      <Embedded />
    </main>
  );
}
