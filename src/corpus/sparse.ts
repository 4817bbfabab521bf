/**
 * Sparse (CSR, Float64) helpers for the corpus statistics. The V x V count matrices (V = 15,007)
 * hold a few hundred thousand non-zeros; a dense copy would take 1.8 GB, so every product with them
 * goes through the sparse form, and projections into embedding space are computed as E^T (M E).
 *
 * Invariants of every SparseMatrix made here: column indices sorted within each row, no duplicate
 * entries, no explicitly stored zeros.
 */
import { type Matrix, zeros } from '../linalg/matrix.js';
import { matmulTransA } from '../linalg/kernels.js';
import type { SparseMatrix } from './types.js';

/**
 * Builds a rows x cols CSR matrix from (i[k], j[k], v[k]) triplets, summing duplicates and dropping
 * entries that sum to exactly zero. Two stable counting sorts (by column, then by row) order the
 * triplets in O(nnz + rows + cols), with no comparison sort.
 */
export function sparseFromTriplets(
  rows: number,
  cols: number,
  i: Int32Array,
  j: Int32Array,
  v: Float64Array,
): SparseMatrix {
  const n = i.length;
  if (j.length !== n || v.length !== n) {
    throw new Error(`sparseFromTriplets: ${n} rows, ${j.length} cols and ${v.length} values given`);
  }
  for (let k = 0; k < n; k++) {
    if (i[k] < 0 || i[k] >= rows || j[k] < 0 || j[k] >= cols) {
      throw new Error(`sparseFromTriplets: entry (${i[k]}, ${j[k]}) outside ${rows} x ${cols}`);
    }
  }

  // Stable counting sort by column ...
  const colStart = new Int32Array(cols + 1);
  for (let k = 0; k < n; k++) colStart[j[k] + 1]++;
  for (let c = 0; c < cols; c++) colStart[c + 1] += colStart[c];
  const byCol = new Int32Array(n);
  for (let k = 0; k < n; k++) byCol[colStart[j[k]]++] = k;

  // ... then by row, which keeps the column order within each row.
  const rowStart = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) rowStart[i[k] + 1]++;
  for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
  const order = new Int32Array(n);
  const next = rowStart.slice(0, rows);
  for (let t = 0; t < n; t++) {
    const k = byCol[t];
    order[next[i[k]]++] = k;
  }

  // Merge runs of equal (row, col), then drop zero sums.
  const rowPtr = new Int32Array(rows + 1);
  const colIdx = new Int32Array(n);
  const values = new Float64Array(n);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const first = nnz;
    for (let t = rowStart[r]; t < rowStart[r + 1]; t++) {
      const k = order[t];
      if (nnz > first && colIdx[nnz - 1] === j[k]) {
        values[nnz - 1] += v[k];
      } else {
        colIdx[nnz] = j[k];
        values[nnz] = v[k];
        nnz++;
      }
    }
    let kept = first;
    for (let t = first; t < nnz; t++) {
      if (values[t] === 0) continue;
      colIdx[kept] = colIdx[t];
      values[kept] = values[t];
      kept++;
    }
    nnz = kept;
    rowPtr[r + 1] = nnz;
  }
  return { rows, cols, rowPtr, colIdx: colIdx.slice(0, nnz), values: values.slice(0, nnz) };
}

/** The dense copy of a sparse matrix; for small matrices and tests only. */
export function sparseToDense(m: SparseMatrix): Matrix {
  const dense = zeros(m.rows, m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.rowPtr[r]; t < m.rowPtr[r + 1]; t++) dense.data[r * m.cols + m.colIdx[t]] = m.values[t];
  }
  return dense;
}

/** m[i, j], by binary search within row i. */
export function sparseGet(m: SparseMatrix, i: number, j: number): number {
  let lo = m.rowPtr[i];
  let hi = m.rowPtr[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.colIdx[mid];
    if (c === j) return m.values[mid];
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

export function nonZeros(m: SparseMatrix): number {
  return m.rowPtr[m.rows];
}

/** m^T, rows sorted by construction (a counting sort by column). */
export function transposeSparse(m: SparseMatrix): SparseMatrix {
  const nnz = nonZeros(m);
  const rowPtr = new Int32Array(m.cols + 1);
  for (let t = 0; t < nnz; t++) rowPtr[m.colIdx[t] + 1]++;
  for (let c = 0; c < m.cols; c++) rowPtr[c + 1] += rowPtr[c];
  const next = rowPtr.slice(0, m.cols);
  const colIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.rowPtr[r]; t < m.rowPtr[r + 1]; t++) {
      const dest = next[m.colIdx[t]]++;
      colIdx[dest] = r;
      values[dest] = m.values[t];
    }
  }
  return { rows: m.cols, cols: m.rows, rowPtr, colIdx, values };
}

/** alpha a + beta b, merging the sorted rows; entries that cancel to exactly zero are dropped. */
export function addSparse(a: SparseMatrix, b: SparseMatrix, alpha = 1, beta = 1): SparseMatrix {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`addSparse: ${a.rows}x${a.cols} plus ${b.rows}x${b.cols}`);
  }
  const capacity = nonZeros(a) + nonZeros(b);
  const rowPtr = new Int32Array(a.rows + 1);
  const colIdx = new Int32Array(capacity);
  const values = new Float64Array(capacity);
  let nnz = 0;
  const push = (c: number, x: number): void => {
    if (x === 0) return;
    colIdx[nnz] = c;
    values[nnz] = x;
    nnz++;
  };
  for (let r = 0; r < a.rows; r++) {
    let p = a.rowPtr[r];
    let q = b.rowPtr[r];
    const pEnd = a.rowPtr[r + 1];
    const qEnd = b.rowPtr[r + 1];
    while (p < pEnd || q < qEnd) {
      const ca = p < pEnd ? a.colIdx[p] : Infinity;
      const cb = q < qEnd ? b.colIdx[q] : Infinity;
      if (ca === cb) push(ca, alpha * a.values[p++] + beta * b.values[q++]);
      else if (ca < cb) push(ca, alpha * a.values[p++]);
      else push(cb, beta * b.values[q++]);
    }
    rowPtr[r + 1] = nnz;
  }
  return { rows: a.rows, cols: a.cols, rowPtr, colIdx: colIdx.slice(0, nnz), values: values.slice(0, nnz) };
}

/** Each row divided by its sum; rows that sum to zero stay zero. */
export function rowNormalizeSparse(m: SparseMatrix): SparseMatrix {
  const values = new Float64Array(m.values.length);
  for (let r = 0; r < m.rows; r++) {
    let sum = 0;
    for (let t = m.rowPtr[r]; t < m.rowPtr[r + 1]; t++) sum += m.values[t];
    if (sum === 0) continue;
    for (let t = m.rowPtr[r]; t < m.rowPtr[r + 1]; t++) values[t] = m.values[t] / sum;
  }
  return { rows: m.rows, cols: m.cols, rowPtr: m.rowPtr.slice(), colIdx: m.colIdx.slice(), values };
}

function requireSquare(m: SparseMatrix, what: string): void {
  if (m.rows !== m.cols) throw new Error(`${what}: needs a square matrix, got ${m.rows}x${m.cols}`);
}

/** S = (m + m^T) / 2 */
export function symmetricPartSparse(m: SparseMatrix): SparseMatrix {
  requireSquare(m, 'symmetricPartSparse');
  return addSparse(m, transposeSparse(m), 0.5, 0.5);
}

/** A = (m - m^T) / 2 */
export function antisymmetricPartSparse(m: SparseMatrix): SparseMatrix {
  requireSquare(m, 'antisymmetricPartSparse');
  return addSparse(m, transposeSparse(m), 0.5, -0.5);
}

export function frobeniusNormSparse(m: SparseMatrix): number {
  let sum = 0;
  for (let t = 0; t < m.values.length; t++) sum += m.values[t] * m.values[t];
  return Math.sqrt(sum);
}

/**
 * ||(m - m^T)/2||_F, from the explicit antisymmetric part rather than from
 * (||m||^2 - <m, m^T>)/2, which loses all precision when m is nearly symmetric.
 */
export function antisymmetricNormSparse(m: SparseMatrix): number {
  return frobeniusNormSparse(antisymmetricPartSparse(m));
}

/** m x: (rows, cols) times (cols, d) -> (rows, d). */
export function sparseTimesDense(m: SparseMatrix, x: Matrix): Matrix {
  if (m.cols !== x.rows) throw new Error(`sparseTimesDense: ${m.rows}x${m.cols} times ${x.rows}x${x.cols}`);
  const d = x.cols;
  const out = zeros(m.rows, d);
  const o = out.data;
  const xs = x.data;
  const { rowPtr, colIdx, values } = m;
  for (let r = 0; r < m.rows; r++) {
    const outRow = r * d;
    const end = rowPtr[r + 1];
    let t = rowPtr[r];
    // four nonzeros a pass: one read-modify-write of the output row instead of four (about 2x faster)
    for (; t + 3 < end; t += 4) {
      const v0 = values[t], v1 = values[t + 1], v2 = values[t + 2], v3 = values[t + 3];
      const x0 = colIdx[t] * d, x1 = colIdx[t + 1] * d, x2 = colIdx[t + 2] * d, x3 = colIdx[t + 3] * d;
      for (let c = 0; c < d; c++) o[outRow + c] += v0 * xs[x0 + c] + v1 * xs[x1 + c] + v2 * xs[x2 + c] + v3 * xs[x3 + c];
    }
    for (; t < end; t++) {
      const value = values[t];
      const xRow = colIdx[t] * d;
      for (let c = 0; c < d; c++) o[outRow + c] += value * xs[xRow + c];
    }
  }
  return out;
}

/** m^T x without forming m^T: (rows, cols)^T times (rows, d) -> (cols, d), by scattering rows. */
export function sparseTransposeTimesDense(m: SparseMatrix, x: Matrix): Matrix {
  if (m.rows !== x.rows) {
    throw new Error(`sparseTransposeTimesDense: (${m.rows}x${m.cols})^T times ${x.rows}x${x.cols}`);
  }
  const d = x.cols;
  const out = zeros(m.cols, d);
  for (let r = 0; r < m.rows; r++) {
    const xRow = r * d;
    for (let t = m.rowPtr[r]; t < m.rowPtr[r + 1]; t++) {
      const value = m.values[t];
      const outRow = m.colIdx[t] * d;
      for (let c = 0; c < d; c++) out.data[outRow + c] += value * x.data[xRow + c];
    }
  }
  return out;
}

/**
 * The dense block m[active, active]: entry (p, q) is m[active[p], active[q]], so the block's rows
 * and columns follow the order of `active` (most frequent first for CorpusStatistics.active).
 */
export function activeBlock(m: SparseMatrix, active: Int32Array): Matrix {
  const n = active.length;
  const positionOf = new Int32Array(m.cols).fill(-1);
  for (let p = 0; p < n; p++) positionOf[active[p]] = p;
  const block = zeros(n, n);
  for (let p = 0; p < n; p++) {
    const r = active[p];
    for (let t = m.rowPtr[r]; t < m.rowPtr[r + 1]; t++) {
      const q = positionOf[m.colIdx[t]];
      if (q >= 0) block.data[p * n + q] = m.values[t];
    }
  }
  return block;
}

/** E^T m E: (V, d)^T (V, V) (V, d) -> (d, d), as E^T (m E) so that nothing V x V is ever dense. */
export function projectSparse(m: SparseMatrix, e: Matrix): Matrix {
  if (m.rows !== e.rows || m.cols !== e.rows) {
    throw new Error(`projectSparse: E^T M E with M ${m.rows}x${m.cols} and E ${e.rows}x${e.cols}`);
  }
  return matmulTransA(e, sparseTimesDense(m, e));
}

/**
 * [E^T T^n E for n = 1..maxPower], each (d, d). T^n is never formed: X_0 = E, X_n = T X_{n-1}
 * (V, d), so each power costs one sparse product and one d x d projection.
 */
export function projectedPowers(t: SparseMatrix, e: Matrix, maxPower: number): Matrix[] {
  if (t.rows !== e.rows || t.cols !== e.rows) {
    throw new Error(`projectedPowers: T ${t.rows}x${t.cols} with E ${e.rows}x${e.cols}`);
  }
  const powers: Matrix[] = [];
  let x = e; // (V, d)
  for (let n = 1; n <= maxPower; n++) {
    x = sparseTimesDense(t, x);
    powers.push(matmulTransA(e, x)); // (d, d)
  }
  return powers;
}
