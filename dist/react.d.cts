// The types of require('dashembed/react'): those of react.d.ts, declared for a CommonJS importer.
export type * from './react.js' with { 'resolution-mode': 'import' };
export declare const Dashboard: typeof import('./react.js', { with: { 'resolution-mode': 'import' } }).Dashboard;
export declare const useDashboard: typeof import('./react.js', { with: { 'resolution-mode': 'import' } }).useDashboard;
