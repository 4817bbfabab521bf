/** The model zoo stage: the papers' models built, trained and probed (see zoo.ts). */
export * from './attention.js';
export * from './inits.js';
export * from './probes.js';
export * from './zoo.js';
export * from './imports.js';
