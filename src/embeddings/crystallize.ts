/**
 * The Crystallization Transform (CT): token embeddings computed from corpus co-occurrence alone,
 * without gradients. Paper 51 is not available; Papers 54, 56 and 57 quote it only in passing
 * ("MobiusKernel K0 embeddings, derived from bigram co-occurrence via
 * W = ifft2(fft2(D) * fft2(circ(k[0])))", "K_inf, the infinite-order co-occurrence limit",
 * symmetric by construction, (15007, 256), frozen during SFT). This file implements one reading,
 * stated for the reports in papers/readings/methods.ts; every choice in it is an option of `crystallize`.
 *
 * Paired spectra (Paper 56 reports paired eigenvalues of E^T E). The kernel step is E = D C with
 * C the (d, d) circulant of k0, so E^T E = C^T (D^T D) C. C is diagonalized by the Fourier basis
 * with gains |fft(k0)[m]|, and for a real k0 the modes m and d - m share a gain. D's columns are
 * orthogonal, D^T D = diag(f(lambda)). With flat weights (weighting 'flat') E^T E is circulant and
 * its eigenvalues |fft(k0)[m]|^2 come in exact pairs, modes 0 and d/2 unpaired, whatever the
 * corpus: pairs are then a property of the kernel step, not of the corpus. Non-flat weights
 * perturb that circulant; pairs survive only where the gains of different frequencies are far
 * apart compared with the perturbation. Measured on Brown (V 2,000, d 64): the smooth 'gaussian'
 * kernel keeps near pairs (within ~5%) under one unpaired leading value, while the default Möbius
 * kernel, whose gains are nearly flat over many frequencies, shows no pairs at all.
 */
import type { CorpusStatistics } from '../corpus/types.js';
import { type Matrix } from '../linalg/matrix.js';
import type { CrystallizedEmbeddings } from './types.js';
import { circularConvolveRows, isPowerOfTwo, type KernelName, KERNEL_NAMES, makeKernel } from './kernel.js';
import { ppmi, symmetrize } from './ppmi.js';
import { DEFAULT_EIGEN_TOLERANCE, resolventEmbedding, type SpectralWeighting } from './resolvent.js';

export type CrystallizeKernel = KernelName;

export interface CrystallizeOptions {
  /** embedding width d */
  dModel: number;
  /** seed of the eigensolver's random start: the result is a pure function of it, and depends on it only within the solver tolerance */
  seed: number;
  /** co-occurrence window: 1 (K_2, adjacent tokens) or 2 (K_3_skip, the default) */
  window?: number;
  /** decay of the walk series in K_inf, in [0, 1); default 0.5 */
  alpha?: number;
  /** the kernel k0 of the circular step; default 'mobius' */
  kernel?: CrystallizeKernel;
  /** width of the 'gaussian' kernel in embedding coordinates; default d / 16 */
  gaussianWidth?: number;
  /** PPMI context-distribution smoothing exponent; default 1 (plain PPMI) */
  contextSmoothing?: number;
  /** RMS of the entries of the final E; default 1 */
  targetRms?: number;
  /** column weights of D: 'resolvent' (sqrt f(lambda), the default) or 'flat' (orthonormal U_d) */
  weighting?: SpectralWeighting;
  /** eigensolver stopping rule, residuals below this times lambda_max; default 1e-4 */
  eigenTolerance?: number;
}

/** Same shape as the pipeline's progress hook: start a labelled loop, get a tick function back. */
export type CrystallizeProgress = (label: string, total: number) => (done?: number) => void;

export const CT_DEFAULTS = {
  window: 2,
  alpha: 0.5,
  kernel: 'mobius' as CrystallizeKernel,
  contextSmoothing: 1,
  targetRms: 1,
  weighting: 'resolvent' as SpectralWeighting,
  eigenTolerance: DEFAULT_EIGEN_TOLERANCE,
};

export function crystallize(
  stats: CorpusStatistics,
  opts: CrystallizeOptions,
  progress?: CrystallizeProgress,
): CrystallizedEmbeddings {
  const window = opts.window ?? CT_DEFAULTS.window;
  const alpha = opts.alpha ?? CT_DEFAULTS.alpha;
  const kernelName = opts.kernel ?? CT_DEFAULTS.kernel;
  const contextSmoothing = opts.contextSmoothing ?? CT_DEFAULTS.contextSmoothing;
  const targetRms = opts.targetRms ?? CT_DEFAULTS.targetRms;
  const weighting = opts.weighting ?? CT_DEFAULTS.weighting;
  const eigenTolerance = opts.eigenTolerance ?? CT_DEFAULTS.eigenTolerance;
  const d = opts.dModel;
  const V = stats.vocabSize;
  if (window !== 1 && window !== 2) {
    throw new Error(`crystallize: window must be 1 (K_2) or 2 (K_3_skip), got ${window}; the statistics hold no wider counts`);
  }
  if (!KERNEL_NAMES.includes(kernelName)) {
    throw new Error(`crystallize: unknown kernel "${kernelName}" (choose one of: ${KERNEL_NAMES.join(', ')})`);
  }
  if (!Number.isInteger(d) || d < 2 || d > V) {
    throw new Error(`crystallize: dModel must be an integer between 2 and the vocabulary size ${V}, got ${d}`);
  }
  if (weighting !== 'resolvent' && weighting !== 'flat') {
    throw new Error(`crystallize: weighting must be 'resolvent' or 'flat', got "${weighting as string}"`);
  }
  if (!(targetRms > 0)) throw new Error(`crystallize: targetRms must be positive, got ${targetRms}`);

  const tick = progress?.('crystallize', 4);

  // (1) symmetric windowed co-occurrence, (V, V) sparse
  const cooccurrence = symmetrize(window === 1 ? stats.k2 : stats.k3skip);
  // (2) PPMI, (V, V) sparse, symmetric
  const pmi = ppmi(cooccurrence, { contextSmoothing });
  if (pmi.rowPtr[pmi.rows] === 0) {
    throw new Error('crystallize: the co-occurrence matrix has no positive PMI entry (corpus too small?)');
  }
  tick?.(1);

  // (3) K_inf truncated to the top-d eigenpairs: D (V, d)
  const spectral = resolventEmbedding(pmi, d, { alpha, seed: opts.seed, weighting, tol: eigenTolerance });
  tick?.(2);

  // (4) the kernel step: every row of D circularly convolved with k0, (V, d)
  const kernel = makeKernel(kernelName, d, { gaussianWidth: opts.gaussianWidth });
  const embeddings = circularConvolveRows(spectral.embedding, kernel);
  tick?.(3);

  const rms = rootMeanSquare(embeddings);
  if (!(rms > 0)) throw new Error('crystallize: the embedding is zero (no co-occurrence structure to embed)');
  for (let i = 0; i < embeddings.data.length; i++) embeddings.data[i] *= targetRms / rms;
  tick?.(4);

  return {
    embeddings,
    spectral: spectral.embedding,
    kernel,
    params: {
      method: 'crystallization-transform',
      vocabSize: V,
      dModel: d,
      window,
      alpha,
      weighting,
      kernel: kernelName,
      ...(kernelName === 'gaussian' ? { gaussianWidth: opts.gaussianWidth ?? d / 16 } : {}),
      contextSmoothing,
      targetRms,
      seed: opts.seed,
      fft: isPowerOfTwo(d) ? 'fft.js real transforms' : 'direct O(d^2) convolution (d is not a power of two)',
      cooccurrenceNonzeros: cooccurrence.rowPtr[V],
      ppmiNonzeros: pmi.rowPtr[V],
      lambdaMax: spectral.lambdaMax,
      lambdaMin: spectral.eigenvalues[d - 1],
      eigenTolerance,
      eigenIterations: spectral.solver.iterations,
      eigenMatvecs: spectral.solver.matvecs,
      eigenConverged: spectral.solver.converged ? 'yes' : 'no',
      eigenMaxRelativeResidual: spectral.solver.maxRelativeResidual,
      scale: targetRms / rms,
    },
  };
}

function rootMeanSquare(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += m.data[i] * m.data[i];
  return Math.sqrt(s / m.data.length);
}
