/**
 * Thin singular value decomposition A = U diag(S) V^T, written by hand:
 *
 *   1. tall inputs: Householder QR first (qr.ts), then the SVD of the n x n factor R, and
 *      U = Q U_R by applying the block reflectors. Very tall inputs (m >= 8n) are split into two
 *      row halves that are factored independently (TSQR), one per thread when two are available;
 *   2. blocked Householder bidiagonalization A = Q_B B P^T (B upper bidiagonal; LAPACK dgebrd
 *      with dlabrd panels of 32): within a panel every product is a matrix-vector product, run by
 *      the f64x2 kernels of wasm.ts on a working copy kept in wasm memory (Workspace); the
 *      trailing matrix is then updated by two gemmNT products;
 *   3. B = U_B S V_B^T by divide and conquer (bidiagonal-dc.ts, as LAPACK's dbdsdc): leaves of
 *      at most 25 rows by the QR iteration (bidiagonal-qr.ts), merges by the secular equation
 *      with deflation and Gu-Eisenstat vectors, combined by gemmNT products; the two halves of
 *      the top split run on two threads;
 *   4. U^T = U_B^T Q_B^T and V^T = V_B^T P^T: Q_B and P are applied to the rows of U_B^T and
 *      V_B^T with blocked reflectors (compact WY, householder.ts), the rows split over threads.
 *      Values only (singularValues) skip 3 and 4 and run the QR iteration on B without vectors.
 *
 * Work arrays come from scratch.ts and are kept between calls: a fresh page costs 5-15 us on the
 * 2-core benchmark machine (the OS zero-fills it on first touch), which had made allocation the
 * largest single cost of the 15007 x 256 case.
 *
 * Where the time goes now (one thread, n = 256, a loaded machine, so shares rather than times):
 * square 256 x 256: bidiagonalization ~25%, divide and conquer ~35% (secular equation and
 * Loewner vectors about half of it, the products a third), applying Q_B and P ~35%. 1024 x 256:
 * the QR and U = Q U_R are about half. 15007 x 256: the two TSQR factorizations ~30%, applying
 * the halves' Q_i ~45% (both gemm-bound, in 32-wide panels), writing the fresh output U ~10%
 * (its pages are new on every call), the inner 256 x 256 problem under 5%. The next steps:
 * the divide and conquer's secular solves split over threads, and Q applied in wider blocks
 * (fewer copies per flop in gemm.ts's packed kernel).
 *
 * Wide inputs go through the transpose. Backward stable: ||A - U S V^T|| / ||A|| and the
 * orthogonality errors are ~1e-15 times modest functions of the size, whatever the condition
 * number (test/linalg/svd.test.ts checks 1e-12). The result does not depend on the number of
 * threads: every kernel computes each output entry by the same operations wherever it runs.
 */
import { type Matrix, zeros, transpose, transposeInto } from './matrix.js';
import { applyQ, householderQR, releaseQR, splitRange, upperTriangle } from './qr.js';
import { give, take, taker } from './scratch.js';
import { allocatePanels, fillPanels, reflect } from './householder.js';
import { bidiagonalSvd } from './bidiagonal-dc.js';
import { bidiagonalQR } from './bidiagonal-qr.js';
import { availableThreads, isShared, partCount, runParts, TASKS } from './parallel.js';
import { gemmNTParallel } from './kernels.js';
import { KERNEL_SCRATCH_DOUBLES, wasmKernels, type WasmKernels } from './wasm.js';

export interface SvdResult {
  /** (m, k) left singular vectors as columns, k = min(m, n) */
  U: Matrix;
  /** (k) singular values, descending, non-negative */
  S: Float64Array;
  /** (n, k) right singular vectors as columns */
  V: Matrix;
}

/** QR first when m >= 1.5 n: the QR costs 2mn^2 but shrinks the bidiagonal stage to n x n. */
const QR_FIRST_RATIO = 1.5;
/** Two independent row halves (TSQR) when m >= 8 n, so that both halves stay tall. */
const TSQR_RATIO = 8;
/** Work (entries of U^T) below which vectors are formed on one thread. */
const PARALLEL_MIN_ENTRIES = 30_000;

export function svd(a: Matrix): SvdResult {
  const { rows: m, cols: n } = a;
  if (m < n) {
    const t = svd(transpose(a));
    return { U: t.V, S: t.S, V: t.U };
  }
  if (n === 0) return { U: zeros(m, 0), S: new Float64Array(0), V: zeros(0, 0) };
  if (m >= TSQR_RATIO * n) return tallSkinnySvd(a);
  if (m >= QR_FIRST_RATIO * n) {
    const qr = householderQR(a);
    const inner = svdRowVectors(upperTriangle(qr), true);
    // U^T = (Q [U_R; 0])^T, built row by row; shared when Q's panels are, so applyQ need not copy
    const ut: Matrix = { rows: n, cols: m, data: take(n * m, isShared(qr.columns)) };
    for (let i = 0; i < n; i++) ut.data.set(inner.ut.subarray(i * n, i * n + n), i * m);
    applyQ(qr, ut);
    const result = { U: transpose(ut), S: inner.s, V: transposeRows(inner.vt, n, n) };
    give(ut.data, inner.ut, inner.vt);
    releaseQR(qr);
    return result;
  }
  const r = svdRowVectors(a, true);
  const result = { U: transposeRows(r.ut, n, m), S: r.s, V: transposeRows(r.vt, n, n) };
  give(r.ut, r.vt);
  return result;
}

/** Singular values only, descending; skips all vector work (several times faster than svd). */
export function singularValues(a: Matrix): Float64Array {
  const { rows: m, cols: n } = a;
  if (m < n) return singularValues(transpose(a));
  if (n === 0) return new Float64Array(0);
  if (m >= QR_FIRST_RATIO * n) return svdRowVectors(upperTriangle(householderQR(a)), false).s;
  return svdRowVectors(a, false).s;
}

/** (rows, cols) row-major -> its transpose as a Matrix */
function transposeRows(data: Float64Array, rows: number, cols: number): Matrix {
  return transpose({ rows, cols, data });
}

/**
 * TSQR: A = [A_0; A_1], A_i = Q_i R_i (in parallel), [R_0; R_1] = Q_s R, R = U_R S V^T, and
 * U = diag(Q_0, Q_1) Q_s U_R, again one half per thread.
 */
function tallSkinnySvd(a: Matrix): SvdResult {
  const { rows: m, cols: n } = a;
  const alloc = taker(availableThreads() > 1);
  const halves = splitRange(0, m, 2).map(([start, end]) => {
    const rows = end - start;
    const columns = alloc(n * rows); // (n, rows): column-major copy of this half
    transposeInto(a.data, start * n, n, rows, n, columns, 0, rows);
    return { start, rows, columns, tau: alloc(n), panels: allocatePanels(rows, n, alloc) };
  });
  runParts('factor', halves.map((h) => ({ columns: h.columns, m: h.rows, n, tau: h.tau, panels: h.panels })));

  const stacked: Matrix = { rows: 2 * n, cols: n, data: take(2 * n * n) }; // [R_0; R_1]
  halves.forEach((h, i) => {
    for (let j = 0; j < n; j++) for (let r = 0; r <= j; r++) stacked.data[(i * n + r) * n + j] = h.columns[j * h.rows + r];
  });
  const qrStacked = householderQR(stacked);
  give(stacked.data);
  const inner = svdRowVectors(upperTriangle(qrStacked), true);
  const wt: Matrix = { rows: n, cols: 2 * n, data: take(2 * n * n, isShared(qrStacked.columns)) }; // (Q_s [U_R; 0])^T
  for (let c = 0; c < n; c++) wt.data.set(inner.ut.subarray(c * n, c * n + n), c * 2 * n);
  applyQ(qrStacked, wt);
  releaseQR(qrStacked);

  const ys = halves.map((h, i) => {
    const y = alloc(n * h.rows); // (n, rows): rows of U^T restricted to this half
    for (let c = 0; c < n; c++) y.set(wt.data.subarray(c * 2 * n + i * n, c * 2 * n + i * n + n), c * h.rows);
    return y;
  });
  runParts('applyPanels', halves.map((h, i) => ({
    panels: h.panels, m: h.rows, data: ys[i], ld: h.rows, rowStart: 0, rowEnd: n, transposeQ: false,
  })));

  const u = zeros(m, n);
  halves.forEach((h, i) => transposeInto(ys[i], 0, h.rows, n, h.rows, u.data, h.start * n, n));
  const result = { U: u, S: inner.s, V: transposeRows(inner.vt, n, n) };
  give(wt.data, inner.ut, inner.vt, ...ys);
  for (const h of halves) {
    give(h.columns);
    for (const panel of h.panels) give(panel.v, panel.vt, panel.t);
  }
  return result;
}

interface RowVectorSvd {
  /** (n) descending */
  s: Float64Array;
  /** (n, m) row-major: row i is the i-th left singular vector (from scratch.take: give back after use) */
  ut: Float64Array;
  /** (n, n) row-major: row i is the i-th right singular vector (likewise) */
  vt: Float64Array;
}

/** The SVD of an (m, n) matrix with m >= n, singular vectors returned as rows. */
function svdRowVectors(a: Matrix, wantVectors: boolean): RowVectorSvd {
  const { rows: m, cols: n } = a;
  const bidiagonal = bidiagonalize(a);
  if (!wantVectors) {
    const s = bidiagonal.d;
    bidiagonalQR(s, bidiagonal.e, null);
    return { s: Float64Array.from(s, Math.abs).sort().reverse(), ut: new Float64Array(0), vt: new Float64Array(0) };
  }
  // B = U_B S V_B^T by divide and conquer, then U = Q_B U_B and V = P V_B.
  const inner = bidiagonalSvd(bidiagonal.d, bidiagonal.e);
  const threads = n * m >= PARALLEL_MIN_ENTRIES ? availableThreads() : 1;
  const { ut, vt } = applyBidiagonalFactors(bidiagonal, inner.ut, inner.vt, m, n, taker(threads > 1), threads);
  give(inner.ut, inner.vt, bidiagonal.leftReflectors, bidiagonal.rightReflectors);
  return { s: inner.s, ut, vt };
}

interface Bidiagonal {
  /** diagonal of B (n) */
  d: Float64Array;
  /** superdiagonal: e[j] = B[j, j+1], e[n-1] = 0 */
  e: Float64Array;
  /** (n, m): row j holds left reflector j in entries j..m-1 (entry j is 1), as in householder.ts */
  leftReflectors: Float64Array;
  leftTau: Float64Array;
  /** (n-2, n-1): row j holds right reflector j, acting on coordinates j+1..n-1, in entries j..n-2 */
  rightReflectors: Float64Array;
  rightTau: Float64Array;
}

/** Width of the blocked bidiagonalization panels. */
const BIDIAGONAL_PANEL = 32;

/**
 * Householder bidiagonalization of an (m, n) matrix, m >= n, on a row-major copy (LAPACK dgebrd).
 * Panels of BIDIAGONAL_PANEL columns are reduced by panelBidiagonalize, which defers the update
 * of the trailing matrix to two gemmNT products; the last columns are reduced one at a time.
 */
function bidiagonalize(a: Matrix): Bidiagonal {
  const { rows: m, cols: n } = a;
  const work = workspace(m, n);
  const w = work.w;
  w.set(a.data);
  const b: Bidiagonal = {
    d: new Float64Array(n),
    e: new Float64Array(n),
    leftReflectors: take(n * m),
    leftTau: new Float64Array(n),
    rightReflectors: take(Math.max(0, n - 2) * (n - 1)),
    rightTau: new Float64Array(Math.max(0, n - 2)),
  };
  let i0 = 0;
  while (n - i0 > 2 * BIDIAGONAL_PANEL) {
    panelBidiagonalize(work, m, n, i0, BIDIAGONAL_PANEL, b);
    i0 += BIDIAGONAL_PANEL;
  }
  unblockedBidiagonalize(w, m, n, i0, b);
  return b;
}

/**
 * The bidiagonalization's (m, n) working copy w, the panel's X (m, nb) and Y (n, nb), and
 * vectors v (m), u (n), fresh and tmp (max(m, n)), t1, t2 and small (nb).
 */
interface Workspace {
  w: Float64Array;
  x: Float64Array;
  y: Float64Array;
  v: Float64Array;
  u: Float64Array;
  fresh: Float64Array;
  tmp: Float64Array;
  t1: Float64Array;
  t2: Float64Array;
  small: Float64Array;
}

/**
 * In this thread's wasm memory (above the kernels' scratch, which the gemm calls of the panels
 * use meanwhile) when the matvec kernels are available, so that they work on w in place.
 */
function workspace(m: number, n: number): Workspace {
  const nb = BIDIAGONAL_PANEL;
  const sizes = [m * n, m * nb, n * nb, m, n, Math.max(m, n), Math.max(m, n), nb, nb, nb];
  const wasm = wasmKernels();
  let offset = KERNEL_SCRATCH_DOUBLES;
  const heap = wasm?.heap(offset + sizes.reduce((total, size) => total + size, 0));
  if (wasm) wasm.scratchOwner = null;
  const [w, x, y, v, u, fresh, tmp, t1, t2, small] = sizes.map((size) => {
    if (!heap) return new Float64Array(size);
    const view = new Float64Array(heap.buffer, 8 * offset, size);
    offset += size;
    return view;
  });
  return { w, x, y, v, u, fresh, tmp, t1, t2, small };
}

/** The kernels, if all the arrays are views of their memory (the kernels take byte addresses). */
function inWasmMemory(...arrays: Float64Array[]): WasmKernels | null {
  const wasm = wasmKernels();
  if (wasm === null) return null;
  const memory = wasm.heap(0).buffer;
  return arrays.every((array) => array.buffer === memory) ? wasm : null;
}

/**
 * y[y0 + c] += sum_r v[r] A(r, c) for the (rows, cols) block A(r, c) = w[a0 + r ld + c]: the
 * level-2 half of the bidiagonalization. In wasm (two columns per lane pair, four rows per pass;
 * the arrays are Workspace views in wasm memory), else the same four-row loop in JS.
 */
function addTransposedProduct(
  w: Float64Array, a0: number, ld: number, rows: number, cols: number, v: Float64Array, y: Float64Array, y0: number,
): void {
  const wasm = inWasmMemory(w, v, y);
  let first = 0; // columns before this one are done
  if (wasm) {
    first = cols & ~1;
    wasm.matvecTransposed(w.byteOffset + 8 * a0, 8 * ld, rows, 8 * first, v.byteOffset, y.byteOffset + 8 * y0);
  }
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const v0 = v[r], v1 = v[r + 1], v2 = v[r + 2], v3 = v[r + 3];
    const r0 = a0 + r * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
    for (let c = first; c < cols; c++) y[y0 + c] += v0 * w[r0 + c] + v1 * w[r1 + c] + v2 * w[r2 + c] + v3 * w[r3 + c];
  }
  for (; r < rows; r++) {
    const vr = v[r];
    const row = a0 + r * ld;
    for (let c = first; c < cols; c++) y[y0 + c] += vr * w[row + c];
  }
}

/** x[x0 + r] = sum_c A(r, c) u[c] for the block of addTransposedProduct; wasm as there. */
function product(
  w: Float64Array, a0: number, ld: number, rows: number, cols: number, u: Float64Array, x: Float64Array, x0: number,
): void {
  const wasm = inWasmMemory(w, u, x);
  if (wasm) {
    const even = cols & ~1;
    wasm.matvec(w.byteOffset + 8 * a0, 8 * ld, rows, 8 * even, u.byteOffset, x.byteOffset + 8 * x0);
    if (even < cols) for (let r = 0; r < rows; r++) x[x0 + r] += w[a0 + r * ld + even] * u[even];
    return;
  }
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const r0 = a0 + r * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let c = 0; c < cols; c++) {
      const uc = u[c];
      s0 += w[r0 + c] * uc;
      s1 += w[r1 + c] * uc;
      s2 += w[r2 + c] * uc;
      s3 += w[r3 + c] * uc;
    }
    x[x0 + r] = s0;
    x[x0 + r + 1] = s1;
    x[x0 + r + 2] = s2;
    x[x0 + r + 3] = s3;
  }
  for (; r < rows; r++) {
    const row = a0 + r * ld;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += w[row + c] * u[c];
    x[x0 + r] = sum;
  }
}

/**
 * One panel of dlabrd: reduces rows and columns i0..i0+nb-1, keeping the updates of the trailing
 * matrix in X (m', nb) and Y (n', nb), then applies them at once: A' -= V Y^T + X U^T.
 * Local indices below are relative to (i0, i0); A(r, c) = w[(i0 + r) n + i0 + c].
 */
function panelBidiagonalize(work: Workspace, m: number, n: number, i0: number, nb: number, b: Bidiagonal): void {
  const { w, v, u, fresh, x, y, t1, t2, small, tmp } = work;
  const mm = m - i0;
  const nn = n - i0;
  const base = i0 * n + i0;
  const at = (r: number, c: number): number => base + r * n + c;
  // X(r, p) = x[r nb + p] (mm, nb) and Y(c, p) = y[c nb + p] (nn, nb); small (nb) holds a row of
  // A or X, negated where a product is to be subtracted.

  for (let i = 0; i < nb; i++) {
    // Column i: A(i:mm, i) -= A(i:mm, 0:i) Y(i, 0:i)^T + X(i:mm, 0:i) A(0:i, i)
    product(w, at(i, 0), n, mm - i, i, y.subarray(i * nb), tmp, 0);
    for (let p = 0; p < i; p++) small[p] = w[at(p, i)];
    product(x, i * nb, nb, mm - i, i, small, fresh, 0);
    for (let r = i; r < mm; r++) w[at(r, i)] -= tmp[r - i] + fresh[r - i];
    const length = mm - i;
    for (let r = 0; r < length; r++) v[r] = w[at(i + r, i)];
    const left = reflect(v, 0, length);
    b.d[i0 + i] = left.beta;
    b.leftTau[i0 + i] = left.tau;
    b.leftReflectors.set(v.subarray(0, length), (i0 + i) * m + i0 + i);
    for (let r = 0; r < length; r++) w[at(i + r, i)] = v[r]; // A(i, i) = 1 while the panel lasts

    // Y(i+1:nn, i) = tauq (A(i:mm, i+1:nn)^T v - Y(i+1:nn, 0:i) t1 - A(0:i, i+1:nn)^T t2)
    // with t1 = A(i:mm, 0:i)^T v and t2 = X(i:mm, 0:i)^T v.
    const yi = fresh;
    yi.fill(0, 0, nn);
    t1.fill(0);
    t2.fill(0);
    addTransposedProduct(w, at(i, i + 1), n, mm - i, nn - i - 1, v, yi, i + 1); // the big product
    addTransposedProduct(w, at(i, 0), n, mm - i, i, v, t1, 0);
    addTransposedProduct(x, i * nb, nb, mm - i, i, v, t2, 0);
    product(y, (i + 1) * nb, nb, nn - i - 1, i, t1, tmp, 0);
    for (let p = 0; p < i; p++) small[p] = -t2[p];
    addTransposedProduct(w, at(0, i + 1), n, i, nn - i - 1, small, yi, i + 1);
    for (let c = i + 1; c < nn; c++) y[c * nb + i] = left.tau * (yi[c] - tmp[c - i - 1]);

    // Row i: A(i, i+1:nn) -= Y(i+1:nn, 0:i+1) A(i, 0:i+1)^T + A(0:i, i+1:nn)^T X(i, 0:i)^T
    const rowI = at(i, 0);
    product(y, (i + 1) * nb, nb, nn - i - 1, i + 1, w.subarray(rowI), tmp, 0);
    for (let c = i + 1; c < nn; c++) w[rowI + c] -= tmp[c - i - 1];
    for (let p = 0; p < i; p++) small[p] = -x[i * nb + p];
    addTransposedProduct(w, at(0, i + 1), n, i, nn - i - 1, small, w, rowI + i + 1);
    const rightLength = nn - i - 1;
    for (let c = 0; c < rightLength; c++) u[c] = w[rowI + i + 1 + c];
    const right = reflect(u, 0, rightLength);
    b.e[i0 + i] = right.beta;
    b.rightTau[i0 + i] = right.tau;
    b.rightReflectors.set(u.subarray(0, rightLength), (i0 + i) * (n - 1) + i0 + i);
    for (let c = 0; c < rightLength; c++) w[rowI + i + 1 + c] = u[c]; // A(i, i+1) = 1

    // X(i+1:mm, i) = taup (A(i+1:mm, i+1:nn) u - A(i+1:mm, 0:i+1) t1 - X(i+1:mm, 0:i) t2)
    // with t1 = Y(i+1:nn, 0:i+1)^T u and t2 = A(0:i, i+1:nn) u.
    t1.fill(0);
    addTransposedProduct(y, (i + 1) * nb, nb, nn - i - 1, i + 1, u, t1, 0);
    product(w, at(0, i + 1), n, i, nn - i - 1, u, t2, 0);
    const xi = fresh;
    product(w, at(i + 1, i + 1), n, mm - i - 1, nn - i - 1, u, xi, 0); // the big product
    product(w, at(i + 1, 0), n, mm - i - 1, i + 1, t1, tmp, 0);
    for (let r = 0; r < mm - i - 1; r++) x[(i + 1 + r) * nb + i] = xi[r] - tmp[r];
    product(x, (i + 1) * nb, nb, mm - i - 1, i, t2, tmp, 0);
    for (let r = 0; r < mm - i - 1; r++) x[(i + 1 + r) * nb + i] = right.tau * (x[(i + 1 + r) * nb + i] - tmp[r]);
  }

  // Trailing matrix A(nb:mm, nb:nn) -= V Y^T + X U^T, with V = A(nb:mm, 0:nb) (left reflectors)
  // and U^T = A(0:nb, nb:nn) (right reflectors), both still holding their unit entries.
  const rows = mm - nb;
  const cols = nn - nb;
  gemmNTParallel(rows, cols, nb, -1, w, at(nb, 0), n, y, nb * nb, nb, 1, w, at(nb, nb), n);
  const ut = take(cols * nb); // U (cols, nb)
  for (let p = 0; p < nb; p++) for (let c = 0; c < cols; c++) ut[c * nb + p] = w[at(p, nb + c)];
  gemmNTParallel(rows, cols, nb, -1, x, nb * nb, nb, ut, 0, nb, 1, w, at(nb, nb), n);
  give(ut);
}

/**
 * Reduction one column at a time from step `start` on (dgebd2): step j applies the left
 * reflector of column j and then the right reflector of row j, the two updates of every row
 * below j fused into one pass over that row.
 */
function unblockedBidiagonalize(w: Float64Array, m: number, n: number, start: number, b: Bidiagonal): void {
  const { d, e, leftReflectors, leftTau, rightReflectors, rightTau } = b;
  const rightWidth = n - 1;
  const product = new Float64Array(n); // tau v^T W over the trailing columns
  const v = new Float64Array(m);
  const u = new Float64Array(n);

  for (let j = start; j < n; j++) {
    const length = m - j;
    for (let r = 0; r < length; r++) v[r] = w[(j + r) * n + j];
    const left = reflect(v, 0, length);
    d[j] = left.beta;
    leftTau[j] = left.tau;
    leftReflectors.set(v.subarray(0, length), j * m + j);
    if (j === n - 1) break;

    const tau = left.tau;
    if (tau !== 0) {
      product.fill(0, j + 1, n);
      for (let r = 0; r < length; r++) {
        const vr = v[r];
        if (vr === 0) continue;
        const row = (j + r) * n;
        for (let c = j + 1; c < n; c++) product[c] += vr * w[row + c];
      }
      for (let c = j + 1; c < n; c++) product[c] *= tau;
      const row = j * n; // v[0] = 1
      for (let c = j + 1; c < n; c++) w[row + c] -= product[c];
    }

    // Right reflector from row j, columns j+1..n-1.
    const rightLength = n - j - 1;
    for (let c = 0; c < rightLength; c++) u[c] = w[j * n + j + 1 + c];
    let rtau = 0;
    if (rightLength > 1) {
      const right = reflect(u, 0, rightLength);
      e[j] = right.beta;
      rtau = right.tau;
      rightTau[j] = rtau;
      rightReflectors.set(u.subarray(0, rightLength), j * rightWidth + j);
    } else {
      e[j] = u[0];
    }

    for (let r = j + 1; r < m; r++) {
      const row = r * n + j + 1; // row r, columns j+1..n-1
      const vr = tau !== 0 ? v[r - j] : 0;
      if (rtau !== 0) {
        // left update and the dot product with u in one loop, then the right update
        let dot = 0;
        for (let c = 0; c < rightLength; c++) {
          const updated = w[row + c] - vr * product[j + 1 + c];
          w[row + c] = updated;
          dot += updated * u[c];
        }
        dot *= rtau;
        for (let c = 0; c < rightLength; c++) w[row + c] -= dot * u[c];
      } else if (vr !== 0) {
        for (let c = 0; c < rightLength; c++) w[row + c] -= vr * product[j + 1 + c];
      }
    }
  }
}

/**
 * U^T = U_B^T Q_B^T ((n, m)) and V^T = V_B^T P^T ((n, n)) from the rows of U_B^T and V_B^T
 * (n x n each): every row is a vector to which Q_B or P is applied with blocked reflectors
 * (compact WY), the rows split over threads.
 */
function applyBidiagonalFactors(
  b: Bidiagonal, ubt: Float64Array, vbt: Float64Array, m: number, n: number,
  alloc: (length: number) => Float64Array, threads: number,
): { ut: Float64Array; vt: Float64Array } {
  const ut = alloc(n * m);
  for (let i = 0; i < n; i++) ut.set(ubt.subarray(i * n, i * n + n), i * m);
  const leftPanels = allocatePanels(m, n, alloc);
  fillPanels(leftPanels, b.leftReflectors, m, b.leftTau);
  const vt = alloc(n * n);
  vt.set(vbt);
  const parts: Parameters<typeof TASKS.applyPanels>[0][] = splitRange(0, n, partCount(threads)).map(([rowStart, rowEnd]) => ({
    panels: leftPanels, m, data: ut, ld: m, rowStart, rowEnd, transposeQ: false,
  }));
  let rightPanels: ReturnType<typeof allocatePanels> = [];
  if (n > 2) {
    // P = diag(1, P'), with P' acting on coordinates 1..n-1: row r of the view vt.subarray(1)
    // (stride n) holds coordinates 1..n-1 of vector r.
    rightPanels = allocatePanels(n - 1, n - 2, alloc);
    fillPanels(rightPanels, b.rightReflectors, n - 1, b.rightTau);
    parts.push(...splitRange(0, n, partCount(threads)).map(([rowStart, rowEnd]) => ({
      panels: rightPanels, m: n - 1, data: vt.subarray(1), ld: n, rowStart, rowEnd, transposeQ: false,
    })));
  }
  // On one thread (arrays not shared) every part must stay on this thread.
  if (threads > 1) runParts('applyPanels', parts.filter((p) => p.rowEnd > p.rowStart));
  else for (const part of parts) TASKS.applyPanels(part);
  for (const panel of [...leftPanels, ...rightPanels]) give(panel.v, panel.vt, panel.t);
  return { ut, vt };
}
