import { describe, expect, it } from 'vitest';
import { fromRows, transpose, zeros, type Matrix } from '../../src/linalg/matrix.js';
import { matmulFast } from '../../src/linalg/kernels.js';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { orthonormalize } from '../../src/linalg/qr.js';
import { symmetricEig } from '../../src/linalg/symmetric-eig.js';
import { eigenvalues } from '../../src/linalg/eigenvalues.js';
import { maxAbsDiff, orthogonalityError } from './helpers.js';

/** Q diag(values) Q^T with a random orthogonal Q. */
function symmetricWithSpectrum(values: number[], seed: number): Matrix {
  const n = values.length;
  const q = orthonormalize(gaussianMatrix(n, n, seed));
  const scaled = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled.data[i * n + j] = q.data[i * n + j] * values[j];
  const a = matmulFast(scaled, transpose(q));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]; // exact symmetry
  return a;
}

describe('symmetricEig', () => {
  it('recovers a known spectrum with repeated and negative values, sorted descending', () => {
    const values = [5, 3, 3, 3, 1e-9, 0, -2, -2, -7, 0.5];
    const a = symmetricWithSpectrum(values, 4);
    const r = symmetricEig(a);
    expect(maxAbsDiff(r.values, [...values].sort((x, y) => y - x))).toBeLessThan(1e-13);
    expect(orthogonalityError(r.vectors)).toBeLessThan(1e-12);
    // A v = lambda v, column by column
    const av = matmulFast(a, r.vectors);
    for (let j = 0; j < values.length; j++) {
      for (let i = 0; i < values.length; i++) {
        expect(Math.abs(av.data[i * 10 + j] - r.values[j] * r.vectors.data[i * 10 + j])).toBeLessThan(1e-12);
      }
    }
  });

  it('handles diagonal, 1x1 and zero matrices', () => {
    expect(Array.from(symmetricEig(fromRows([[2, 0, 0], [0, -1, 0], [0, 0, 4]])).values)).toEqual([4, 2, -1]);
    expect(Array.from(symmetricEig(fromRows([[3]])).values)).toEqual([3]);
    const zero = symmetricEig(zeros(4, 4));
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0]);
    expect(orthogonalityError(zero.vectors)).toBe(0);
  });

  it('matches the path-graph Laplacian eigenvalues 2 - 2 cos(k pi / n)', () => {
    const n = 40;
    const a = zeros(n, n);
    for (let i = 0; i < n; i++) {
      a.data[i * n + i] = i === 0 || i === n - 1 ? 1 : 2;
      if (i + 1 < n) a.data[i * n + i + 1] = a.data[(i + 1) * n + i] = -1;
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((k * Math.PI) / n)).sort((x, y) => y - x);
    expect(maxAbsDiff(symmetricEig(a).values, expected)).toBeLessThan(1e-13);
  });
});

describe('eigenvalues (non-symmetric)', () => {
  it('gives cos t +- i sin t for a rotation', () => {
    const t = 0.7;
    const r = eigenvalues(fromRows([[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]]));
    expect(maxAbsDiff(r.re, [Math.cos(t), Math.cos(t)])).toBeLessThan(1e-15);
    expect(maxAbsDiff(r.im, [Math.sin(t), -Math.sin(t)])).toBeLessThan(1e-15);
  });

  it('finds the roots of a companion matrix: (x - 2)(x^2 + 2x + 5)(x + 1), roots 2, -1 +- 2i, -1', () => {
    // x^4 - 3x^2 - 11x - 10 ... expand (x - 2)(x + 1) = x^2 - x - 2; times x^2 + 2x + 5:
    // x^4 + 2x^3 + 5x^2 - x^3 - 2x^2 - 5x - 2x^2 - 4x - 10 = x^4 + x^3 + x^2 - 9x - 10
    const companion = fromRows([
      [-1, -1, 9, 10],
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    const r = eigenvalues(companion);
    const expected = [[2, 0], [-1, 2], [-1, -2], [-1, 0]];
    const unmatched = Array.from(r.re, (re, i) => [re, r.im[i]]);
    for (const [re, im] of expected) {
      // Each expected root must have its own computed root within 1e-12.
      const distances = unmatched.map(([x, y]) => Math.hypot(x - re, y - im));
      const best = distances.indexOf(Math.min(...distances));
      expect(distances[best]).toBeLessThan(1e-12);
      unmatched.splice(best, 1);
    }
  });

  it('agrees with symmetricEig on a symmetric matrix and keeps the trace on a random one', () => {
    const a = symmetricWithSpectrum([3, 1, -1, -4, 2.5, 0.25], 9);
    const r = eigenvalues(a);
    expect(maxAbsDiff(r.im, new Array(6).fill(0))).toBe(0);
    expect(maxAbsDiff(Float64Array.from(r.re).sort().reverse(), symmetricEig(a).values)).toBeLessThan(1e-13);

    const g = gaussianMatrix(60, 60, 2);
    const e = eigenvalues(g);
    let trace = 0;
    for (let i = 0; i < 60; i++) trace += g.data[i * 61];
    expect(Math.abs(e.re.reduce((s, x) => s + x, 0) - trace)).toBeLessThan(1e-10);
    expect(Math.abs(e.im.reduce((s, x) => s + x, 0))).toBeLessThan(1e-10); // conjugate pairs
  });

  it('gives purely imaginary pairs for an antisymmetric matrix', () => {
    const g = gaussianMatrix(9, 9, 3);
    const a = zeros(9, 9);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) a.data[i * 9 + j] = g.data[i * 9 + j] - g.data[j * 9 + i];
    const r = eigenvalues(a);
    for (const re of r.re) expect(Math.abs(re)).toBeLessThan(1e-12);
  });
});
