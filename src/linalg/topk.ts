/**
 * Leading parts of large spectra without a full decomposition.
 *
 * topKSvd: randomized block Krylov iteration (Musco & Musco 2015), see below. Accuracy: for
 * decaying spectra (co-occurrence matrices) the leading values come out to ~1e-10 relative; the
 * hardest case is a flat spectrum (i.i.d. Gaussian), measured in bench/svd.ts.
 *
 * topKSymmetricEig: Chebyshev-filtered subspace iteration (Zhou & Saad 2007) for the k largest
 * ALGEBRAIC eigenvalues. A few Lanczos steps bound the spectrum; each round applies a Chebyshev
 * polynomial of the operator that is at most 1 in magnitude on [lower bound, current cut] and
 * grows quickly above the cut, re-orthonormalizes, and does a Rayleigh-Ritz step. It stops when
 * every wanted Ritz pair has ||A x - theta x|| <= tol * ||A||, so the eigenvalues are accurate to
 * about tol * ||A|| (and, when well separated, to (tol ||A||)^2 / gap).
 */
import { type Matrix, zeros, transpose } from './matrix.js';
import { matmulFast, matmulTransA, matmulTransASymmetric } from './kernels.js';
import { gaussianMatrix } from './random.js';
import { orthonormalize } from './qr.js';
import { svd, type SvdResult } from './svd.js';
import { symmetricEig } from './symmetric-eig.js';
import { availableThreads, toShared } from './parallel.js';

/** A (rows, cols) linear map given by its products with blocks of vectors. */
export interface LinearOperator {
  rows: number;
  cols: number;
  /** (cols, b) -> (rows, b) */
  apply(x: Matrix): Matrix;
  /** (rows, b) -> (cols, b) */
  applyT(x: Matrix): Matrix;
}

/** A symmetric (n, n) linear map. */
export interface SymmetricOperator {
  n: number;
  /** (n, b) -> (n, b) */
  apply(x: Matrix): Matrix;
}

export interface TopKSvdOptions {
  seed?: number;
  /** extra columns in each Krylov block (default 10) */
  oversample?: number;
  /** Krylov depth: applications of A A^T after the first product (default 4) */
  powerIters?: number;
}

/**
 * Wraps a dense matrix. A^T is formed once so that both products stream contiguous rows, and
 * both live in shared memory so that every product can be split across threads without copies.
 */
export function denseOperator(a: Matrix): LinearOperator {
  const share = (m: Matrix): Matrix => (availableThreads() > 1 ? { rows: m.rows, cols: m.cols, data: toShared(m.data) } : m);
  const operand = share(a);
  let at: Matrix | null = null;
  return {
    rows: a.rows,
    cols: a.cols,
    apply: (x) => matmulFast(operand, x),
    applyT: (x) => {
      at ??= share(transpose(a));
      return matmulFast(at, x);
    },
  };
}

function isMatrix(a: Matrix | LinearOperator): a is Matrix {
  return (a as Matrix).data !== undefined;
}

/**
 * Leading k singular triplets: U (rows, k), S (k) descending, V (cols, k), by randomized block
 * Krylov iteration (Musco & Musco 2015) with full re-orthogonalization:
 *
 *   Q_0 = orth(A G), G Gaussian (cols, b), b = k + oversample;
 *   Z_j = A^T Q_j;  Q_{j+1} = orth(A Z_j minus its projection on Q_0..Q_j),  j < powerIters;
 *   then A ~ Q Q^T A with B^T = Q^T... = [Z_0 .. Z_q] already computed, and an exact SVD of B^T.
 *
 * 2 (powerIters + 1) products with b columns, like subspace iteration with powerIters rounds,
 * but the whole Krylov space is kept, which converges far faster on flat spectra.
 */
export function topKSvd(a: Matrix | LinearOperator, k: number, opts: TopKSvdOptions = {}): SvdResult {
  const op = isMatrix(a) ? denseOperator(a) : a;
  const { rows: m, cols: n } = op;
  const maxRank = Math.min(m, n);
  if (k < 1 || k > maxRank) throw new Error(`topKSvd: k = ${k} outside 1..${maxRank}`);
  const blockWidth = Math.min(maxRank, k + (opts.oversample ?? 10));
  // The Krylov space cannot usefully exceed the rank.
  const depth = Math.max(0, Math.min(opts.powerIters ?? 4, Math.floor(maxRank / blockWidth) - 1));

  const blocks: Matrix[] = []; // Q_j, (m, b) each, mutually orthonormal
  const images: Matrix[] = []; // Z_j = A^T Q_j, (n, b) each
  let next = op.apply(gaussianMatrix(n, blockWidth, opts.seed ?? 0)); // (m, b)
  for (let j = 0; j <= depth; j++) {
    // Block Gram-Schmidt against the earlier blocks, twice (once is not enough in floating point).
    for (let pass = 0; pass < 2 && blocks.length > 0; pass++) {
      for (const q of blocks) {
        const overlap = matmulTransA(q, next); // (b, b)
        const correction = matmulFast(q, overlap);
        for (let i = 0; i < next.data.length; i++) next.data[i] -= correction.data[i];
      }
    }
    const q = orthonormalize(next);
    blocks.push(q);
    const z = op.applyT(q); // (n, b)
    images.push(z);
    if (j < depth) next = op.apply(z);
  }

  // B^T = A^T [Q_0 .. Q_q] = [Z_0 .. Z_q]: (n, b (depth + 1)); B^T = U' S V'^T gives
  // A ~ Q B = (Q V') S U'^T.
  const width = blockWidth * blocks.length;
  const bt = concatenateColumns(images, n, width);
  const small = svd(bt);
  const q = concatenateColumns(blocks, m, width);
  return {
    U: takeColumns(matmulFast(q, takeColumns(small.V, k)), k),
    S: small.S.slice(0, k),
    V: takeColumns(small.U, k),
  };
}

/** [X_0 X_1 ...] for blocks of equal height. */
function concatenateColumns(blocks: Matrix[], rows: number, width: number): Matrix {
  const out = zeros(rows, width);
  let offset = 0;
  for (const block of blocks) {
    for (let i = 0; i < rows; i++) out.data.set(block.data.subarray(i * block.cols, (i + 1) * block.cols), i * width + offset);
    offset += block.cols;
  }
  return out;
}

function takeColumns(a: Matrix, k: number): Matrix {
  if (a.cols === k) return a;
  const out = zeros(a.rows, k);
  for (let i = 0; i < a.rows; i++) out.data.set(a.data.subarray(i * a.cols, i * a.cols + k), i * k);
  return out;
}

export interface TopKEigOptions {
  seed?: number;
  /** extra vectors in the search block (default max(8, k / 4)) */
  oversample?: number;
  /** stop when every wanted residual ||A x - theta x|| <= tol * ||A|| (default 1e-8) */
  tol?: number;
  /** outer rounds before giving up (default 60); the result then carries its residuals */
  maxIters?: number;
  /** degree of the Chebyshev filter (default 8) */
  degree?: number;
}

export interface TopKEigResult {
  /** (k) largest algebraic eigenvalues, descending */
  values: Float64Array;
  /** (n, k) orthonormal eigenvectors as columns */
  vectors: Matrix;
  /** (k) ||A x_i - values_i x_i|| */
  residuals: Float64Array;
  /** outer rounds used */
  iterations: number;
  converged: boolean;
}

/** Leading k eigenpairs (largest algebraic) of a symmetric operator. */
export function topKSymmetricEig(op: SymmetricOperator, k: number, opts: TopKEigOptions = {}): TopKEigResult {
  const n = op.n;
  if (k < 1 || k > n) throw new Error(`topKSymmetricEig: k = ${k} outside 1..${n}`);
  const block = Math.min(n, k + (opts.oversample ?? Math.max(8, Math.ceil(k / 4))));
  const tol = opts.tol ?? 1e-8;
  const maxIters = opts.maxIters ?? 60;
  const degree = opts.degree ?? 8;
  const seed = opts.seed ?? 0;

  // Small problems: a dense decomposition is cheaper and exact.
  if (block >= n || n <= 64) return denseTopK(op, k);

  const bounds = spectrumBounds(op, Math.min(n, 40), seed + 1);
  const scaleOfA = Math.max(Math.abs(bounds.lower), Math.abs(bounds.upper));

  let ritz = rayleighRitz(op, orthonormalize(gaussianMatrix(n, block, seed)), k);
  let iterations = 0;
  let converged = false;
  while (true) {
    converged = maxResidual(ritz.residuals, k) <= tol * scaleOfA;
    if (converged || iterations >= maxIters) break;
    iterations++;
    // Damp [lower, cut]: the cut is the smallest Ritz value in the block, an estimate of
    // eigenvalue number `block` that rises as the block converges.
    const cut = ritz.values[block - 1];
    const filtered = chebyshevFilter(op, ritz.vectors, degree, bounds.lower, cut, Math.max(bounds.upper, ritz.values[0]));
    ritz = rayleighRitz(op, orthonormalize(filtered), k);
  }
  return {
    values: ritz.values.slice(0, k),
    vectors: takeColumns(ritz.vectors, k),
    residuals: ritz.residuals.slice(0, k),
    iterations,
    converged,
  };
}

function maxResidual(residuals: Float64Array, k: number): number {
  let worst = 0;
  for (let i = 0; i < k; i++) worst = Math.max(worst, residuals[i]);
  return worst;
}

interface RitzPairs {
  values: Float64Array;
  /** (n, l) */
  vectors: Matrix;
  residuals: Float64Array;
}

/**
 * Best approximations from span(Q), Q (n, l) orthonormal: eigenpairs of Q^T A Q. Residuals
 * ||A x - theta x|| are computed for the first `wanted` pairs only (the others are reported as
 * Infinity), which saves a product of size (n, l, l - wanted).
 */
function rayleighRitz(op: SymmetricOperator, q: Matrix, wanted: number): RitzPairs {
  const aq = op.apply(q); // (n, l)
  const h = matmulTransASymmetric(q, aq); // (l, l)
  const l = h.rows;
  const eig = symmetricEig(h);
  const x = matmulFast(q, eig.vectors); // (n, l)
  const k = Math.min(wanted, l);
  const ax = matmulFast(aq, takeColumns(eig.vectors, k)); // (n, k) = A x_j, j < k, without another product
  const residuals = new Float64Array(l).fill(Infinity);
  residuals.fill(0, 0, k);
  const n = x.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const r = ax.data[i * k + j] - eig.values[j] * x.data[i * l + j];
      residuals[j] += r * r;
    }
  }
  for (let j = 0; j < k; j++) residuals[j] = Math.sqrt(residuals[j]);
  return { values: eig.values, vectors: x, residuals };
}

/**
 * p(A) X for the degree-m Chebyshev polynomial that is bounded by 1 on [lower, cut] and scaled to
 * 1 at `top` (> cut), by the three-term recurrence (Zhou & Saad's scaled filter, mirrored so
 * that the wanted end is the upper one).
 */
function chebyshevFilter(op: SymmetricOperator, x: Matrix, degree: number, lower: number, cut: number, top: number): Matrix {
  const e = (cut - lower) / 2;
  const c = (cut + lower) / 2;
  if (!(e > 0) || !(top > cut)) return op.apply(x); // degenerate bounds: a plain power step
  let sigma = e / (top - c);
  const tau = 2 / sigma;
  const size = x.data.length;
  // Y = (A X - c X) sigma / e
  let previous = x.data;
  let current = op.apply(x).data;
  for (let i = 0; i < size; i++) current[i] = (current[i] - c * previous[i]) * (sigma / e);
  for (let step = 2; step <= degree; step++) {
    const sigmaNext = 1 / (tau - sigma);
    const next = op.apply({ rows: x.rows, cols: x.cols, data: current }).data;
    const a = (2 * sigmaNext) / e;
    const b = sigma * sigmaNext;
    for (let i = 0; i < size; i++) next[i] = (next[i] - c * current[i]) * a - b * previous[i];
    previous = current;
    current = next;
    sigma = sigmaNext;
  }
  return { rows: x.rows, cols: x.cols, data: current };
}

/**
 * Bounds on the spectrum from `steps` Lanczos steps (full re-orthogonalization): the extreme Ritz
 * values widened by their residual norms and a 1% margin. Eigenvalues slightly outside are harmless
 * (the filter grows slowly just outside its interval), so no guarantee is needed.
 */
function spectrumBounds(op: SymmetricOperator, steps: number, seed: number): { lower: number; upper: number } {
  const n = op.n;
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v = gaussianMatrix(n, 1, seed).data;
  let norm = Math.sqrt(v.reduce((s, t) => s + t * t, 0));
  v = v.map((t) => t / norm);
  for (let j = 0; j < steps; j++) {
    basis.push(v);
    const w = op.apply({ rows: n, cols: 1, data: Float64Array.from(v) }).data;
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * v[i];
    alpha.push(a);
    // Full re-orthogonalization against the whole basis (twice, for safety).
    for (let pass = 0; pass < 2; pass++) {
      for (const u of basis) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += w[i] * u[i];
        for (let i = 0; i < n; i++) w[i] -= dot * u[i];
      }
    }
    norm = Math.sqrt(w.reduce((s, t) => s + t * t, 0));
    if (j === steps - 1 || norm < 1e-12 * Math.abs(a) || norm === 0) {
      beta.push(norm);
      break;
    }
    beta.push(norm);
    v = w.map((t) => t / norm);
  }
  const m = alpha.length;
  const t = zeros(m, m);
  for (let i = 0; i < m; i++) {
    t.data[i * m + i] = alpha[i];
    if (i + 1 < m) {
      t.data[i * m + i + 1] = beta[i];
      t.data[(i + 1) * m + i] = beta[i];
    }
  }
  const eig = symmetricEig(t);
  const lastBeta = beta[m - 1];
  // Residual of a Ritz pair = beta_m * |last component of its vector|.
  const residual = (j: number): number => lastBeta * Math.abs(eig.vectors.data[(m - 1) * m + j]);
  const upper = eig.values[0] + residual(0);
  const lower = eig.values[m - 1] - residual(m - 1);
  const margin = 0.01 * (upper - lower);
  return { lower: lower - margin, upper: upper + margin };
}

function denseTopK(op: SymmetricOperator, k: number): TopKEigResult {
  const n = op.n;
  const identityBlock = zeros(n, n);
  for (let i = 0; i < n; i++) identityBlock.data[i * n + i] = 1;
  const a = op.apply(identityBlock);
  const eig = symmetricEig(a);
  const vectors = takeColumns(eig.vectors, k);
  const av = op.apply(vectors);
  const residuals = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) residuals[j] += (av.data[i * k + j] - eig.values[j] * vectors.data[i * k + j]) ** 2;
  }
  return { values: eig.values.slice(0, k), vectors, residuals: residuals.map(Math.sqrt), iterations: 0, converged: true };
}

/** Convenience: a dense symmetric matrix as an operator. */
export function denseSymmetricOperator(a: Matrix): SymmetricOperator {
  return { n: a.rows, apply: (x) => matmulFast(a, x) };
}

