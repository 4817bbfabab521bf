export * from './execution-providers.js';
export * from './session.js';
export * from './gpt-inference.js';
