import { globals } from 'dashembed:spec';
import { createSDK } from './sdk.js';
import { scriptRelativeURL } from './wasm-url.js';

// A <script> tag gets the same API under every name the BI hosts' docs use:
// Superset's, Preset's and CalabiIQ's, and ours.
const api = Object.freeze({ embedDashboard: createSDK(scriptRelativeURL()).embedDashboard });
for (const name of globals) {
  globalThis[name] = api;
}
