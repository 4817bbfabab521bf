import { describe, expect, it } from 'vitest';
import { fromRows, transpose, zeros, frobeniusNorm } from '../../src/linalg/matrix.js';
import { matmulFast } from '../../src/linalg/kernels.js';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { orthonormalize } from '../../src/linalg/qr.js';
import { singularValues } from '../../src/linalg/svd.js';
import {
  cosine, effectiveRank, energyDims, klDivergence, marchenkoPasturReference, participationRatio, pearson,
  pearsonPValue, realEigenvalueMass, spectralProfile, subspaceAngles, topKEnergy,
} from '../../src/linalg/spectral.js';
import { maxAbsDiff } from './helpers.js';

describe('spectral statistics on hand-computable inputs', () => {
  it('participation ratio', () => {
    expect(participationRatio([1, 1, 0])).toBeCloseTo(2, 14);
    expect(participationRatio([3, 4])).toBeCloseTo(625 / 337, 14);
    expect(participationRatio([2, 2, 2, 2, 2])).toBeCloseTo(5, 14);
  });

  it('an antisymmetric matrix with one dominant pair has PR 2', () => {
    // Q diag-blocks Q^T with blocks [[0, 10], [-10, 0]] and [[0, 1e-4], [-1e-4, 0]]
    const n = 6;
    const block = zeros(n, n);
    block.data[0 * n + 1] = 10;
    block.data[1 * n + 0] = -10;
    block.data[2 * n + 3] = 1e-4;
    block.data[3 * n + 2] = -1e-4;
    const q = orthonormalize(gaussianMatrix(n, n, 1));
    const a = matmulFast(matmulFast(q, block), transpose(q));
    const s = singularValues(a);
    expect(s[0]).toBeCloseTo(s[1], 12); // values come in equal pairs
    expect(participationRatio(s)).toBeCloseTo(2, 6);
  });

  it('i.i.d. Gaussian W has ||W - W^T|| / ||W|| near sqrt 2', () => {
    const w = gaussianMatrix(200, 200, 5);
    const diff = zeros(200, 200);
    for (let i = 0; i < 200; i++) for (let j = 0; j < 200; j++) diff.data[i * 200 + j] = w.data[i * 200 + j] - w.data[j * 200 + i];
    expect(frobeniusNorm(diff) / frobeniusNorm(w)).toBeCloseTo(Math.SQRT2, 2);
  });

  it('spectral profile, effective rank, top-k energy and energy dims', () => {
    expect(Array.from(spectralProfile([1, 3, 0]))).toEqual([0.75, 0.25, 0]);
    expect(effectiveRank([1, 1, 1, 1])).toBeCloseTo(4, 14);
    expect(effectiveRank([5, 0, 0])).toBeCloseTo(1, 14);
    // p = (2/3, 1/3): exp(-(2/3 ln 2/3 + 1/3 ln 1/3)) = 3 / 2^(2/3)
    expect(effectiveRank([2, 1])).toBeCloseTo(3 / 2 ** (2 / 3), 14);
    expect(topKEnergy([3, 4], 1)).toBeCloseTo(16 / 25, 15);
    expect(topKEnergy([3, 4, 0], 5)).toBe(1);
    expect(energyDims([3, 4, 0], 0.6)).toBe(1);
    expect(energyDims([3, 4, 0], 0.9)).toBe(2);
    expect(energyDims([3, 4, 0], 1)).toBe(2);
  });

  it('KL divergence', () => {
    expect(klDivergence([0.5, 0.5], [0.5, 0.5])).toBeCloseTo(0, 12);
    expect(klDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 10);
    expect(Number.isFinite(klDivergence([0.5, 0.5], [1, 0]))).toBe(true); // epsilon guard
    expect(klDivergence([0.5, 0.5], [1, 0])).toBeGreaterThan(10);
  });

  it('Marchenko-Pastur reference matches the sorted singular values of Gaussian matrices', () => {
    const rows = 400;
    const cols = 100;
    const reference = marchenkoPasturReference(rows, cols);
    expect(reference.length).toBe(100);
    expect(marchenkoPasturReference(cols, rows)).toEqual(reference);
    // E ||W||_F^2 = rows * cols, and the edges are sqrt(N) (1 +- sqrt(c))
    expect(reference.reduce((s, x) => s + x * x, 0) / (rows * cols)).toBeCloseTo(1, 2);
    expect(reference[0]).toBeLessThan(Math.sqrt(rows) * 1.5);
    expect(reference[99]).toBeGreaterThan(Math.sqrt(rows) * 0.5);
    const empirical = singularValues(gaussianMatrix(rows, cols, 8));
    let relative = 0;
    for (let i = 0; i < cols; i++) relative += Math.abs(empirical[i] - reference[i]) / reference[i];
    expect(relative / cols).toBeLessThan(0.02);
    // square case: the quarter-circle law, values from 0 to 2 sqrt(n)
    const square = marchenkoPasturReference(300, 300);
    expect(square[0]).toBeLessThan(2 * Math.sqrt(300));
    expect(square[0]).toBeGreaterThan(1.9 * Math.sqrt(300));
    expect(square[299]).toBeLessThan(0.05 * Math.sqrt(300));
  });

  it('pearson and cosine', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 14);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(cosine([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 15);
    expect(cosine([1, 2], [-2, 1])).toBe(0);
  });

  it('pearson p-values match closed forms for 1 and 2 degrees of freedom', () => {
    // df = 1 (Cauchy): p = 1 - (2 / pi) atan |t|; df = 2: p = 1 - |t| / sqrt(2 + t^2)
    for (const r of [0.1, 0.6, 0.95, -0.3]) {
      const t1 = r / Math.sqrt(1 - r * r);
      expect(pearsonPValue(r, 3)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(Math.abs(t1)), 12);
      const t2 = r * Math.sqrt(2 / (1 - r * r));
      expect(pearsonPValue(r, 4)).toBeCloseTo(1 - Math.abs(t2) / Math.sqrt(2 + t2 * t2), 12);
    }
    expect(pearsonPValue(0, 10)).toBeCloseTo(1, 12);
    expect(pearsonPValue(1, 10)).toBe(0);
  });

  it('pearson p-value matches direct integration of the t density (df = 8)', () => {
    const r = 0.5;
    const n = 10;
    const df = n - 2;
    const t = r * Math.sqrt(df / (1 - r * r));
    // Simpson's rule for 2 * int_t^inf f(x) dx, with f the t density; substitute x = t / u.
    const density = (x: number) => Math.pow(1 + (x * x) / df, -(df + 1) / 2);
    const norm = Math.exp(logGammaSimple((df + 1) / 2) - logGammaSimple(df / 2)) / Math.sqrt(df * Math.PI);
    const steps = 20000;
    let integral = 0;
    for (let i = 0; i <= steps; i++) {
      const u = i / steps;
      const weight = i === 0 || i === steps ? 1 : i % 2 ? 4 : 2;
      integral += u === 0 ? 0 : weight * density(t / u) * (t / (u * u));
    }
    integral *= 1 / (3 * steps);
    expect(pearsonPValue(r, n)).toBeCloseTo(2 * norm * integral, 8);
  });

  it('subspace angles between known subspaces', () => {
    const t = 0.3;
    const u1 = fromRows([[1, 0], [0, 1], [0, 0], [0, 0]]);
    const u2 = fromRows([[1, 0], [0, Math.cos(t)], [0, Math.sin(t)], [0, 0]]);
    expect(maxAbsDiff(subspaceAngles(u1, u2), [0, t])).toBeLessThan(1e-8);
    const orthogonal = fromRows([[0], [0], [0], [1]]);
    expect(subspaceAngles(u1, orthogonal)[0]).toBeCloseTo(Math.PI / 2, 14);
  });

  it('real eigenvalue mass', () => {
    expect(realEigenvalueMass([1, 0, 0], [0, 1, -1])).toBeCloseTo(1 / 3, 15);
    const t = 0.4;
    expect(realEigenvalueMass([Math.cos(t), Math.cos(t)], [Math.sin(t), -Math.sin(t)])).toBeCloseTo(Math.cos(t), 15);
    expect(realEigenvalueMass([-2, 3], [0, 0])).toBe(1);
  });
});

/** Stirling series, independent of the Lanczos version under test; fine for x >= 4. */
function logGammaSimple(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= Math.log(x);
    x += 1;
  }
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}
