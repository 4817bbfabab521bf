import { describe, expect, it } from 'vitest';
import { sparseFromTriplets } from '../../src/corpus/index.js';
import type { SparseMatrix } from '../../src/corpus/types.js';
import { type Matrix, matmul, transpose, zeros } from '../../src/linalg/matrix.js';
import { matmulFast } from '../../src/linalg/index.js';
import { sparseTimesDense } from '../../src/corpus/index.js';
import { createRng } from '../../src/linalg/random.js';
import { symmetricEig } from '../../src/linalg/symmetric-eig.js';
import { resolventEmbedding, resolventWeight } from '../../src/embeddings/resolvent.js';

/** A random symmetric (n, n) matrix with non-negative entries and about `density` of them nonzero. */
function randomNonNegativeSymmetric(n: number, density: number, seed: number): { sparse: SparseMatrix; dense: Matrix } {
  const rng = createRng(seed);
  const dense = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (rng.uniform() < density) {
        const v = 0.1 + rng.uniform() * 3;
        dense.data[i * n + j] = v;
        dense.data[j * n + i] = v;
      }
    }
  }
  const is: number[] = [];
  const js: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (dense.data[i * n + j] !== 0) (is.push(i), js.push(j), vs.push(dense.data[i * n + j]));
  const sparse = sparseFromTriplets(n, n, Int32Array.from(is), Int32Array.from(js), Float64Array.from(vs));
  return { sparse, dense };
}

function scaled(m: Matrix, s: number): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.map((x) => x * s) };
}

function add(a: Matrix, b: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((x, i) => x + b.data[i]) };
}

describe('resolventWeight', () => {
  it('is the sum of the walk series sum_{n>=1} alpha^(n-1) l^n', () => {
    for (const [l, alpha] of [[0.7, 0.5], [-0.9, 0.8], [1, 0.3]]) {
      let series = 0;
      for (let n = 1; n < 400; n++) series += Math.pow(alpha, n - 1) * Math.pow(l, n);
      expect(resolventWeight(l, alpha)).toBeCloseTo(series, 12);
    }
  });
});

describe('resolventEmbedding', () => {
  // n = 150 is large enough that the eigensolver iterates rather than decomposing densely.
  it('matches the dense walk series truncated to its top-d eigenspace', () => {
    const n = 150;
    const d = 6;
    const alpha = 0.6;
    const { sparse, dense } = randomNonNegativeSymmetric(n, 0.1, 11);

    // Dense reference: K = sum_{k>=1} alpha^(k-1) (S / lambda_max)^k, summed term by term.
    const lambdaMax = symmetricEig(dense).values[0];
    const sScaled = scaled(dense, 1 / lambdaMax);
    let term = sScaled;
    let series = sScaled;
    for (let k = 2; k <= 100; k++) {
      term = scaled(matmulFast(term, sScaled), alpha);
      series = add(series, term);
    }
    // Its best rank-d approximation from the top (algebraic) eigenpairs.
    const { values, vectors } = symmetricEig(series);
    const reference = zeros(n, n);
    for (let c = 0; c < d; c++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) reference.data[i * n + j] += values[c] * vectors.data[i * n + c] * vectors.data[j * n + c];
      }
    }

    const result = resolventEmbedding(sparse, d, { alpha, seed: 3, tol: 1e-11 });
    expect(result.solver.converged).toBe(true);
    expect(result.solver.iterations).toBeGreaterThan(0); // the iterative path, not a dense fallback
    expect(result.embedding.rows).toBe(n);
    expect(result.embedding.cols).toBe(d);
    expect(result.lambdaMax).toBeCloseTo(lambdaMax, 9);
    const ddt = matmul(result.embedding, transpose(result.embedding));
    let worst = 0;
    for (let i = 0; i < ddt.data.length; i++) worst = Math.max(worst, Math.abs(ddt.data[i] - reference.data[i]));
    expect(worst).toBeLessThan(1e-8);

    // Columns are orthogonal with squared norms f(lambda / lambda_max), largest first.
    const gram = matmul(transpose(result.embedding), result.embedding);
    for (let a = 0; a < d; a++) {
      expect(gram.data[a * d + a]).toBeCloseTo(result.weights[a], 9);
      expect(result.weights[a]).toBeCloseTo(resolventWeight(result.eigenvalues[a] / lambdaMax, alpha), 12);
      if (a > 0) expect(result.weights[a]).toBeLessThanOrEqual(result.weights[a - 1]);
      for (let b = 0; b < a; b++) expect(Math.abs(gram.data[a * d + b])).toBeLessThan(1e-9);
    }
  });

  it("keeps the same subspace with unit columns under 'flat' weighting", () => {
    const { sparse } = randomNonNegativeSymmetric(120, 0.1, 4);
    const weighted = resolventEmbedding(sparse, 5, { alpha: 0.5, seed: 1, tol: 1e-11 });
    const flat = resolventEmbedding(sparse, 5, { alpha: 0.5, seed: 1, tol: 1e-11, weighting: 'flat' });
    const gram = matmul(transpose(flat.embedding), flat.embedding);
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) expect(gram.data[a * 5 + b]).toBeCloseTo(a === b ? 1 : 0, 9);
      // column a of the weighted embedding is sqrt(weight a) times column a of the flat one
      for (let i = 0; i < 120; i++) {
        expect(weighted.embedding.data[i * 5 + a]).toBeCloseTo(Math.sqrt(weighted.weights[a]) * flat.embedding.data[i * 5 + a], 7);
      }
    }
  });

  it('at the default tolerance, its eigenvalues and eigenspace are those of the dense decomposition', () => {
    const n = 260;
    const d = 8;
    const { sparse, dense } = randomNonNegativeSymmetric(n, 0.08, 21);
    const exact = symmetricEig(dense);
    const lambdaMax = exact.values[0];
    const result = resolventEmbedding(sparse, d, { alpha: 0.5, seed: 2, weighting: 'flat' });
    expect(result.solver.iterations).toBeGreaterThan(0);
    expect(result.solver.matvecs).toBeGreaterThan(d);
    expect(result.solver.maxRelativeResidual).toBeLessThanOrEqual(1e-4);
    // |theta - lambda| <= ||residual|| <= tol lambda_max for each Ritz pair
    for (let c = 0; c < d; c++) expect(Math.abs(result.eigenvalues[c] - exact.values[c])).toBeLessThanOrEqual(1e-4 * lambdaMax);
    // the top-d eigenspace, to within residual / gap (Davis-Kahan), gap to eigenvalue d + 1
    const gap = exact.values[d - 1] - exact.values[d];
    const u = result.embedding; // (n, d), orthonormal columns under 'flat'
    const reference = zeros(n, d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) reference.data[i * d + c] = exact.vectors.data[i * n + c];
    const overlap = matmul(transpose(reference), u); // (d, d)
    const projected = matmul(reference, overlap);
    let outside = 0;
    for (let i = 0; i < u.data.length; i++) outside += (u.data[i] - projected.data[i]) ** 2;
    expect(Math.sqrt(outside)).toBeLessThan((Math.sqrt(d) * 1e-4 * lambdaMax) / gap);
  });

  it('rejects alpha outside [0, 1) and widths beyond the vocabulary', () => {
    const { sparse } = randomNonNegativeSymmetric(10, 0.3, 1);
    expect(() => resolventEmbedding(sparse, 3, { alpha: 1, seed: 1 })).toThrow(/alpha/);
    expect(() => resolventEmbedding(sparse, 11, { alpha: 0.5, seed: 1 })).toThrow(/width/);
  });
});
