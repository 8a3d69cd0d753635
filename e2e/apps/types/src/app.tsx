// A React component (.tsx): react.d.ts, checked under each resolution.
import { useRef } from 'react';
import { Dashboard, useDashboard } from 'dashembed/react';
import type { EmbeddedDashboard } from 'dashembed';

const fetchGuestToken = async (): Promise<string> => 'a-token';

export function App({ id }: { id: string }) {
  const ref = useRef<EmbeddedDashboard | null>(null);
  const { ref: mount, dashboard, error } = useDashboard({ id, supersetDomain: 'https://bi.example.com', fetchGuestToken });
  return (
    <>
      <Dashboard
        ref={ref}
        id={id}
        supersetDomain="https://bi.example.com"
        fetchGuestToken={fetchGuestToken}
        dashboardUiConfig={{ hideTitle: true }}
        onReady={() => ref.current?.getScrollSize()}
        onResize={({ height }) => console.log(height.toFixed())}
        onError={({ code, message }) => console.warn(code, message)}
        style={{ height: 600 }}
      />
      {/* @ts-expect-error: fetchGuestToken is required */}
      <Dashboard id={id} supersetDomain="https://bi.example.com" />
      {/* @ts-expect-error: onResize gets a size, not a string */}
      <Dashboard id={id} supersetDomain="x" fetchGuestToken={fetchGuestToken} onResize={(s: string) => s} />
      <div ref={mount}>{dashboard ? 'ready' : error?.code}</div>
    </>
  );
}
