import { wasmFile } from 'dashembed:spec';

// scriptRelativeURL finds the wasm for a classic script or a CommonJS
// bundle: next to the script that is running now, where the build writes
// it, unless the page says otherwise with globalThis.DASHEMBED_WASM_URL.
export function scriptRelativeURL() {
  if (typeof globalThis.DASHEMBED_WASM_URL === 'string') return globalThis.DASHEMBED_WASM_URL;
  const script = typeof document !== 'undefined' ? document.currentScript : null;
  const base = (script && script.src) || (typeof location !== 'undefined' ? location.href : '');
  // No page (Node, server-side rendering): importing must not throw, and
  // embedDashboard rejects with NO_BROWSER before it needs the URL.
  return base ? new URL(wasmFile, base).href : wasmFile;
}
