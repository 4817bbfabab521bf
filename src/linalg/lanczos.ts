/**
 * Thick-restart block Lanczos (Wu & Simon 2000; the block form as in Zhou & Saad's TRBL) for the
 * largest algebraic eigenpairs of a symmetric operator, with full re-orthogonalization. It is the
 * engine of both top-k solvers in topk.ts: topKSymmetricEig runs it on the operator itself and
 * topKSvd on A^T A (the same Krylov space as Golub-Kahan bidiagonalization, as ARPACK's svds).
 *
 * One cycle grows an orthonormal basis V = [V_0 V_1 ...] block by block, W = A V_j made
 * orthogonal to all of V twice ("twice is enough"), V_{j+1} R = W by QR, until V has `basisSize`
 * columns. The projection coefficients of each pass are exactly the entries of H = V^T A V, so H
 * is filled as a by-product (it is banded right after a start and has an arrow shape after a
 * restart; nothing here relies on either). Rayleigh-Ritz: H = Y Theta Y^T, Ritz pairs (theta,
 * V y); with the next block V_+ and its coupling R,
 *
 *   A (V y) - theta (V y) = V_+ R (last block of y),   so  ||residual|| = ||R y_last||
 *
 * costs nothing. Thick restart: keep the leading `keep` Ritz vectors V Y_keep (their block of H
 * is diagonal) and V_+, and grow again from V_+. Kept vectors are never multiplied by A again,
 * so converged pairs cost only their share of the re-orthogonalization (they are, in effect,
 * locked); every product with A goes into new directions.
 *
 * The basis V (n, basisSize + blockSize) lives row-major in shared WebAssembly memory
 * (row-kernels.ts), and every product with it is a row-streaming kernel run in place by all
 * threads: V^T W and W - V C for the Gram-Schmidt passes, V Y at a restart and for the Ritz
 * vectors. Each such product reads V once; earlier, with V and V^T as JS arrays and 4-column
 * GEMMs, the re-orthogonalization alone took about 0.8 s of a 4000 x 4000 top-32 SVD. The two
 * Gram-Schmidt passes take three sweeps over V (the subtraction of the first and the
 * projections of the second share one, row-kernels.ts `project`), and the new block is
 * orthonormalized by Cholesky QR twice (a few passes over an (n, b) block) rather than by
 * Householder, which remains the fallback for an ill-conditioned block. Block size, basis size
 * and the restart's keep share were measured on that bench (topk.ts header): the products with
 * the operator are most of the time, and their number barely depends on the latter two.
 */
import { type Matrix, zeros } from './matrix.js';
import { householderQR, upperTriangle, thinQ } from './qr.js';
import { gaussianMatrix } from './random.js';
import { symmetricEig } from './symmetric-eig.js';
import { warmUpThreads } from './parallel.js';
import { RowSpace, type RowMatrix } from './row-kernels.js';

/** Share of the unwanted Ritz vectors kept at a restart. */
const KEEP_FRACTION = 0.5; // 0.7 needed more products on the 4000 x 4000 Gaussian bench
/** Rayleigh-Ritz checks per cycle (see thickRestartLanczos). */
const CHECKS_PER_CYCLE = 4;

export interface LanczosOptions {
  /** wanted pairs: the `wanted` largest algebraic eigenvalues */
  wanted: number;
  /** vectors added per step (>= 1) */
  blockSize: number;
  /** columns of the basis at the end of a cycle; wanted + 2 blockSize <= basisSize <= n - blockSize */
  basisSize: number;
  /** cycles (the first one and the restarts) before giving up */
  maxCycles: number;
  seed: number;
  /**
   * The residual norm at which a Ritz pair with this value is accurate enough; `largest` and
   * `lowest` are the Ritz values at both ends of the basis (estimates of the operator's extreme
   * eigenvalues).
   */
  allowedResidual(value: number, largest: number, lowest: number): number;
}

export interface LanczosResult {
  /** (wanted) Ritz values, descending */
  values: Float64Array;
  /** (n, wanted) Ritz vectors as columns */
  vectors: Matrix;
  /** (wanted) ||A x - theta x||, from the Lanczos relation (see the header) */
  residuals: Float64Array;
  /** cycles run (the first one included) */
  cycles: number;
  /** vectors the operator was applied to, in all */
  products: number;
  /** every wanted pair met its allowed residual */
  converged: boolean;
}

export function thickRestartLanczos(apply: (x: Matrix) => Matrix, n: number, opts: LanczosOptions): LanczosResult {
  const { wanted: k, blockSize: b, basisSize: m } = opts;
  // The pending block V_+ must fit beside the basis: m + b <= n.
  if (!(k >= 1 && b >= 1 && k + 2 * b <= m && m + b <= n)) {
    throw new Error(`thickRestartLanczos: need 1 <= wanted (${k}), wanted + 2 blockSize (${b}) <= basisSize (${m}) <= n (${n}) - blockSize`);
  }
  const width = m + b; // the basis plus the pending block V_+
  // Started here so that the products below can use the workers from the first block on.
  warmUpThreads();
  // V (n, width), row-major at offset 0 of a RowSpace: every product with the basis is a
  // row-streaming kernel on it (row-kernels.ts), run in place by all threads.
  const space = new RowSpace(n * width, n, width);
  const v = space.heap;
  const basis = (columns: number): RowMatrix => ({ offset: 0, ld: width, rows: n, cols: columns });
  const h = new Float64Array(m * m); // V^T A V over the first m columns
  const setColumns = (first: number, q: Matrix) => {
    // q (n, b) becomes basis vectors first .. first + b - 1
    for (let i = 0; i < n; i++) for (let j = 0; j < b; j++) v[i * width + first + j] = q.data[i * b + j];
  };

  setColumns(0, thinQ(householderQR(gaussianMatrix(n, b, opts.seed))));
  let applied = 0; // basis vectors whose images are in H
  let coupling = zeros(b, b); // R of the latest QR: A V_last = ... + V_+ R
  let products = 0;
  let cycles = 0;
  let ritz: RitzPairs | null = null;
  let converged = false;

  let size = 0; // basis columns of the latest Rayleigh-Ritz step
  /** Rayleigh-Ritz on the first `columns` basis vectors: max over wanted pairs of residual / allowed */
  const check = (columns: number): number => {
    ritz = rayleighRitz(h, m, columns, b, coupling);
    size = columns;
    const [largest, lowest] = [ritz.values[0], ritz.values[columns - 1]];
    let worst = 0;
    for (let j = 0; j < k; j++) worst = Math.max(worst, ritz.residuals[j] / opts.allowedResidual(ritz.values[j], largest, lowest));
    return worst; // NaN (0 / 0) counts as not converged
  };
  // The worst ratio at the ends of the last two cycles: mid-cycle checks (symmetricEig of H, not
  // free for large bases) are only made in a cycle that the trend says may be the last.
  let lastRatio = Infinity;
  let rate = 1;
  // Keep about half of the unwanted Ritz vectors as well (they make the next cycle converge
  // faster, Wu & Simon), so that the new directions fill the rest, a whole number of blocks.
  const keep = m - b * Math.max(1, Math.floor((m - k) * (1 - KEEP_FRACTION) / b));
  // A few Rayleigh-Ritz checks inside each cycle as well as at its end, so that the solver stops
  // within a few blocks of convergence rather than up to a whole cycle later.
  const checkEvery = b * Math.max(1, Math.round((m - keep) / b / CHECKS_PER_CYCLE));

  cycle: while (true) {
    cycles++;
    const mayConverge = cycles === 1 || lastRatio * rate <= 1;
    for (; applied < m; applied += b) {
      const current = applied + b; // basis columns so far, the block being applied included
      const block = zeros(n, b);
      for (let i = 0; i < n; i++) for (let j = 0; j < b; j++) block.data[i * b + j] = v[i * width + applied + j];
      const w = apply(block);
      products += b;
      const c = orthogonalizeAgainstBasis(space, basis(current), w);
      for (let i = 0; i < current; i++) {
        for (let j = 0; j < b; j++) {
          const col = applied + j;
          // Inside the diagonal block the two computed halves differ by rounding: average them.
          const x = i >= applied ? (c[i * b + j] + c[col * b + (i - applied)]) / 2 : c[i * b + j];
          h[i * m + col] = x;
          h[col * m + i] = x;
        }
      }
      let q: Matrix;
      const cholesky = choleskyQR2(w);
      if (cholesky) {
        ({ q, r: coupling } = cholesky);
      } else {
        const qr = householderQR(w);
        coupling = upperTriangle(qr);
        q = thinQ(qr);
      }
      if (rankDeficient(coupling)) {
        // W lost directions (an invariant subspace was found): the Q columns Householder makes up
        // for them are not orthogonal to the basis yet. Any direction orthogonal to it will do.
        orthogonalizeAgainstBasis(space, basis(current), q);
        q = thinQ(householderQR(q));
      }
      setColumns(current, q);
      const midCycle = mayConverge && current < m && current >= 2 * k && (current - keep) % checkEvery === 0;
      if (midCycle && check(current) <= 1) {
        converged = true;
        break cycle;
      }
    }

    const ratio = check(m);
    converged = ratio <= 1;
    if (converged || cycles >= opts.maxCycles) break;
    rate = Math.min(1, ratio / lastRatio);
    lastRatio = ratio;
    restart(space, ritz!.y, keep, n, width, m, b);
    h.fill(0);
    for (let j = 0; j < keep; j++) h[j * m + j] = ritz!.values[j];
    applied = keep;
  }

  // Ritz vectors X = V Y_k
  const { y } = ritz!;
  const yk = new Float64Array(size * k);
  for (let i = 0; i < size; i++) yk.set(y.data.subarray(i * size, i * size + k), i * k);
  const vectors = { rows: n, cols: k, data: space.forward(basis(size), yk, k) };
  space.release(); // (after an exception it is simply collected)
  return {
    values: ritz!.values.slice(0, k),
    vectors,
    residuals: ritz!.residuals.slice(0, k),
    cycles,
    products,
    converged,
  };
}

/**
 * W <- (I - V V^T) W twice (classical Gram-Schmidt, "twice is enough"), in place; returns the
 * coefficients V^T W_original (count, b), the sum of both passes.
 */
function orthogonalizeAgainstBasis(space: RowSpace, v: RowMatrix, w: Matrix): Float64Array {
  const b = w.cols;
  const first = space.transposed(v, w.data, b); // C_1 = V^T W
  const second = space.project(v, first, b, w.data); // W -= V C_1; C_2 = V^T W, in one sweep
  space.forward(v, second, b, w.data); // W -= V C_2
  for (let i = 0; i < first.length; i++) first[i] += second[i];
  return first;
}

/**
 * W = Q R by Cholesky QR, twice (Q_1 = W R_1^-1 from W^T W = R_1^T R_1, then the same on Q_1):
 * orthonormal to rounding while cond(W) is below about 1e7, and for a block of a few columns
 * far cheaper than Householder (one pass over W for each Gram matrix and each solve). Null
 * when a pivot says W is worse conditioned than that (the caller falls back to Householder).
 */
function choleskyQR2(w: Matrix): { q: Matrix; r: Matrix } | null {
  const first = choleskyQR(w);
  if (!first) return null;
  const second = choleskyQR(first.q);
  if (!second) return null;
  const b = w.cols;
  const r = zeros(b, b); // R_2 R_1
  for (let i = 0; i < b; i++) {
    for (let j = i; j < b; j++) {
      let sum = 0;
      for (let p = i; p <= j; p++) sum += second.r.data[i * b + p] * first.r.data[p * b + j];
      r.data[i * b + j] = sum;
    }
  }
  return { q: second.q, r };
}

/** One Cholesky QR step; null when a pivot is below 1e-7 times the largest (cond(W) > ~1e7). */
function choleskyQR(w: Matrix): { q: Matrix; r: Matrix } | null {
  const { rows: n, cols: b, data } = w;
  const g = new Float64Array(b * b); // W^T W, upper triangle
  for (let i = 0; i < n; i++) {
    const row = i * b;
    for (let p = 0; p < b; p++) {
      const x = data[row + p];
      for (let q = p; q < b; q++) g[p * b + q] += x * data[row + q];
    }
  }
  const r = zeros(b, b); // G = R^T R
  let largest = 0;
  for (let p = 0; p < b; p++) largest = Math.max(largest, g[p * b + p]);
  for (let p = 0; p < b; p++) {
    let d = g[p * b + p];
    for (let s = 0; s < p; s++) d -= r.data[s * b + p] ** 2;
    if (!(d > 1e-14 * largest)) return null; // pivot^2 / largest^2 <= 1e-14
    const pivot = Math.sqrt(d);
    r.data[p * b + p] = pivot;
    for (let q = p + 1; q < b; q++) {
      let x = g[p * b + q];
      for (let s = 0; s < p; s++) x -= r.data[s * b + p] * r.data[s * b + q];
      r.data[p * b + q] = x / pivot;
    }
  }
  // Q = W R^-1, row by row: q R = w
  const q = zeros(n, b);
  for (let i = 0; i < n; i++) {
    const row = i * b;
    for (let j = 0; j < b; j++) {
      let x = data[row + j];
      for (let s = 0; s < j; s++) x -= q.data[row + s] * r.data[s * b + j];
      q.data[row + j] = x / r.data[j * b + j];
    }
  }
  return { q, r };
}

/** A diagonal entry of R far below the largest: W had (numerically) lower rank than b. */
function rankDeficient(r: Matrix): boolean {
  let largest = 0;
  for (let i = 0; i < r.rows; i++) largest = Math.max(largest, Math.abs(r.data[i * r.cols + i]));
  for (let i = 0; i < r.rows; i++) if (!(Math.abs(r.data[i * r.cols + i]) > 1e-10 * largest)) return true;
  return false;
}

interface RitzPairs {
  values: Float64Array;
  /** (size, size) eigenvectors of H's leading block, as columns */
  y: Matrix;
  residuals: Float64Array;
}

/**
 * Eigenpairs of the leading (size, size) block of H (stored with row length m), and the residual
 * norms ||R y_last|| of its Ritz pairs, R the coupling of the block after column size - 1.
 */
function rayleighRitz(h: Float64Array, m: number, size: number, b: number, coupling: Matrix): RitzPairs {
  const block = zeros(size, size);
  for (let i = 0; i < size; i++) block.data.set(h.subarray(i * m, i * m + size), i * size);
  const eig = symmetricEig(block);
  const y = eig.vectors;
  const residuals = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    let sum = 0;
    for (let r = 0; r < b; r++) {
      let x = 0;
      for (let s = r; s < b; s++) x += coupling.data[r * b + s] * y.data[(size - b + s) * size + j];
      sum += x * x;
    }
    residuals[j] = Math.sqrt(sum);
  }
  return { values: eig.values, y, residuals };
}

/**
 * Basis <- [V Y_keep, V_+]: the kept Ritz vectors in columns 0 .. keep - 1, the pending block
 * (columns m .. m + b - 1) moved to keep .. keep + b - 1.
 */
function restart(space: RowSpace, y: Matrix, keep: number, n: number, width: number, m: number, b: number): void {
  const ykeep = new Float64Array(m * keep); // Y_keep (m, keep)
  for (let i = 0; i < m; i++) ykeep.set(y.data.subarray(i * m, i * m + keep), i * keep);
  const kept = space.forward({ offset: 0, ld: width, rows: n, cols: m }, ykeep, keep); // (n, keep)
  const v = space.heap;
  for (let i = 0; i < n; i++) {
    const row = i * width;
    v.copyWithin(row + keep, row + m, row + m + b); // keep + b <= m: no overlap
    v.set(kept.subarray(i * keep, (i + 1) * keep), row);
  }
}
