/**
 * Householder QR of a tall (m, n) matrix, m >= n: the first stage of the SVD of tall matrices and
 * the orthonormalization step of the randomized solvers. The arithmetic lives in householder.ts;
 * this file holds the Matrix-level API and spreads the big updates over the thread pool.
 */
import { type Matrix, zeros, transpose, transposeInto } from './matrix.js';
import { allocatePanels, applyPanelsToRows, factorColumns, identityRowRanges, type PanelArrays } from './householder.js';
import { availableThreads, isShared, partCount, runParts, sharedFloat64 } from './parallel.js';
import { give, take, taker } from './scratch.js';

/** Below this many entries (m n) a factorization stays on one thread. */
const PARALLEL_MIN_ENTRIES = 100_000;

export interface HouseholderQR {
  rows: number;
  cols: number;
  /** (n, m): row j is column j of the factored matrix (R above the diagonal, reflectors below) */
  columns: Float64Array;
  tau: Float64Array;
  panels: PanelArrays[];
}

/** A = Q R with Q = H_0 H_1 ... H_{n-1}; use upperTriangle, applyQ, applyQT, thinQ on the result. */
export function householderQR(a: Matrix): HouseholderQR {
  const { rows: m, cols: n } = a;
  if (m < n) throw new Error(`householderQR: needs rows >= cols, got ${m}x${n}`);
  const parallel = m * n >= PARALLEL_MIN_ENTRIES && availableThreads() > 1;
  // Work arrays from scratch.ts (kept between calls: fresh pages are slow); releaseQR gives
  // them back when the factorization is no longer needed.
  const alloc = taker(parallel);
  const columns = alloc(m * n);
  transposeInto(a.data, 0, n, m, n, columns, 0, m);
  const tau = new Float64Array(n);
  const panels = allocatePanels(m, n, alloc);
  if (parallel) {
    factorColumns(columns, m, n, tau, panels, (panel, first, end) =>
      runParts('applyPanels', splitRange(first, end, partCount(availableThreads())).map(([rowStart, rowEnd]) => ({
        panels: [panel], m, data: columns, ld: m, rowStart, rowEnd, transposeQ: true,
      }))),
    );
  } else {
    factorColumns(columns, m, n, tau, panels);
  }
  return { rows: m, cols: n, columns, tau, panels };
}

/** The (n, n) upper-triangular factor R. */
export function upperTriangle(qr: HouseholderQR): Matrix {
  const { rows: m, cols: n, columns } = qr;
  const r = zeros(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) r.data[i * n + j] = columns[j * m + i];
  return r;
}

/**
 * Y <- Q Y in place, for Y (m, k) given TRANSPOSED as yt (k, m) (row i = column i of Y), the
 * layout in which the reflector products are contiguous.
 */
export function applyQ(qr: HouseholderQR, yt: Matrix): void {
  applyToVectors(qr, yt, false);
}

/** Y <- Q^T Y in place, Y given transposed as for applyQ. */
export function applyQT(qr: HouseholderQR, yt: Matrix): void {
  applyToVectors(qr, yt, true);
}

function applyToVectors(qr: HouseholderQR, yt: Matrix, transposeQ: boolean): void {
  const m = qr.rows;
  if (yt.cols !== m) throw new Error(`applyQ: vectors of length ${yt.cols}, Q has ${m} rows`);
  const shared = qr.columns.buffer instanceof SharedArrayBuffer;
  const threads = shared && yt.rows >= 8 ? availableThreads() : 1;
  if (threads === 1) {
    applyPanelsToRows(qr.panels, m, yt.data, m, 0, yt.rows, transposeQ);
    return;
  }
  const data = isShared(yt.data) ? yt.data : take(yt.data.length, true);
  if (data !== yt.data) data.set(yt.data);
  runParts('applyPanels', splitRange(0, yt.rows, partCount(threads)).map(([rowStart, rowEnd]) => ({
    panels: qr.panels, m, data, ld: m, rowStart, rowEnd, transposeQ,
  })));
  if (data !== yt.data) {
    yt.data.set(data);
    give(data);
  }
}

/** Gives the factorization's work arrays back to scratch.ts; qr must not be used afterwards. */
export function releaseQR(qr: HouseholderQR): void {
  give(qr.columns);
  for (const panel of qr.panels) give(panel.v, panel.vt, panel.t);
}

/** The first n columns of Q: (m, n) with orthonormal columns. */
export function thinQ(qr: HouseholderQR): Matrix {
  const { rows: m, cols: n, panels } = qr;
  const shared = qr.columns.buffer instanceof SharedArrayBuffer;
  const threads = shared && n >= 8 ? availableThreads() : 1;
  const yt = shared ? sharedFloat64(n * m) : new Float64Array(n * m); // (n, m): rows become columns of Q
  for (let i = 0; i < n; i++) yt[i * m + i] = 1;
  runParts('applyPanels', identityRowRanges(panels, m, 0, n, partCount(threads)).map(([rowStart, rowEnd]) => ({
    panels, m, data: yt, ld: m, rowStart, rowEnd, transposeQ: false, identityRows: true,
  })));
  return transpose({ rows: n, cols: m, data: yt });
}

/** An orthonormal basis (m, n) of the column space of X (m, n), m >= n, by Householder QR. */
export function orthonormalize(x: Matrix): Matrix {
  return thinQ(householderQR(x));
}

/** [start, end) cut into `parts` contiguous ranges (some may be empty). */
export function splitRange(start: number, end: number, parts: number): [number, number][] {
  const size = Math.ceil((end - start) / parts);
  const ranges: [number, number][] = [];
  for (let p = 0; p < parts; p++) ranges.push([Math.min(end, start + p * size), Math.min(end, start + (p + 1) * size)]);
  return ranges;
}
