import { createSDK } from './sdk.js';
import { scriptSources } from './wasm-url.js';

const sdk = createSDK(scriptSources());

export const embedDashboard = sdk.embedDashboard;
