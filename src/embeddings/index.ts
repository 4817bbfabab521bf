export type { CrystallizedEmbeddings } from './types.js';
export {
  crystallize,
  CT_DEFAULTS,
  type CrystallizeOptions,
  type CrystallizeKernel,
  type CrystallizeProgress,
} from './crystallize.js';
export {
  makeKernel,
  mobius,
  kernelGains,
  circularConvolveRows,
  circularConvolveRowsDirect,
  KERNEL_NAMES,
  type KernelName,
} from './kernel.js';
export { ppmi, symmetrize, type PpmiOptions } from './ppmi.js';
export {
  resolventEmbedding,
  resolventWeight,
  DEFAULT_EIGEN_TOLERANCE,
  type SpectralEmbedding,
  type SpectralWeighting,
} from './resolvent.js';
