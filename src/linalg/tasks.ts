/**
 * The work that parallel.ts can hand to worker threads, by name. Each task reads and writes
 * shared typed arrays only, and its arguments are plain objects of numbers and typed arrays.
 */
import { gemmNT } from './gemm.js';
import { applyRotationsToColumns, type RotationArrays } from './rotations.js';
import { applyPanelsToRows, factorColumns, type PanelArrays } from './householder.js';
import { solveSubtree, type SubtreePart } from './bidiagonal-dc.js';
import { runRowPart, type RowPart } from './row-kernels.js';

export const TASKS = {
  /** C = beta C + alpha A B^T on a block of rows */
  gemm(p: {
    m: number; n: number; k: number; alpha: number;
    a: Float64Array; aOff: number; lda: number;
    b: Float64Array; bOff: number; ldb: number;
    beta: number; c: Float64Array; cOff: number; ldc: number;
  }): void {
    gemmNT(p.m, p.n, p.k, p.alpha, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, p.c, p.cOff, p.ldc);
  },
  /** recorded rotation sequences, each applied to columns [colStart, colEnd) of row-vectors */
  rotate(p: { jobs: { rotations: RotationArrays; data: Float64Array; ld: number; colStart: number; colEnd: number }[] }): void {
    for (const job of p.jobs) applyRotationsToColumns(job.rotations, job.data, job.ld, job.colStart, job.colEnd);
  },
  /** Q or Q^T of a blocked Householder QR applied to vectors (rows of data) rowStart..rowEnd-1 */
  applyPanels(p: {
    panels: PanelArrays[]; m: number; data: Float64Array; ld: number; rowStart: number; rowEnd: number; transposeQ: boolean;
    identityRows?: boolean;
  }): void {
    applyPanelsToRows(p.panels, p.m, p.data, p.ld, p.rowStart, p.rowEnd, p.transposeQ, p.identityRows);
  },
  /** in-place blocked Householder QR of n columns of length m stored as rows of `columns` */
  factor(p: { columns: Float64Array; m: number; n: number; tau: Float64Array; panels: PanelArrays[] }): void {
    factorColumns(p.columns, p.m, p.n, p.tau, p.panels);
  },
  /** one subtree of the bidiagonal divide and conquer, solved on this thread */
  bidiagonalSubtree(p: SubtreePart): void {
    solveSubtree(p);
  },
  /** rows of a matrix in shared wasm memory times a block of vectors (row-kernels.ts) */
  rows(p: RowPart): void {
    runRowPart(p);
  },
};

export type TaskName = keyof typeof TASKS;
