// The types of require('dashembed'): those of the ES module entry
// (index.d.ts), declared for a CommonJS importer.
export type * from './index.js' with { 'resolution-mode': 'import' };
export declare const embedDashboard: typeof import('./index.js', { with: { 'resolution-mode': 'import' } }).embedDashboard;
