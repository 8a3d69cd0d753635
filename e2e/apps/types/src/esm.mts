// An ES module importer: index.d.ts and element.d.ts.
import { embedDashboard, type DashembedError, type EmbeddedDashboard, type ErrorCode } from 'dashembed';
import { TAG } from 'dashembed/element';

const el = document.createElement(TAG);
el.fetchGuestToken = async () => 'a-token';
el.addEventListener('tokenRefreshed', (e) => console.log(e.detail.exp.toFixed()));
el.addEventListener('error', (e) => console.log(e.detail.code satisfies ErrorCode, e.detail.option));
const size: Promise<{ width: number; height: number }> = el.getScrollSize();
// @ts-expect-error: the element unmounts when it leaves the document
el.unmount();
// @ts-expect-error: fetchGuestToken returns a Promise of a string
el.fetchGuestToken = () => 42;

export async function embed(mountPoint: HTMLElement): Promise<EmbeddedDashboard> {
  try {
    const d = await embedDashboard({ id: 'x', supersetDomain: 'https://bi.example.com', mountPoint, fetchGuestToken: async () => 't' });
    d.on('tokenError', ({ code, retryInMs }) => console.log(code, retryInMs));
    // @ts-expect-error: not an event
    d.on('loaded', () => {});
    return d;
  } catch (err) {
    throw new Error((err as DashembedError).code, { cause: await size });
  }
}
// @ts-expect-error: mountPoint is required
void embedDashboard({ id: 'x', supersetDomain: 'https://bi.example.com', fetchGuestToken: async () => 't' });
