// The name of the wasm file, which the build writes next to the bundles.
export const WASM_FILE = 'dashembed.wasm';

// scriptRelativeURL finds the wasm for a classic script or a CommonJS
// bundle: next to the script that is running now, unless the page says
// otherwise with globalThis.DASHEMBED_WASM_URL.
export function scriptRelativeURL() {
  if (typeof globalThis.DASHEMBED_WASM_URL === 'string') return globalThis.DASHEMBED_WASM_URL;
  const script = typeof document !== 'undefined' ? document.currentScript : null;
  const base = (script && script.src) || (typeof location !== 'undefined' ? location.href : '');
  return new URL(WASM_FILE, base).href;
}
