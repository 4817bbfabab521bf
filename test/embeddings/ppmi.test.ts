import { describe, expect, it } from 'vitest';
import { sparseFromTriplets, sparseGet, sparseToDense } from '../../src/corpus/index.js';
import type { SparseMatrix } from '../../src/corpus/types.js';
import { ppmi, symmetrize } from '../../src/embeddings/ppmi.js';

function fromDense(rows: number[][]): SparseMatrix {
  const i: number[] = [];
  const j: number[] = [];
  const v: number[] = [];
  rows.forEach((row, r) => row.forEach((x, c) => { if (x !== 0) { i.push(r); j.push(c); v.push(x); } }));
  return sparseFromTriplets(rows.length, rows[0].length, Int32Array.from(i), Int32Array.from(j), Float64Array.from(v));
}

function dense(m: SparseMatrix): number[][] {
  const d = sparseToDense(m);
  return Array.from({ length: m.rows }, (_, r) => Array.from(d.data.subarray(r * m.cols, (r + 1) * m.cols)));
}

describe('symmetrize', () => {
  it('adds the transpose', () => {
    const k = fromDense([
      [0, 2, 1],
      [0, 0, 3],
      [5, 0, 1],
    ]);
    expect(dense(symmetrize(k))).toEqual([
      [0, 2, 6],
      [2, 0, 3],
      [6, 3, 2],
    ]);
  });
});

describe('ppmi', () => {
  it('matches a hand count', () => {
    // total = 12, row sums (= column sums) 6, 5, 1
    //   (0,0): log(2 * 12 / (6 * 6)) = log(2/3) < 0  -> dropped
    //   (0,1): log(4 * 12 / (6 * 5)) = log(1.6)
    //   (1,2): log(1 * 12 / (5 * 1)) = log(2.4)
    const c = fromDense([
      [2, 4, 0],
      [4, 0, 1],
      [0, 1, 0],
    ]);
    const s = ppmi(c);
    expect(s.rowPtr[s.rows]).toBe(4);
    expect(sparseGet(s, 0, 0)).toBe(0);
    expect(sparseGet(s, 0, 1)).toBeCloseTo(Math.log(1.6), 14);
    expect(sparseGet(s, 1, 0)).toBeCloseTo(Math.log(1.6), 14);
    expect(sparseGet(s, 1, 2)).toBeCloseTo(Math.log(2.4), 14);
    expect(sparseGet(s, 2, 1)).toBeCloseTo(Math.log(2.4), 14);
  });

  it('counts a token stream by hand: window-2 pairs of "a b a b c"', () => {
    // ids a=0 b=1 c=2, stream 0 1 0 1 2. Distance 1: (0,1) (1,0) (0,1) (1,2); distance 2: (0,0) (1,1) (0,2).
    const k3skip = fromDense([
      [1, 2, 1],
      [1, 1, 1],
      [0, 0, 0],
    ]);
    const c = symmetrize(k3skip); // [[2,3,1],[3,2,1],[1,1,0]], total 14, row sums 6, 6, 2
    expect(dense(c)).toEqual([
      [2, 3, 1],
      [3, 2, 1],
      [1, 1, 0],
    ]);
    const s = ppmi(c);
    expect(sparseGet(s, 0, 1)).toBeCloseTo(Math.log((3 * 14) / 36), 14); // log(7/6)
    expect(sparseGet(s, 0, 2)).toBeCloseTo(Math.log((1 * 14) / 12), 14); // log(7/6)
    expect(sparseGet(s, 0, 0)).toBe(0); // log(28/36) < 0
    expect(sparseGet(s, 2, 2)).toBe(0); // never co-occurred
  });

  it('applies context-distribution smoothing to the column marginals', () => {
    const c = fromDense([
      [0, 8],
      [8, 2],
    ]);
    // total 18; rows 8, 10; smoothed columns 18 * [8^0.5, 10^0.5] / (8^0.5 + 10^0.5)
    const smooth = ppmi(c, { contextSmoothing: 0.5 });
    const col1 = (18 * Math.sqrt(10)) / (Math.sqrt(8) + Math.sqrt(10));
    expect(sparseGet(smooth, 0, 1)).toBeCloseTo(Math.log((8 * 18) / (8 * col1)), 14);
  });

  it('rejects negative counts', () => {
    expect(() => ppmi(fromDense([[1, -1], [-1, 1]]))).toThrow(/non-negative/);
  });
});
