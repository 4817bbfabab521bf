export * from './batches.js';
export * from './checkpoint.js';
export * from './schedule.js';
export * from './step-runner.js';
export * from './throughput.js';
export * from './trainer.js';
export * from './placement.js';
