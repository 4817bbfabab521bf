import { describe, expect, it } from 'vitest';
import { type Matrix, transpose } from '../../src/linalg/matrix.js';
import { matmulFast, matmulTransA } from '../../src/linalg/kernels.js';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { svd } from '../../src/linalg/svd.js';
import { symmetricEig } from '../../src/linalg/symmetric-eig.js';
import { denseOperator, denseSymmetricOperator, topKSvd, topKSymmetricEig, type LinearOperator, type SymmetricOperator } from '../../src/linalg/topk.js';
import { limitThreads, warmUpThreads } from '../../src/linalg/parallel.js';
import { orthogonalityError, withSingularValues } from './helpers.js';

/** per triplet, sqrt(||A v - s u||^2 + ||A^T u - s v||^2), computed from scratch */
function trueResiduals(a: Matrix, r: { U: Matrix; S: Float64Array; V: Matrix }): number[] {
  const k = r.S.length;
  const av = matmulFast(a, r.V);
  const atu = matmulTransA(a, r.U);
  return Array.from(r.S, (s, j) => {
    let sum = 0;
    for (let i = 0; i < a.rows; i++) sum += (av.data[i * k + j] - s * r.U.data[i * k + j]) ** 2;
    for (let i = 0; i < a.cols; i++) sum += (atu.data[i * k + j] - s * r.V.data[i * k + j]) ** 2;
    return Math.sqrt(sum);
  });
}

/** ||X - Y Y^T X|| (Frobenius) for orthonormal X, Y: how far span(X) sticks out of span(Y) */
function subspaceDistance(x: Matrix, y: Matrix): number {
  const projected = matmulFast(y, matmulTransA(y, x));
  let sum = 0;
  for (let i = 0; i < x.data.length; i++) sum += (x.data[i] - projected.data[i]) ** 2;
  return Math.sqrt(sum);
}

function columns(m: Matrix, first: number, count: number): Matrix {
  const out = { rows: m.rows, cols: count, data: new Float64Array(m.rows * count) };
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < count; j++) out.data[i * count + j] = m.data[i * m.cols + first + j];
  return out;
}

describe('topKSvd', () => {
  const spectrum = Array.from({ length: 80 }, (_, i) => 0.8 ** i);
  const decaying = withSingularValues(300, 200, spectrum, 2);

  it('recovers the leading triplets of a matrix with a decaying spectrum', () => {
    const k = 8;
    const r = topKSvd(decaying, k, { seed: 1 });
    const exact = svd(decaying);
    expect(r.iterations).toBeGreaterThan(0); // the Lanczos path, not the dense one
    expect([r.U.rows, r.U.cols, r.V.rows, r.V.cols]).toEqual([300, k, 200, k]);
    for (let i = 0; i < k; i++) {
      expect(Math.abs(r.S[i] - spectrum[i])).toBeLessThan(1e-12);
      let dot = 0; // singular vectors agree up to sign
      for (let j = 0; j < 300; j++) dot += r.U.data[j * k + i] * exact.U.data[j * 200 + i];
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-9);
    }
    expect(orthogonalityError(r.U)).toBeLessThan(1e-12);
    expect(orthogonalityError(r.V)).toBeLessThan(1e-12);
  });

  it('converges on a flat (Gaussian) spectrum and reports the residual it reached', () => {
    const g = gaussianMatrix(300, 240, 6);
    const k = 12;
    const r = topKSvd(g, k, { seed: 2 });
    const exact = svd(g).S;
    const residuals = trueResiduals(g, r);
    expect(r.maxRelativeResidual).toBeLessThanOrEqual(1e-10);
    expect(r.matvecs).toBeGreaterThan(k);
    for (let i = 0; i < k; i++) {
      expect(residuals[i] / r.S[0]).toBeLessThan(1.5e-10);
      // the reported residual is the true one (up to rounding far below tol)
      expect(Math.abs(r.residuals[i] - residuals[i]) / r.S[0]).toBeLessThan(1e-12);
      expect(Math.abs(r.S[i] - exact[i]) / exact[0]).toBeLessThan(1e-12);
    }
  });

  it('stops earlier at a looser tol', () => {
    const g = gaussianMatrix(300, 240, 6);
    const tight = topKSvd(g, 12, { seed: 2 });
    const loose = topKSvd(g, 12, { seed: 2, tol: 1e-4 });
    expect(loose.maxRelativeResidual).toBeLessThanOrEqual(1e-4);
    expect(loose.matvecs).toBeLessThan(tight.matvecs);
  });

  it('throws, naming k, the limit and the residual reached, when maxIterations runs out', () => {
    const g = gaussianMatrix(300, 240, 6);
    expect(() => topKSvd(g, 12, { seed: 2, maxIterations: 1 })).toThrow(/k = 12 .*maxIterations = 1 .*residual \d\.\d+e-\d+/);
  });

  it('accepts an operator (here a product never formed) and wide inputs, and is deterministic for a seed', () => {
    const b = gaussianMatrix(150, 40, 3);
    const c = gaussianMatrix(40, 260, 4);
    const product = matmulFast(b, c); // (150, 260), rank 40, wide
    const ct = transpose(c);
    const op: LinearOperator = {
      rows: 150,
      cols: 260,
      apply: (x) => matmulFast(b, matmulFast(c, x)),
      applyT: (x) => matmulFast(ct, matmulTransA(b, x)),
    };
    const r = topKSvd(op, 6, { seed: 4 });
    const exact = svd(product).S;
    for (let i = 0; i < 6; i++) expect(Math.abs(r.S[i] - exact[i]) / exact[0]).toBeLessThan(1e-12);
    expect(Math.max(...trueResiduals(product, r)) / r.S[0]).toBeLessThan(1.5e-10);
    expect(Array.from(topKSvd(denseOperator(product), 6, { seed: 4 }).S)).toEqual(Array.from(topKSvd(product, 6, { seed: 4 }).S));
  });

  it('gives bit-identical results on one thread and on all of them', () => {
    warmUpThreads();
    const g = gaussianMatrix(1100, 900, 7);
    const parallel = topKSvd(g, 10, { seed: 3 });
    limitThreads(1);
    const serial = topKSvd(g, 10, { seed: 3 });
    limitThreads(Infinity);
    expect(parallel.matvecs).toBe(serial.matvecs);
    expect(Array.from(parallel.S)).toEqual(Array.from(serial.S));
    expect(Array.from(parallel.U.data)).toEqual(Array.from(serial.U.data));
    expect(Array.from(parallel.V.data)).toEqual(Array.from(serial.V.data));
    expect(Array.from(parallel.residuals)).toEqual(Array.from(serial.residuals));
    const exact = svd(g).S;
    for (let i = 0; i < 10; i++) expect(Math.abs(parallel.S[i] - exact[i]) / exact[0]).toBeLessThan(1e-12);
    expect(Math.max(...trueResiduals(g, parallel)) / parallel.S[0]).toBeLessThan(1.5e-10);
  });

  it('handles k close to n, densely by default and by Lanczos with an explicit basis', () => {
    const g = gaussianMatrix(140, 100, 8);
    const exact = svd(g).S;
    const dense = topKSvd(g, 95);
    expect(dense.iterations).toBe(0);
    const lanczos = topKSvd(g, 88, { basisSize: 96 });
    expect(lanczos.iterations).toBeGreaterThan(0);
    for (let i = 0; i < 88; i++) {
      expect(Math.abs(dense.S[i] - exact[i]) / exact[0]).toBeLessThan(1e-13);
      expect(Math.abs(lanczos.S[i] - exact[i]) / exact[0]).toBeLessThan(1e-12);
    }
    expect(Math.max(...trueResiduals(g, lanczos)) / exact[0]).toBeLessThan(1.5e-10);
  });

  it('finds repeated and clustered singular values and their subspaces', () => {
    // 3 x 5, 4 x 4, a cluster 3, 3 + 1e-9, 3 + 2e-9, then a decaying tail
    const values = [5, 5, 5, 4, 4, 4, 4, 3 + 2e-9, 3 + 1e-9, 3, ...Array.from({ length: 100 }, (_, i) => 2.5 * 0.97 ** i)];
    const a = withSingularValues(260, 220, values, 5);
    const r = topKSvd(a, 10, { seed: 3 });
    const exact = svd(a);
    for (let i = 0; i < 10; i++) expect(Math.abs(r.S[i] - values[i])).toBeLessThan(1e-12 * 5);
    // the singular subspaces of 5 (3 vectors) and 4 (4 vectors) are those of the dense SVD
    expect(subspaceDistance(columns(r.V, 0, 3), columns(exact.V, 0, 3))).toBeLessThan(1e-8);
    expect(subspaceDistance(columns(r.V, 3, 4), columns(exact.V, 3, 4))).toBeLessThan(1e-8);
    expect(orthogonalityError(r.U)).toBeLessThan(1e-12);
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

/** ||A x_j - lambda_j x_j|| from scratch */
function eigResiduals(op: SymmetricOperator, values: Float64Array, vectors: Matrix): number[] {
  const k = values.length;
  const ax = op.apply(vectors);
  return Array.from(values, (lambda, j) => {
    let sum = 0;
    for (let i = 0; i < op.n; i++) sum += (ax.data[i * k + j] - lambda * vectors.data[i * k + j]) ** 2;
    return Math.sqrt(sum);
  });
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
    expect(r.iterations).toBeGreaterThan(0);
    for (let i = 0; i < k; i++) expect(Math.abs(r.values[i] - expected[i])).toBeLessThan(1e-9);
    // tol is relative to ||A|| = 25, which the lowest Ritz value brings into the scale
    const residuals = eigResiduals(op, r.values, r.vectors);
    for (let i = 0; i < k; i++) {
      expect(residuals[i]).toBeLessThan(1e-10 * 25 * 1.1);
      expect(Math.abs(residuals[i] - r.residuals[i])).toBeLessThan(1e-12);
    }
    expect(r.maxRelativeResidual).toBeLessThanOrEqual(1e-10);
    expect(orthogonalityError(r.vectors)).toBeLessThan(1e-10);
  });

  it('gives bit-identical results on one thread and on all of them', () => {
    warmUpThreads();
    const n = 3600; // large enough for the basis kernels to split across threads
    const values = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.37) * (1 + i / n));
    const op = reflectedDiagonal(values, 4);
    const parallel = topKSymmetricEig(op, 10, { seed: 2 });
    limitThreads(1);
    const serial = topKSymmetricEig(op, 10, { seed: 2 });
    limitThreads(Infinity);
    expect(Array.from(parallel.values)).toEqual(Array.from(serial.values));
    expect(Array.from(parallel.vectors.data)).toEqual(Array.from(serial.vectors.data));
    expect(Array.from(parallel.residuals)).toEqual(Array.from(serial.residuals));
    const expected = Float64Array.from(values).sort().reverse();
    for (let i = 0; i < 10; i++) expect(Math.abs(parallel.values[i] - expected[i])).toBeLessThan(1e-9);
  });

  it('falls back to a dense decomposition for small operators', () => {
    const values = Float64Array.from({ length: 30 }, (_, i) => i - 10);
    const r = topKSymmetricEig(reflectedDiagonal(values, 1), 3);
    expect(r.iterations).toBe(0);
    expect(Array.from(r.values, (v) => Math.round(v * 1e9) / 1e9)).toEqual([19, 18, 17]);
  });

  it('throws, naming k, the limit and the residual reached, when maxIterations runs out', () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => 1 - i / 400);
    expect(() => topKSymmetricEig(reflectedDiagonal(values, 2), 10, { maxIterations: 1 })).toThrow(
      /k = 10 .*maxIterations = 1 .*residual \d\.\d+e-\d+/,
    );
  });

  it('matches the dense eigenvalues and eigenspaces with repeated and clustered eigenvalues', () => {
    // a symmetric 300 x 300 matrix with eigenvalues 9 (x4), 8 (x2), a cluster at 7, then the rest
    const n = 300;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    values.set([9, 9, 9, 9, 8, 8, 7 + 1e-9, 7, 7 - 1e-9], 0);
    const op = reflectedDiagonal(values, 9);
    const dense = op.apply({ rows: n, cols: n, data: Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)) });
    const exact = symmetricEig(dense);
    const r = topKSymmetricEig(denseSymmetricOperator(dense), 9, { seed: 1 });
    for (let i = 0; i < 9; i++) expect(Math.abs(r.values[i] - exact.values[i])).toBeLessThan(1e-12 * 9);
    expect(subspaceDistance(columns(r.vectors, 0, 4), columns(exact.vectors, 0, 4))).toBeLessThan(1e-8);
    expect(subspaceDistance(columns(r.vectors, 4, 2), columns(exact.vectors, 4, 2))).toBeLessThan(1e-8);
    expect(subspaceDistance(columns(r.vectors, 6, 3), columns(exact.vectors, 6, 3))).toBeLessThan(1e-8);
  });
});
