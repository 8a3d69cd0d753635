import { createSDK } from './sdk.js';
import { scriptRelativeURL } from './wasm-url.js';

const sdk = createSDK(scriptRelativeURL());

export const embedDashboard = sdk.embedDashboard;
