import { describe, expect, it } from 'vitest';
import { type Matrix } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { svd } from '../../src/linalg/svd.js';
import { denseOperator, topKSvd, topKSymmetricEig, type SymmetricOperator } from '../../src/linalg/topk.js';
import { orthogonalityError, withSingularValues } from './helpers.js';

describe('topKSvd', () => {
  // sigma_i = 0.8^i: sigma_{k + oversample} / sigma_k = 0.8^10 ~ 0.1, so 3 power iterations
  // bring the relative error to about 0.1^7.
  const spectrum = Array.from({ length: 80 }, (_, i) => 0.8 ** i);
  const a = withSingularValues(300, 200, spectrum, 2);

  it('recovers the leading triplets of a matrix with a decaying spectrum', () => {
    const k = 8;
    const r = topKSvd(a, k, { seed: 1 });
    const exact = svd(a);
    expect(r.U.rows).toBe(300);
    expect(r.U.cols).toBe(k);
    expect(r.V.rows).toBe(200);
    expect(r.V.cols).toBe(k);
    for (let i = 0; i < k; i++) {
      expect(Math.abs(r.S[i] - spectrum[i]) / spectrum[i]).toBeLessThan(1e-8);
      // singular vectors agree up to sign
      let dot = 0;
      for (let j = 0; j < 300; j++) dot += r.U.data[j * k + i] * exact.U.data[j * 200 + i];
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-6);
    }
    expect(orthogonalityError(r.U)).toBeLessThan(1e-12);
    expect(orthogonalityError(r.V)).toBeLessThan(1e-12);
  });

  it('accepts an operator and is deterministic for a seed', () => {
    const viaMatrix = topKSvd(a, 5, { seed: 4 });
    const viaOperator = topKSvd(denseOperator(a), 5, { seed: 4 });
    expect(Array.from(viaOperator.S)).toEqual(Array.from(viaMatrix.S));
  });

  it('is only approximate on a flat (Gaussian) spectrum, and more power iterations help', () => {
    const g = gaussianMatrix(200, 200, 6);
    const exact = svd(g).S;
    const error = (powerIters: number) => {
      const r = topKSvd(g, 5, { seed: 2, powerIters });
      return Math.max(...Array.from(r.S, (s, i) => (exact[i] - s) / exact[i]));
    };
    const rough = error(1);
    const better = error(6);
    expect(better).toBeLessThan(rough);
    expect(better).toBeLessThan(0.02);
  });
});

/**
 * H D H with H = I - 2 w w^T (a random reflection): a dense-looking symmetric operator with a
 * known spectrum D, applied in O(n b) per block of b vectors.
 */
function reflectedDiagonal(values: Float64Array, seed: number): SymmetricOperator {
  const n = values.length;
  const w = gaussianMatrix(n, 1, seed).data;
  const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
  for (let i = 0; i < n; i++) w[i] /= norm;
  const reflect = (x: Matrix): Matrix => {
    const b = x.cols;
    const out = Float64Array.from(x.data);
    const dots = new Float64Array(b);
    for (let i = 0; i < n; i++) for (let j = 0; j < b; j++) dots[j] += w[i] * x.data[i * b + j];
    for (let i = 0; i < n; i++) for (let j = 0; j < b; j++) out[i * b + j] -= 2 * w[i] * dots[j];
    return { rows: n, cols: b, data: out };
  };
  return {
    n,
    apply: (x) => {
      const y = reflect(x);
      for (let i = 0; i < n; i++) for (let j = 0; j < x.cols; j++) y.data[i * x.cols + j] *= values[i];
      return reflect(y);
    },
  };
}

describe('topKSymmetricEig', () => {
  it('finds the largest algebraic eigenvalues even when negative ones are larger in magnitude', () => {
    const n = 1200;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = Math.cos(i * 1.7) * (i % 5 === 0 ? 3 : 1); // in [-3, 3]
    values[7] = 10;
    values[100] = -25; // the largest magnitude, but not wanted
    const op = reflectedDiagonal(values, 3);
    const k = 12;
    const r = topKSymmetricEig(op, k, { seed: 5 });
    const expected = Float64Array.from(values).sort().reverse().slice(0, k);
    expect(r.converged).toBe(true);
    for (let i = 0; i < k; i++) expect(Math.abs(r.values[i] - expected[i])).toBeLessThan(1e-9);
    for (const residual of r.residuals) expect(residual).toBeLessThan(1e-8 * 25 * 1.1);
    expect(orthogonalityError(r.vectors)).toBeLessThan(1e-10);
  });

  it('falls back to a dense decomposition for small operators', () => {
    const values = Float64Array.from({ length: 30 }, (_, i) => i - 10);
    const r = topKSymmetricEig(reflectedDiagonal(values, 1), 3);
    expect(Array.from(r.values, (v) => Math.round(v * 1e9) / 1e9)).toEqual([19, 18, 17]);
  });

  it('reports its residuals honestly when stopped early', () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => 1 - i / 400);
    const r = topKSymmetricEig(reflectedDiagonal(values, 2), 10, { maxIters: 1, degree: 2 });
    expect(r.iterations).toBe(1);
    expect(r.converged).toBe(false);
    expect(Math.max(...r.residuals)).toBeGreaterThan(1e-8);
  });
});
