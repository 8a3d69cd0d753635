import { createSDK } from './sdk.js';

// Bundlers (Vite, webpack, esbuild) recognise this exact form and ship the
// wasm as an asset next to the bundle.
const sdk = createSDK(
  typeof globalThis.DASHEMBED_WASM_URL === 'string'
    ? globalThis.DASHEMBED_WASM_URL
    : new URL('./dashembed.wasm', import.meta.url),
);

export const embedDashboard = sdk.embedDashboard;
