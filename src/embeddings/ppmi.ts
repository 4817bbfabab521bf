/**
 * Steps 1 and 2 of the Crystallization Transform: the symmetric windowed co-occurrence matrix and
 * its positive pointwise mutual information (PPMI). Both stay sparse: PPMI is only evaluated where
 * a pair co-occurred (log 0 would be -inf, which the max(0, .) clips anyway).
 */
import { addSparse, transposeSparse } from '../corpus/index.js';
import type { SparseMatrix } from '../corpus/types.js';

/** C = K + K^T for a square count matrix K (V, V): a pair (i, j) counts whichever of the two tokens came first. */
export function symmetrize(k: SparseMatrix): SparseMatrix {
  if (k.rows !== k.cols) throw new Error(`symmetrize: matrix is ${k.rows}x${k.cols}, expected square`);
  return addSparse(k, transposeSparse(k));
}

export interface PpmiOptions {
  /**
   * Context-distribution smoothing exponent (Levy, Goldberg & Dagan 2015): column marginals are
   * raised to this power and renormalized before the PMI. 1 (the default) is plain PPMI.
   */
  contextSmoothing?: number;
}

/**
 * PPMI_ij = max(0, log(C_ij * total / (row_i * col_j))) on the nonzeros of C, where total is the
 * sum of all entries and row_i, col_j are the marginals. Zeros of the result are dropped, so the
 * output holds only positive entries. For a symmetric C (and no smoothing) the result is symmetric.
 */
export function ppmi(c: SparseMatrix, opts: PpmiOptions = {}): SparseMatrix {
  const smoothing = opts.contextSmoothing ?? 1;
  const rowSums = new Float64Array(c.rows);
  const colSums = new Float64Array(c.cols);
  let total = 0;
  for (let i = 0; i < c.rows; i++) {
    for (let p = c.rowPtr[i]; p < c.rowPtr[i + 1]; p++) {
      const v = c.values[p];
      if (v < 0) throw new Error(`ppmi: co-occurrence counts must be non-negative, got ${v} at (${i}, ${c.colIdx[p]})`);
      rowSums[i] += v;
      colSums[c.colIdx[p]] += v;
      total += v;
    }
  }
  // With smoothing, col_j is replaced by total * col_j^s / sum_k col_k^s (the same total mass).
  if (smoothing !== 1) {
    let smoothedTotal = 0;
    for (let j = 0; j < c.cols; j++) {
      colSums[j] = Math.pow(colSums[j], smoothing);
      smoothedTotal += colSums[j];
    }
    for (let j = 0; j < c.cols; j++) colSums[j] *= total / smoothedTotal;
  }

  const rowPtr = new Int32Array(c.rows + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < c.rows; i++) {
    for (let p = c.rowPtr[i]; p < c.rowPtr[i + 1]; p++) {
      const v = c.values[p];
      if (v === 0) continue;
      const j = c.colIdx[p];
      const pmi = Math.log((v * total) / (rowSums[i] * colSums[j]));
      if (pmi > 0) {
        colIdx.push(j);
        values.push(pmi);
      }
    }
    rowPtr[i + 1] = colIdx.length;
  }
  return { rows: c.rows, cols: c.cols, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
}
