/**
 * Recursive Gaussian decomposition of a weight matrix (the "L1 / L2" fits), as a measurement that
 * works on any matrix.
 *
 * L1: a sample of rows, each row w_i (length D = cols) fitted as a sum of N Gaussians over the
 *     column index j = 0..D-1:  w_i[j] ~ sum_k A_k exp(-(j - mu_k)^2 / (2 sigma_k^2)).
 * L2: each of the 3N L1 parameters (A_k, mu_k, sigma_k), read as a signal over the sampled-row
 *     index 0..rows-1, fitted by M Gaussians of its own; rows are then rebuilt from L2 -> L1 -> row.
 *
 * Choices the method leaves open, and the reading taken here:
 * - Fitting is Levenberg-Marquardt (the algorithm behind scipy's curve_fit default; gaussian-lm.ts,
 *   a bit-exact port of ml-levenberg-marquardt's iteration) with the analytic Jacobian, run in
 *   restarted rounds with a gentler damping schedule than the library's default (see fitGaussians
 *   for why), at most 200 iterations a fit. Each signal is divided by its RMS before fitting (amplitudes scaled back after), so the
 *   same settings suit embedding rows (~1e-2) and center signals (~1e2).
 * - Initial guesses (both levels, `init`): centers evenly spaced at (D/(N+1))(k+1) or uniform
 *   random in [0, D); widths D/(2N); amplitudes the signal's values at the initial centers.
 * - Bounds: sigma in [0.5, 10 D] sample spacings (below half a spacing a Gaussian is a one-sample
 *   spike whose Jacobian vanishes, and sigma = 0 divides by zero); mu in [-D, 2D] so that a center
 *   cannot run off to infinity; amplitudes effectively unbounded.
 * - Components are ordered by center within each row ("component k" = the k-th from the left).
 *   Reordering a sum changes no reconstruction; it makes the L2 signals and the per-k averages
 *   compare like with like, which matters when the initial centers are random.
 * - R^2 = 1 - SSE / SST pooled over all sampled entries, SST around the pooled mean.
 * - "Linearly spaced eigenvalue positions" are read as the evenly spaced positions
 *   (D/(N+1))(k+1). Correlating sorted centers with them says only that the centers increase:
 *   four sorted uniform random numbers already give r ~ 0.95.
 * - sigmaSpacingR pairs the k-th width (by center, averaged over rows) with the eigenvalue gap
 *   lambda_k - lambda_{k+1} of the basis; ampSvR pairs the k-th mean |A| with s_k.
 * - A fit that throws or returns non-finite numbers is replaced by its initial guess and counted
 *   in `notes`; a bad row never aborts the measurement.
 */
import { runInWorker } from '../core/worker-pool.js';
import { fitSumOfGaussiansLm } from './gaussian-lm.js';
import type { Matrix } from '../linalg/matrix.js';
import { createRng, type Rng } from '../linalg/random.js';
import { pearson, pearsonPValue } from '../linalg/spectral.js';
import { z } from 'zod';
import { integer, oneOf } from './params.js';

export type InitialCenters = 'even' | 'random';

/** Spectrum of a reference matrix E (V, d), both descending: eigenvalues of E^T E, singular values of E. */
export interface SpectralBasis {
  eigenvalues: Float64Array;
  singularValues: Float64Array;
}

export interface GaussianDecompositionOptions {
  /** rows sampled uniformly without replacement (clamped to the matrix's row count) */
  rows: number;
  /** N, Gaussians per row at L1 */
  gaussians: number;
  /** M, Gaussians per L1 parameter signal at L2 */
  l2Gaussians: number;
  /** initial centers: evenly spaced (D/(N+1))(k+1), or uniform random in [0, D) */
  init: InitialCenters;
  seed: number;
  /** spectrum to correlate widths and amplitudes with; without it those correlations are NaN */
  basis?: SpectralBasis;
  /** at most this many LM iterations per fit (default 200) */
  maxIterations?: number;
}

export interface GaussianFitResult {
  /** indices of the sampled rows, ascending */
  sampledRows: number[];
  /** (rows, 3N) L1 parameters per sampled row: [A, mu, sigma] per component, components by center */
  l1: Matrix;
  /** (rows, 3N) the same parameters rebuilt from the L2 fits */
  l1FromL2: Matrix;
  /** cols / (3N) */
  compression: number;
  /** matrix rows x 3N: what L1 stores for the whole matrix */
  l1Params: number;
  l1Mse: number;
  l1R2: number;
  /** per k, the k-th smallest center averaged over sampled rows */
  centersSorted: number[];
  /** the evenly spaced positions (D/(N+1))(k+1) the centers are compared with */
  evenPositions: number[];
  centerSlope: number;
  centerIntercept: number;
  centerLinearR2: number;
  centerEvR: number;
  centerEvP: number;
  /** per k (by center), the mean fitted width and the mean |amplitude| */
  meanWidths: number[];
  meanAbsAmplitudes: number[];
  sigmaSpacingR: number;
  ampSvR: number;
  /** N x 3 x M x 3 */
  l2Params: number;
  /** matrix rows x cols / l2Params */
  l2Compression: number;
  l2Mse: number;
  l2R2: number;
  l1Failures: number;
  l2Failures: number;
  notes: string[];
}

/**
 * The params of the analyses that run a decomposition (embedding-gaussian-fits,
 * model-gaussian-fits). rows, gaussians and l2Gaussians have no default here: the values are a
 * reading of the paper that uses them, so its spec states them (Paper 56 §1.3: 32, 4, 3).
 */
export const gaussianFitParams = z.strictObject({
  /** initial centers, 'even' unless the spec asks for 'random' */
  init: oneOf(['even', 'random']).default('even'),
  rows: integer(1),
  gaussians: integer(1),
  l2Gaussians: integer(1),
});
export type GaussianFitParams = z.output<typeof gaussianFitParams>;

/** The decomposition options of parsed params, fitted with `seed`. */
export function decompositionOptions(params: GaussianFitParams, seed: number): GaussianDecompositionOptions {
  return { rows: params.rows, gaussians: params.gaussians, l2Gaussians: params.l2Gaussians, init: params.init, seed };
}

/** Gaussian parameters are stored flat: [A_0, mu_0, sigma_0, A_1, mu_1, sigma_1, ...]. */
const PARAMS_PER_GAUSSIAN = 3;
const MIN_SIGMA = 0.5;
const DEFAULT_MAX_ITERATIONS = 200;
/** LM iterations between restarts from the best point (see fitGaussians) */
const ROUND_ITERATIONS = 20;

export function gaussianDecomposition(w: Matrix, opts: GaussianDecompositionOptions): GaussianFitResult {
  const { gaussians: n, l2Gaussians: m, init } = opts;
  const d = w.cols;
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const notes: string[] = [];
  const rng = createRng(opts.seed);

  const rows = Math.min(opts.rows, w.rows);
  if (rows < opts.rows) notes.push(`only ${w.rows} rows: sampled all of them instead of ${opts.rows}`);
  const sampledRows = sampleWithoutReplacement(w.rows, rows, rng);
  const width = n * PARAMS_PER_GAUSSIAN;

  // L1: one fit per sampled row.
  const l1 = { rows, cols: width, data: new Float64Array(rows * width) }; // (rows, 3N)
  let l1Failures = 0;
  sampledRows.forEach((row, i) => {
    const y = w.data.subarray(row * d, (row + 1) * d);
    const fit = fitGaussians(y, n, init, rng, maxIterations);
    if (fit.failed) l1Failures++;
    l1.data.set(sortByCenter(fit.params), i * width);
  });
  if (l1Failures > 0) notes.push(`L1: ${l1Failures} of ${rows} row fits failed and kept their initial guess`);

  const l1Fit = reconstructionError(w, sampledRows, l1);

  // Center structure: the k-th smallest center, averaged over rows, against k.
  const centersSorted = columnMeans(l1, (p) => p[1], n);
  const evenPositions = Array.from({ length: n }, (_, k) => (d / (n + 1)) * (k + 1));
  const line = linearFit(centersSorted.map((_, k) => k), centersSorted);
  // Pearson r is invariant to affine maps of either side, so r against the evenly spaced positions
  // equals r against k: it is sqrt(centerLinearR2) with the sign of the slope, and it is high for
  // any increasing sequence (that is why the sort already makes it so).
  const centerEvR = pearson(centersSorted, evenPositions);
  const centerEvP = n >= 3 ? pearsonPValue(centerEvR, n) : NaN;

  // Widths against the spacing of the leading eigenvalues, lambda_k - lambda_{k+1} (k = 0..N-1);
  // |amplitudes| against the leading singular values s_k. Component k is the k-th by center.
  const meanWidths = columnMeans(l1, (p) => p[2], n);
  const meanAbsAmplitudes = columnMeans(l1, (p) => Math.abs(p[0]), n);
  let sigmaSpacingR = NaN;
  let ampSvR = NaN;
  const basis = opts.basis;
  if (!basis) {
    notes.push('no spectral basis given: sigmaSpacingR and ampSvR are NaN');
  } else {
    if (basis.eigenvalues.length > n) {
      const spacing = Array.from({ length: n }, (_, k) => basis.eigenvalues[k] - basis.eigenvalues[k + 1]);
      sigmaSpacingR = pearson(meanWidths, spacing);
    } else notes.push(`basis has ${basis.eigenvalues.length} eigenvalues, ${n + 1} needed: sigmaSpacingR is NaN`);
    if (basis.singularValues.length >= n) {
      ampSvR = pearson(meanAbsAmplitudes, basis.singularValues.subarray(0, n));
    } else notes.push(`basis has ${basis.singularValues.length} singular values, ${n} needed: ampSvR is NaN`);
  }

  // L2: each L1 parameter column is a signal over the sampled-row index.
  const l1FromL2 = { rows, cols: width, data: new Float64Array(rows * width) }; // (rows, 3N)
  let l2Failures = 0;
  const signal = new Float64Array(rows);
  for (let c = 0; c < width; c++) {
    for (let i = 0; i < rows; i++) signal[i] = l1.data[i * width + c];
    const fit = fitGaussians(signal, m, init, rng, maxIterations);
    if (fit.failed) l2Failures++;
    for (let i = 0; i < rows; i++) l1FromL2.data[i * width + c] = sumOfGaussians(fit.params, i);
  }
  if (l2Failures > 0) notes.push(`L2: ${l2Failures} of ${width} signal fits failed and kept their initial guess`);
  const l2Fit = reconstructionError(w, sampledRows, l1FromL2);

  const l2Params = n * PARAMS_PER_GAUSSIAN * m * PARAMS_PER_GAUSSIAN;
  return {
    sampledRows,
    l1,
    l1FromL2,
    compression: d / width,
    l1Params: w.rows * width,
    l1Mse: l1Fit.mse,
    l1R2: l1Fit.r2,
    centersSorted,
    evenPositions,
    centerSlope: line.slope,
    centerIntercept: line.intercept,
    centerLinearR2: line.r2,
    centerEvR,
    centerEvP,
    meanWidths,
    meanAbsAmplitudes,
    sigmaSpacingR,
    ampSvR,
    l2Params,
    l2Compression: (w.rows * w.cols) / l2Params,
    l2Mse: l2Fit.mse,
    l2R2: l2Fit.r2,
    l1Failures,
    l2Failures,
    notes,
  };
}

/**
 * gaussianDecomposition in a worker thread (core/worker-pool.ts), so that the decompositions of
 * several matrices and null draws run side by side; the result is the same as on the caller.
 */
export function gaussianDecompositionInWorker(w: Matrix, opts: GaussianDecompositionOptions): Promise<GaussianFitResult> {
  return runInWorker<GaussianFitResult>(import.meta.url, 'gaussianDecomposition', [w, opts]);
}

/** sum_k A_k exp(-(x - mu_k)^2 / (2 sigma_k^2)); a zero-width component contributes nothing. */
export function sumOfGaussians(params: ArrayLike<number>, x: number): number {
  let total = 0;
  for (let p = 0; p < params.length; p += PARAMS_PER_GAUSSIAN) {
    const variance = params[p + 2] * params[p + 2];
    if (variance === 0) continue;
    const dx = x - params[p + 1];
    total += params[p] * Math.exp((-dx * dx) / (2 * variance));
  }
  return total;
}

export interface GaussianFit {
  /** flat [A, mu, sigma] per component, in fit order */
  params: number[];
  /** the initial guess that the fit started from */
  initial: number[];
  /** true when LM threw or returned non-finite numbers; params is then the initial guess */
  failed: boolean;
}

/**
 * Fits `count` Gaussians to y over x = 0..len-1. Initial widths len/(2 count); initial amplitudes
 * the values of y at the initial centers (evenly spaced, or uniform random when init = 'random').
 */
export function fitGaussians(
  y: ArrayLike<number>,
  count: number,
  init: InitialCenters,
  rng: Rng,
  maxIterations = DEFAULT_MAX_ITERATIONS,
): GaussianFit {
  const len = y.length;
  const initial: number[] = [];
  for (let k = 0; k < count; k++) {
    const center = init === 'even' ? (len / (count + 1)) * (k + 1) : rng.uniform() * len;
    const nearest = Math.min(len - 1, Math.max(0, Math.round(center)));
    initial.push(y[nearest], center, Math.max(MIN_SIGMA, len / (2 * count)));
  }

  let scale = 0;
  for (let j = 0; j < len; j++) scale += y[j] * y[j];
  scale = Math.sqrt(scale / len);
  if (!Number.isFinite(scale)) return { params: initial.slice(), initial, failed: true };
  if (scale === 0 || len < 2) {
    // An all-zero row is fitted exactly by zero amplitudes; nothing to optimize.
    return { params: initial.map((v, i) => (i % PARAMS_PER_GAUSSIAN === 0 ? 0 : v)), initial, failed: false };
  }

  const yScaled = Float64Array.from(y, (v) => v / scale);
  const start = initial.map((v, i) => (i % PARAMS_PER_GAUSSIAN === 0 ? v / scale : v));
  const minValues: number[] = [];
  const maxValues: number[] = [];
  for (let k = 0; k < count; k++) {
    minValues.push(-1e9, -len, MIN_SIGMA);
    maxValues.push(1e9, 2 * len, 10 * len);
  }

  // The LM iteration (ml-levenberg-marquardt's, ported in gaussian-lm.ts) keeps every step,
  // uphill ones included, and only raises the damping after a bad one; once its current point has
  // wandered off it never returns to the best point it saw (it stalls at SSE ~10 on an exact
  // 4-Gaussian row of 256 samples). Classic LM rejects uphill steps. We get the same effect by
  // running it in short rounds, each restarted from the best parameters so far with the damping
  // reset, until a round no longer improves.
  // With that and a gentle damping schedule the fits recover exact Gaussian rows and, on noise
  // rows, reach a slightly lower SSE than scipy's curve_fit run to convergence.
  let params = start;
  let bestError = Infinity;
  try {
    for (let used = 0; used < maxIterations; ) {
      const round = fitSumOfGaussiansLm(yScaled, {
        initialValues: params,
        minValues,
        maxValues,
        maxIterations: Math.min(ROUND_ITERATIONS, maxIterations - used),
        damping: 1,
        dampingStepUp: 3,
        dampingStepDown: 2,
        // The only stopping test is squared error <= this; on RMS-1 data this low a threshold
        // means "use all iterations" (and lets small improvements count as improvements).
        errorTolerance: 1e-12,
      });
      used += Math.max(1, round.iterations);
      const improved = round.parameterError < bestError * (1 - 1e-9);
      if (round.parameterError < bestError) {
        bestError = round.parameterError;
        params = round.parameterValues;
      }
      if (!improved || bestError <= 1e-12) break;
    }
  } catch {
    return { params: initial.slice(), initial, failed: true };
  }
  if (!Number.isFinite(bestError) || !params.every(Number.isFinite)) return { params: initial.slice(), initial, failed: true };
  for (let k = 0; k < count; k++) params[k * PARAMS_PER_GAUSSIAN] *= scale;
  return { params, initial, failed: false };
}

/** The same Gaussians, reordered by ascending center. */
function sortByCenter(params: number[]): number[] {
  const components: number[][] = [];
  for (let p = 0; p < params.length; p += PARAMS_PER_GAUSSIAN) components.push(params.slice(p, p + PARAMS_PER_GAUSSIAN));
  return components.sort((a, b) => a[1] - b[1]).flat();
}

/** Mean over rows of f(component k's [A, mu, sigma]), for k = 0..count-1. */
function columnMeans(params: Matrix, f: (component: Float64Array) => number, count: number): number[] {
  const means = new Array<number>(count).fill(0);
  for (let i = 0; i < params.rows; i++) {
    for (let k = 0; k < count; k++) {
      const at = i * params.cols + k * PARAMS_PER_GAUSSIAN;
      means[k] += f(params.data.subarray(at, at + PARAMS_PER_GAUSSIAN));
    }
  }
  return means.map((s) => s / params.rows);
}

/**
 * MSE and pooled R^2 of rows rebuilt from per-row Gaussian parameters (rows, 3N) against the
 * sampled rows of w. Non-finite rebuilt values (possible after L2) make the result non-finite.
 */
function reconstructionError(w: Matrix, sampledRows: number[], params: Matrix): { mse: number; r2: number } {
  const d = w.cols;
  let sum = 0;
  for (const row of sampledRows) for (let j = 0; j < d; j++) sum += w.data[row * d + j];
  const count = sampledRows.length * d;
  const mean = sum / count;
  let sse = 0;
  let sst = 0;
  sampledRows.forEach((row, i) => {
    const rowParams = params.data.subarray(i * params.cols, (i + 1) * params.cols);
    for (let j = 0; j < d; j++) {
      const value = w.data[row * d + j];
      const residual = value - sumOfGaussians(rowParams, j);
      sse += residual * residual;
      sst += (value - mean) * (value - mean);
    }
  });
  return { mse: sse / count, r2: sst > 0 ? 1 - sse / sst : NaN };
}

/** Least-squares line y = slope x + intercept, with its R^2. */
export function linearFit(x: number[], y: number[]): { slope: number; intercept: number; r2: number } {
  const count = x.length;
  const meanX = x.reduce((s, v) => s + v, 0) / count;
  const meanY = y.reduce((s, v) => s + v, 0) / count;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < count; i++) {
    sxy += (x[i] - meanX) * (y[i] - meanY);
    sxx += (x[i] - meanX) ** 2;
    syy += (y[i] - meanY) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  // For a least-squares line, 1 - SSres/SStot = sxy^2 / (sxx syy).
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : NaN;
  return { slope, intercept, r2 };
}

/** `count` distinct indices from 0..total-1, uniformly (partial Fisher-Yates), ascending. */
export function sampleWithoutReplacement(total: number, count: number, rng: Rng): number[] {
  const indices = Int32Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.uniform() * (total - i));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return Array.from(indices.subarray(0, count)).sort((a, b) => a - b);
}
