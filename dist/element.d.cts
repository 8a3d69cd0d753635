// The types of require('dashembed/element'): those of element.d.ts, declared for a CommonJS importer.
export type * from './element.js' with { 'resolution-mode': 'import' };
export declare const TAG: typeof import('./element.js', { with: { 'resolution-mode': 'import' } }).TAG;
