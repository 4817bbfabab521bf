/**
 * Dense products on Matrix values. They call gemmNT (gemm.ts) and split large products by rows
 * of C across the thread pool (parallel.ts); every element of C is computed by the same
 * arithmetic either way, so results do not depend on the number of threads.
 */
import { type Matrix, zeros, transpose } from './matrix.js';
import { gemmNT } from './gemm.js';
import { availableThreads, isShared, partCount, runParts, toShared } from './parallel.js';

export { gemmNT };

/** Products below this many multiply-adds are not worth a round trip to a worker. */
const PARALLEL_MIN_WORK = 2_000_000;
/**
 * Multiply-adds per element copied into shared memory below which a product stays on one thread:
 * a skinny product (A (n, 512) times 4 columns) does 4 multiply-adds per element of A, and copying
 * A into a fresh SharedArrayBuffer on every call cost more than the second thread saved (and
 * filled the heap with dead buffers: 15 GB at the laptop profile when the Lanczos basis was not
 * shared).
 */
const MIN_WORK_PER_COPIED = 32;

/**
 * gemmNT on whole arrays, split across threads by rows of C when large. C is written in place;
 * when threads are used and an operand is not in shared memory it is copied there first.
 */
export function gemmNTParallel(
  m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number,
  beta: number, c: Float64Array, cOff: number, ldc: number,
): void {
  const copied = (isShared(a) ? 0 : m * k) + (isShared(b) ? 0 : n * k) + (isShared(c) ? 0 : 2 * m * n);
  const worthIt = m * n * k >= PARALLEL_MIN_WORK && m >= 8 && m * n * k >= MIN_WORK_PER_COPIED * copied;
  const threads = worthIt ? availableThreads() : 1;
  if (threads === 1) {
    gemmNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    return;
  }
  const sharedA = toShared(a);
  const sharedB = toShared(b);
  const sharedC = isShared(c) ? c : toShared(c);
  // Row blocks that are multiples of 4, so every part keeps the 4x4 register blocking.
  const rowsPerPart = Math.max(8, Math.ceil(m / partCount(threads) / 4) * 4);
  const parts = [];
  for (let r0 = 0; r0 < m; r0 += rowsPerPart) {
    const rows = Math.min(rowsPerPart, m - r0);
    parts.push({
      m: rows, n, k, alpha,
      a: sharedA, aOff: aOff + r0 * lda, lda,
      b: sharedB, bOff, ldb,
      beta, c: sharedC, cOff: cOff + r0 * ldc, ldc,
    });
  }
  runParts('gemm', parts);
  if (sharedC !== c) c.set(sharedC);
}

/** (m, k) x (k, n) -> (m, n); transposes B once so that both operands stream along rows. */
export function matmulFast(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new Error(`matmulFast: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
  return matmulTransB(a, transpose(b));
}

/** A B^T: (m, k) x (n, k) -> (m, n), no copies. */
export function matmulTransB(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) throw new Error(`matmulTransB: ${a.rows}x${a.cols} times (${b.rows}x${b.cols})^T`);
  const c = zeros(a.rows, b.rows);
  gemmNTParallel(a.rows, b.rows, a.cols, 1, a.data, 0, a.cols, b.data, 0, b.cols, 0, c.data, 0, b.rows);
  return c;
}

/** A^T B: (k, m) x (k, n) -> (m, n). */
export function matmulTransA(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows) throw new Error(`matmulTransA: (${a.rows}x${a.cols})^T times ${b.rows}x${b.cols}`);
  return matmulTransB(transpose(a), transpose(b));
}

/**
 * A^T B for (k, m) inputs whose product is known to be symmetric (e.g. Q^T (A Q) for symmetric
 * A): only strips on and below the diagonal are computed and the lower triangle is mirrored;
 * about half the work of matmulTransA. The result is exactly symmetric.
 */
export function matmulTransASymmetric(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`matmulTransASymmetric: (${a.rows}x${a.cols})^T times ${b.rows}x${b.cols}`);
  }
  const m = a.cols;
  const at = transpose(a); // (m, k)
  const bt = transpose(b); // (m, k)
  const k = a.rows;
  const c = zeros(m, m);
  const strip = 64;
  for (let i0 = 0; i0 < m; i0 += strip) {
    const rows = Math.min(strip, m - i0);
    // rows i0..i0+rows-1, columns 0..i0+rows-1
    gemmNTParallel(rows, i0 + rows, k, 1, at.data, i0 * k, k, bt.data, 0, k, 0, c.data, i0 * m, m);
  }
  // The upper triangle is only partly computed (inside the diagonal strips): copy the lower one.
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) c.data[j * m + i] = c.data[i * m + j];
  return c;
}
