/** The stage-graph engine: declarations, keys, the checksummed store (see graph.ts). */
export * from './graph.js';
export * from './hash.js';
export * from './source.js';
export * from './store.js';
