// A CommonJS importer (require under node16/nodenext): index.d.cts, react.d.cts and element.d.cts.
import { embedDashboard, type EmbedDashboardParams } from 'dashembed';
import { Dashboard, useDashboard, type DashboardProps } from 'dashembed/react';
import { TAG } from 'dashembed/element';

const params: EmbedDashboardParams = {
  id: 'x',
  supersetDomain: 'https://bi.example.com',
  mountPoint: document.createElement(TAG),
  fetchGuestToken: async () => 't',
  autoResize: { minHeight: 300 },
};
export const embedded = embedDashboard(params).then((d) => d.getActiveTabs());
// @ts-expect-error: the id is a string
export const wrong: EmbedDashboardParams = { ...params, id: {} };

export const props: DashboardProps = { id: 'x', supersetDomain: 'https://bi.example.com', fetchGuestToken: async () => 't', onReady: () => {} };
export { Dashboard, useDashboard };
