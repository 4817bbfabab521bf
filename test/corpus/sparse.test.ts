import { describe, expect, it } from 'vitest';
import {
  activeBlock,
  addSparse,
  antisymmetricNormSparse,
  antisymmetricPartSparse,
  frobeniusNormSparse,
  projectedPowers,
  projectSparse,
  sparseFromTriplets,
  sparseGet,
  sparseTimesDense,
  sparseToDense,
  sparseTransposeTimesDense,
  symmetricPartSparse,
  transposeSparse,
} from '../../src/corpus/index.js';
import type { SparseMatrix } from '../../src/corpus/index.js';
import { frobeniusNorm, fromRows, matmul, transpose, zeros, type Matrix } from '../../src/linalg/matrix.js';

/** A small deterministic generator (an LCG) so that the tests do not depend on other stages. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A random n x n sparse matrix with about `density` of its entries non-zero, duplicates included. */
function randomSparse(n: number, density: number, seed: number): SparseMatrix {
  const next = lcg(seed);
  const count = Math.round(n * n * density);
  const i = new Int32Array(count);
  const j = new Int32Array(count);
  const v = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    i[k] = Math.floor(next() * n);
    j[k] = Math.floor(next() * n);
    v[k] = next() * 2 - 1;
  }
  return sparseFromTriplets(n, n, i, j, v);
}

function randomDense(rows: number, cols: number, seed: number): Matrix {
  const next = lcg(seed);
  const m = zeros(rows, cols);
  for (let k = 0; k < m.data.length; k++) m.data[k] = next() * 2 - 1;
  return m;
}

function expectClose(actual: Matrix, expected: Matrix, tolerance = 1e-12): void {
  expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.cols]);
  let maxDiff = 0;
  for (let k = 0; k < actual.data.length; k++) maxDiff = Math.max(maxDiff, Math.abs(actual.data[k] - expected.data[k]));
  expect(maxDiff).toBeLessThan(tolerance * Math.max(1, frobeniusNorm(expected)));
}

function scale(m: Matrix, s: number): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.map((x) => x * s) };
}

function add(a: Matrix, b: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((x, k) => x + b.data[k]) };
}

describe('sparseFromTriplets', () => {
  it('sums duplicates, sorts columns and drops entries that cancel', () => {
    const m = sparseFromTriplets(
      2,
      3,
      Int32Array.from([1, 0, 1, 0, 1, 0]),
      Int32Array.from([2, 1, 0, 1, 2, 2]),
      Float64Array.from([1, 5, 3, 2, -1, 4]),
    );
    // (1,2): 1 - 1 = 0 is dropped; (0,1): 5 + 2
    expect(Array.from(m.rowPtr)).toEqual([0, 2, 3]);
    expect(Array.from(m.colIdx)).toEqual([1, 2, 0]);
    expect(Array.from(m.values)).toEqual([7, 4, 3]);
    expect(sparseGet(m, 0, 2)).toBe(4);
    expect(sparseGet(m, 1, 2)).toBe(0);
  });

  it('rejects entries outside the shape', () => {
    expect(() => sparseFromTriplets(2, 2, Int32Array.from([2]), Int32Array.from([0]), Float64Array.from([1]))).toThrow(/outside/);
  });
});

describe('sparse algebra against dense', () => {
  const n = 30;
  const m = randomSparse(n, 0.15, 7);
  const dense = sparseToDense(m);

  it('transposes', () => {
    expectClose(sparseToDense(transposeSparse(m)), transpose(dense));
  });

  it('adds with coefficients', () => {
    const b = randomSparse(n, 0.1, 8);
    expectClose(sparseToDense(addSparse(m, b, 2, -3)), add(scale(dense, 2), scale(sparseToDense(b), -3)));
  });

  it('splits into symmetric and antisymmetric parts with the right norms', () => {
    const s = sparseToDense(symmetricPartSparse(m));
    const a = sparseToDense(antisymmetricPartSparse(m));
    expectClose(s, scale(add(dense, transpose(dense)), 0.5));
    expectClose(a, scale(add(dense, scale(transpose(dense), -1)), 0.5));
    expectClose(add(s, a), dense);
    expect(frobeniusNormSparse(m)).toBeCloseTo(frobeniusNorm(dense), 12);
    expect(antisymmetricNormSparse(m)).toBeCloseTo(frobeniusNorm(a), 12);
    expect(antisymmetricNormSparse(symmetricPartSparse(m))).toBe(0);
  });

  it('multiplies dense matrices from the left, plain and transposed', () => {
    const x = randomDense(n, 4, 9);
    expectClose(sparseTimesDense(m, x), matmul(dense, x));
    expectClose(sparseTransposeTimesDense(m, x), matmul(transpose(dense), x));
  });

  it('extracts the active block in the order given', () => {
    const active = Int32Array.from([5, 0, 17, 3]);
    const block = activeBlock(m, active);
    const expected = fromRows(Array.from(active, (i) => Array.from(active, (j) => dense.data[i * n + j])));
    expectClose(block, expected);
  });

  it('projects E^T M E like the dense product', () => {
    // V = 37 is not a multiple of 8, so the projection's row tail is exercised too.
    const v = 37;
    const big = randomSparse(v, 0.2, 11);
    const e = randomDense(v, 5, 12);
    const expected = matmul(transpose(e), matmul(sparseToDense(big), e));
    expectClose(projectSparse(big, e), expected);
  });

  it('projects the powers E^T T^n E like the dense powers', () => {
    const v = 37;
    const t = randomSparse(v, 0.2, 13);
    const e = randomDense(v, 6, 14);
    const tDense = sparseToDense(t);
    const powers = projectedPowers(t, e, 4);
    expect(powers).toHaveLength(4);
    let tPower = tDense;
    for (let p = 0; p < 4; p++) {
      expectClose(powers[p], matmul(transpose(e), matmul(tPower, e)), 1e-11);
      tPower = matmul(tPower, tDense);
    }
  });

  it('rejects shapes that do not fit', () => {
    expect(() => projectSparse(m, randomDense(n + 1, 3, 1))).toThrow(/projectSparse/);
    expect(() => sparseTimesDense(m, randomDense(n - 1, 3, 1))).toThrow(/sparseTimesDense/);
  });
});
