/** Shared checks for the linear-algebra tests. */
import { type Matrix, zeros, transpose, frobeniusNorm, identity } from '../../src/linalg/matrix.js';
import { matmulFast } from '../../src/linalg/kernels.js';
import { orthonormalize } from '../../src/linalg/qr.js';
import { gaussianMatrix } from '../../src/linalg/random.js';

/** ||A - U diag(S) V^T|| / ||A|| */
export function reconstructionError(a: Matrix, u: Matrix, s: Float64Array, v: Matrix): number {
  const k = s.length;
  const us = zeros(u.rows, k);
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = u.data[i * k + j] * s[j];
  const rebuilt = matmulFast(us, transpose(v));
  let diff = 0;
  for (let i = 0; i < a.data.length; i++) diff += (rebuilt.data[i] - a.data[i]) ** 2;
  const norm = frobeniusNorm(a);
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff) / norm;
}

/** ||Q^T Q - I|| (Frobenius) */
export function orthogonalityError(q: Matrix): number {
  const gram = matmulFast(transpose(q), q);
  const id = identity(q.cols);
  let diff = 0;
  for (let i = 0; i < gram.data.length; i++) diff += (gram.data[i] - id.data[i]) ** 2;
  return Math.sqrt(diff);
}

/** U diag(s) V^T with random orthonormal U (rows, k) and V (cols, k), k = s.length. */
export function withSingularValues(rows: number, cols: number, s: ArrayLike<number>, seed: number): Matrix {
  const k = s.length;
  const u = orthonormalize(gaussianMatrix(rows, k, seed));
  const v = orthonormalize(gaussianMatrix(cols, k, seed + 1000));
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) u.data[i * k + j] *= s[j];
  return matmulFast(u, transpose(v));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths ${a.length} and ${b.length} differ`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
