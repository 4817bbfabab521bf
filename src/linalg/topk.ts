/**
 * Leading parts of large spectra without a full decomposition, to a residual tolerance.
 *
 * topKSvd: the k largest singular triplets of a dense matrix or an operator; topKSymmetricEig:
 * the k largest algebraic eigenpairs of a symmetric operator. Both run thick-restart block
 * Lanczos with full re-orthogonalization (lanczos.ts) until every wanted pair meets tol, report
 * the residuals reached and the work done (Lanczos cycles, products), and throw an Error naming
 * k, the iteration limit and the residual reached when maxIterations runs out first. Small
 * problems (dimension <= 64, or a basis that would be more than half the space) are solved by a
 * dense decomposition instead, with the same result fields.
 *
 * Where the time goes (top-32 SVD of a 4000 x 4000 Gaussian matrix, 2 cores): almost all of it
 * is the products with A^T A, about 134 blocks of 4 vectors. A float64 A of that size is 128 MB,
 * and a product with a 4-vector block does only 4 multiply-adds per element, so the cost is the
 * passes over A and how fast each runs, not the flop count. Hence, for a dense A (or
 * denseOperator's), topKSvd copies A once into shared WebAssembly memory and computes A^T (A X)
 * in a single pass over A's rows (each row r adds r^T (r X); row-kernels.ts), on all threads,
 * in place: about 4x faster than the two 4-column GEMMs it replaces, and no A^T copy. The
 * Lanczos basis lives in the same kind of memory, so that re-orthogonalization, restarts and
 * Ritz vectors are row kernels too (lanczos.ts). What was weighed and measured:
 *
 *   - Block size: per vector, the one-pass product cost 4.6 ms at b = 2, 2.9 ms at b = 4 and
 *     2.8 ms at b = 8 (first version of the kernel), while the vectors needed grow with b (1: 408, 2: 460, 3: 521, 4: 568,
 *     8: 728, counting the final A V), so b = 4 is fastest; single vectors as in ARPACK need the
 *     fewest products but each one is a memory-bound pass of its own.
 *   - Basis size and the share of Ritz vectors kept at a restart barely matter on this spectrum
 *     (b = 4: 560 to 580 vectors for basis 112..256 and keep shares 0.3..0.6).
 *   - Converged vectors are locked in effect: kept Ritz vectors are never multiplied by A again.
 *   - The first write to fresh memory is slow on some machines (0.4 s per 128 MB on the bench
 *     VM), so the shared memories of finished solves are reused (row-kernels.ts).
 *
 * Result on that bench (3 runs, medians): 2.0 s against scipy svds' 3.6 s in the same runs
 * (ratio 0.65; scipy alone on a quiet machine: 2.4-2.8 s), max relative residual 7.8e-11, 568
 * products; before, 7.4 s.
 */
import { type Matrix, zeros, transpose, identity } from './matrix.js';
import { matmulFast, matmulTransA } from './kernels.js';
import { svd, type SvdResult } from './svd.js';
import { symmetricEig } from './symmetric-eig.js';
import { availableThreads, toShared, warmUpThreads } from './parallel.js';
import { thickRestartLanczos } from './lanczos.js';
import { RowSpace, type RowMatrix } from './row-kernels.js';

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

/** Options shared by both solvers. */
export interface TopKOptions {
  /** seed of the random start block */
  seed?: number;
  /**
   * Accuracy: every returned pair or triplet has residual <= tol * (the largest eigenvalue in
   * magnitude, or the largest singular value); default 1e-10. See topKSvd and topKSymmetricEig.
   */
  tol?: number;
  /** Lanczos cycles (the first one and every restart) before the solver throws (default 300) */
  maxIterations?: number;
  /** vectors per Lanczos step (default 4: the fastest on the dense bench, see the header) */
  blockSize?: number;
  /** basis columns at the end of a cycle (default k + 3 k clamped to 64..256, rounded to blocks) */
  basisSize?: number;
}

export type TopKSvdOptions = TopKOptions;

export interface TopKSvdResult extends SvdResult {
  /** (k) ||A^T u_i - S_i v_i|| (A v_i = S_i u_i holds to rounding: U comes from A V) */
  residuals: Float64Array;
  /** max_i residuals_i / S_0: what tol bounds */
  maxRelativeResidual: number;
  /** Lanczos cycles (0: small input, solved densely) */
  iterations: number;
  /** vectors multiplied by A, the final A V included (A^T: k fewer) */
  matvecs: number;
}

const DEFAULT_TOL = 1e-10;
const DEFAULT_MAX_ITERATIONS = 300;
const DEFAULT_BLOCK_SIZE = 4;
/** Dimensions up to which a dense decomposition is used outright (cheaper and exact). */
const DENSE_MAX_DIM = 64;

/**
 * The Lanczos basis size for k wanted pairs in dimension n, or null when a dense decomposition is
 * the better choice (the basis would be a large part of the whole space anyway).
 */
function basisSizeFor(n: number, k: number, b: number, requested: number | undefined): number | null {
  // 4 k for k = 32 needed the fewest products on the Gaussian bench (3 k: 4% more, 5 k: 1% fewer
  // for a larger Rayleigh-Ritz step); large k get less headroom, which keeps H small.
  const size = requested ?? Math.ceil((k + Math.min(256, Math.max(64, 3 * k))) / b) * b;
  const fitted = Math.min(size, n - b); // room for the pending block
  if (n <= DENSE_MAX_DIM || fitted < k + 2 * b || (requested === undefined && fitted > n / 2)) return null;
  return fitted;
}

/** The matrices behind operators made by denseOperator (topKSvd treats those as the matrix). */
const denseMatrices = new WeakMap<LinearOperator, Matrix>();

/**
 * Wraps a dense matrix. A^T is formed once so that both products stream contiguous rows, and
 * both live in shared memory so that every product can be split across threads without copies
 * (formed on first use: topKSvd itself uses neither, see gramOperator).
 */
export function denseOperator(a: Matrix): LinearOperator {
  warmUpThreads(); // so that the decision to share the operand once does not race the pool's start
  const share = (m: Matrix): Matrix => (availableThreads() > 1 ? { rows: m.rows, cols: m.cols, data: toShared(m.data) } : m);
  let operand: Matrix | null = null;
  let at: Matrix | null = null;
  const op: LinearOperator = {
    rows: a.rows,
    cols: a.cols,
    apply: (x) => {
      operand ??= share(a);
      return matmulFast(operand, x);
    },
    applyT: (x) => {
      at ??= share(transpose(a));
      return matmulFast(at, x);
    },
  };
  denseMatrices.set(op, a);
  return op;
}

/**
 * B = A (or A^T) copied once into shared wasm memory, for B^T (B X) in one pass over B and B X
 * (row-kernels.ts); null where those kernels do not run (then two GEMMs per product are faster).
 */
function gramOperator(a: Matrix, transposed: boolean): { gram(x: Matrix): Matrix; forward(x: Matrix): Matrix; release(): void } | null {
  const rows = transposed ? a.cols : a.rows;
  const cols = transposed ? a.rows : a.cols;
  if (!RowSpace.wasm(rows * cols, rows, cols)) return null;
  const space = new RowSpace(rows * cols, rows, cols);
  if (transposed) space.heap.set(transpose(a).data);
  else space.heap.set(a.data);
  const b: RowMatrix = { offset: 0, ld: cols, rows, cols };
  return {
    gram: (x) => ({ rows: cols, cols: x.cols, data: space.gram(b, x.data, x.cols) }),
    forward: (x) => ({ rows, cols: x.cols, data: space.forward(b, x.data, x.cols) }),
    release: () => space.release(),
  };
}

function isMatrix(a: Matrix | LinearOperator): a is Matrix {
  return (a as Matrix).data !== undefined;
}

/**
 * Leading k singular triplets: U (rows, k), S (k) descending, V (cols, k), by thick-restart block
 * Lanczos (lanczos.ts) on the smaller of A^T A and A A^T, as ARPACK's svds: the Krylov space is
 * that of Golub-Kahan bidiagonalization. A dense A is applied as A^T (A X) in one pass over A
 * (see the header); an operator as applyT(apply(X)), one product with each per vector. It
 * iterates until every triplet has ||A^T u - s v|| <= tol * S_0, for a Ritz pair (theta, v) of
 * A^T A with residual r that is r / s with s = sqrt(theta). Then U S = A V by a thin SVD of A V
 * (which also keeps U orthonormal inside clusters), and A v = s u holds to rounding.
 *
 * Precision: the eigen-residual cannot go below ~1e-16 S_0^2, so a triplet with s below about
 * 1e-16 / tol * S_0 (1e-6 S_0 at the default tol) cannot meet tol and the solver throws; the
 * matrices of this project are far from that. Throws also when maxIterations cycles are used up.
 */
export function topKSvd(a: Matrix | LinearOperator, k: number, opts: TopKSvdOptions = {}): TopKSvdResult {
  const { rows: m, cols: n } = a;
  const maxRank = Math.min(m, n);
  if (!Number.isInteger(k) || k < 1 || k > maxRank) throw new Error(`topKSvd: k = ${k} outside 1..${maxRank}`);
  const tol = opts.tol ?? DEFAULT_TOL;
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const b = opts.blockSize ?? DEFAULT_BLOCK_SIZE;
  // Work in the smaller dimension: right vectors of A, or of A^T for wide inputs.
  const wide = m < n;
  const basisSize = basisSizeFor(maxRank, k, b, opts.basisSize);
  if (basisSize === null) return denseTopKSvd(isMatrix(a) ? denseOperator(a) : a, k);
  // A dense input: B = A (or A^T when wide) in shared wasm memory, B^T B X in one pass over B
  // (row-kernels.ts); otherwise the operator's two products.
  const matrix = isMatrix(a) ? a : denseMatrices.get(a);
  const gram = matrix ? gramOperator(matrix, wide) : null;
  let gramApply: (x: Matrix) => Matrix;
  let image: (x: Matrix) => Matrix; // the map whose input side is the small dimension
  if (gram) {
    ({ gram: gramApply, forward: image } = gram);
  } else {
    const op = isMatrix(a) ? denseOperator(a) : a;
    const forward = wide ? op.applyT : op.apply;
    const backward = wide ? op.apply : op.applyT;
    gramApply = (x) => backward(forward(x));
    image = forward;
  }

  const lanczos = thickRestartLanczos(gramApply, maxRank, {
    wanted: k,
    blockSize: b,
    basisSize,
    maxCycles: maxIterations,
    seed: opts.seed ?? 0,
    // ||A^T u - s v|| = r / s <= tol s_0, with s = sqrt(theta)
    allowedResidual: (theta, largest) => tol * Math.sqrt(Math.max(theta, 0) * Math.max(largest, 0)),
  });
  const relative = (r: number, theta: number) => r / Math.sqrt(Math.max(theta, 0) * Math.max(lanczos.values[0], 0));
  let worst = 0;
  for (let i = 0; i < k; i++) worst = Math.max(worst, relative(lanczos.residuals[i], lanczos.values[i]));
  if (!lanczos.converged) {
    gram?.release();
    throw new Error(
      `topKSvd: k = ${k} singular triplets of a ${m}x${n} matrix not converged after maxIterations = ${maxIterations} ` +
        `Lanczos cycles (${lanczos.products} products with A and A^T): largest relative residual ${worst.toExponential(2)}, tol ${tol}`,
    );
  }
  // A V = (U S) by a thin SVD of the (m, k) image; V W keeps A (V W) = U S.
  const small = svd(image(lanczos.vectors));
  gram?.release();
  const rotated = matmulFast(lanczos.vectors, small.V);
  const residuals = new Float64Array(k);
  for (let i = 0; i < k; i++) residuals[i] = lanczos.residuals[i] / Math.sqrt(Math.max(lanczos.values[i], Number.MIN_VALUE));
  const result = { S: small.S, residuals, maxRelativeResidual: worst, iterations: lanczos.cycles, matvecs: lanczos.products + k };
  return wide ? { ...result, U: rotated, V: small.U } : { ...result, U: small.U, V: rotated };
}

/** Small inputs: the dense SVD of the operator's matrix, with its residuals. */
function denseTopKSvd(op: LinearOperator, k: number): TopKSvdResult {
  const matrix = op.apply(identity(op.cols)); // (rows, cols)
  const full = svd(matrix);
  const U = takeColumns(full.U, k);
  const V = takeColumns(full.V, k);
  const S = full.S.slice(0, k);
  const atu = matmulTransA(matrix, U); // (cols, k)
  const residuals = new Float64Array(k);
  for (let i = 0; i < V.rows; i++) for (let j = 0; j < k; j++) residuals[j] += (atu.data[i * k + j] - S[j] * V.data[i * k + j]) ** 2;
  let worst = 0;
  for (let j = 0; j < k; j++) {
    residuals[j] = Math.sqrt(residuals[j]);
    worst = Math.max(worst, S[0] > 0 ? residuals[j] / S[0] : residuals[j]);
  }
  return { U, S, V, residuals, maxRelativeResidual: worst, iterations: 0, matvecs: op.cols };
}

function takeColumns(a: Matrix, k: number): Matrix {
  if (a.cols === k) return a;
  const out = zeros(a.rows, k);
  for (let i = 0; i < a.rows; i++) out.data.set(a.data.subarray(i * a.cols, i * a.cols + k), i * k);
  return out;
}

export type TopKEigOptions = TopKOptions;

export interface TopKEigResult {
  /** (k) largest algebraic eigenvalues, descending */
  values: Float64Array;
  /** (n, k) orthonormal eigenvectors as columns */
  vectors: Matrix;
  /** (k) ||A x_i - values_i x_i|| */
  residuals: Float64Array;
  /** max_i residuals_i / max(|values_0|, |lowest Ritz value|): what tol bounds */
  maxRelativeResidual: number;
  /** Lanczos cycles (0: small operator, solved densely) */
  iterations: number;
  /** vectors the operator was applied to */
  matvecs: number;
  /** always true: an unconverged solve throws */
  converged: true;
}

/**
 * Leading k eigenpairs (largest algebraic) of a symmetric operator, by thick-restart block
 * Lanczos (lanczos.ts). It iterates until every pair has ||A x - theta x|| <= tol * ||A||, with
 * ||A|| estimated by the Ritz values at both ends of the basis (the lower end is what keeps
 * large negative eigenvalues in the scale), and throws when maxIterations cycles are used up.
 * The eigenvalues are then accurate to about tol ||A|| (to (tol ||A||)^2 / gap when separated);
 * vectors inside a cluster of near-equal eigenvalues are mixed, their subspace is not.
 */
export function topKSymmetricEig(op: SymmetricOperator, k: number, opts: TopKEigOptions = {}): TopKEigResult {
  const n = op.n;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`topKSymmetricEig: k = ${k} outside 1..${n}`);
  const tol = opts.tol ?? DEFAULT_TOL;
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const b = opts.blockSize ?? DEFAULT_BLOCK_SIZE;
  const basisSize = basisSizeFor(n, k, b, opts.basisSize);
  if (basisSize === null) return denseTopK(op, k);

  let scale = 0; // ||A|| estimate, updated by each Rayleigh-Ritz step (see allowedResidual)
  const lanczos = thickRestartLanczos(op.apply, n, {
    wanted: k,
    blockSize: b,
    basisSize,
    maxCycles: maxIterations,
    seed: opts.seed ?? 0,
    allowedResidual: (theta, largest, lowest) => {
      scale = Math.max(Math.abs(largest), Math.abs(lowest));
      return tol * scale;
    },
  });
  let worst = 0;
  for (const r of lanczos.residuals) worst = Math.max(worst, scale > 0 ? r / scale : r);
  if (!lanczos.converged) {
    throw new Error(
      `topKSymmetricEig: k = ${k} eigenpairs of an operator of size ${n} not converged after maxIterations = ${maxIterations} ` +
        `Lanczos cycles (${lanczos.products} products): largest relative residual ${worst.toExponential(2)}, tol ${tol}`,
    );
  }
  return {
    values: lanczos.values,
    vectors: lanczos.vectors,
    residuals: lanczos.residuals,
    maxRelativeResidual: worst,
    iterations: lanczos.cycles,
    matvecs: lanczos.products,
    converged: true,
  };
}

function denseTopK(op: SymmetricOperator, k: number): TopKEigResult {
  const n = op.n;
  const a = op.apply(identity(n));
  const eig = symmetricEig(a);
  const vectors = takeColumns(eig.vectors, k);
  const av = op.apply(vectors);
  const residuals = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) residuals[j] += (av.data[i * k + j] - eig.values[j] * vectors.data[i * k + j]) ** 2;
  }
  const scale = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[n - 1]));
  let worst = 0;
  for (let j = 0; j < k; j++) {
    residuals[j] = Math.sqrt(residuals[j]);
    worst = Math.max(worst, scale > 0 ? residuals[j] / scale : residuals[j]);
  }
  return { values: eig.values.slice(0, k), vectors, residuals, maxRelativeResidual: worst, iterations: 0, matvecs: n + k, converged: true };
}

/** Convenience: a dense symmetric matrix as an operator. */
export function denseSymmetricOperator(a: Matrix): SymmetricOperator {
  return { n: a.rows, apply: (x) => matmulFast(a, x) };
}

