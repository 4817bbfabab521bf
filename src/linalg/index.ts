/** The linear-algebra stage: Float64 matrices, custom SVD and eigen solvers, spectral statistics. */
export * from './matrix.js';
export * from './kernels.js';
export { availableThreads, warmUpThreads } from './parallel.js';
export * from './random.js';
export * from './qr.js';
export * from './svd.js';
export * from './symmetric-eig.js';
export * from './spectral.js';
export * from './eigenvalues.js';
export * from './topk.js';
