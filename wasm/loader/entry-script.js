import { globals } from 'dashembed:spec';
import { createSDK } from './sdk.js';
import { scriptSources } from './wasm-url.js';

// A <script> tag gets the same API under every name the BI hosts' docs use:
// Superset's, Preset's and CalabiIQ's, and ours. These are the only globals
// the SDK defines.
const api = Object.freeze({ embedDashboard: createSDK(scriptSources()).embedDashboard });
for (const name of globals) {
  globalThis[name] = api;
}
