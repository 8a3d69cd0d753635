import { createSDK } from './sdk.js';

// Bundlers (Vite, webpack) recognise this exact form and ship the wasm as
// an asset next to the bundle; esbuild leaves it for the app to copy.
const sdk = createSDK([
  typeof globalThis.DASHEMBED_WASM_URL === 'string'
    ? globalThis.DASHEMBED_WASM_URL
    : new URL('./dashembed.wasm', import.meta.url).href,
]);

export const embedDashboard = sdk.embedDashboard;
