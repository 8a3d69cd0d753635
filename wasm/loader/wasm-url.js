import { wasmFile } from 'dashembed:spec';
import { wasmGzFile } from 'dashembed:build';

// scriptSources lists where a classic script or a CommonJS bundle looks for
// the wasm: the page's globalThis.DASHEMBED_WASM_URL if it set one, else
// next to the script that is running now, where the build writes it —
// first the gzip-compressed copy with the content-hashed name (small on
// the wire from any server, cacheable for ever), then the plain file.
export function scriptSources() {
  if (typeof globalThis.DASHEMBED_WASM_URL === 'string') return [globalThis.DASHEMBED_WASM_URL];
  const script = typeof document !== 'undefined' ? document.currentScript : null;
  const base = (script && script.src) || (typeof location !== 'undefined' ? location.href : '');
  // No page (Node, server-side rendering): importing must not throw, and
  // embedDashboard rejects with NO_BROWSER before it needs the URL.
  if (!base) return [wasmFile];
  return [new URL(wasmGzFile, base).href, new URL(wasmFile, base).href];
}
