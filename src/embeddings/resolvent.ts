/**
 * Step 3 of the Crystallization Transform: the "infinite-order co-occurrence limit" K_inf of a
 * symmetric PPMI operator S, truncated to its top-d eigenpairs, as a (V, d) spectral embedding.
 *
 * S is first scaled by its largest eigenvalue lambda_max. S has non-negative entries, so by
 * Perron-Frobenius lambda_max is also its spectral radius and the scaled eigenvalues lie in
 * [-1, 1]; the walk series then converges for every alpha in [0, 1):
 *
 *   K_inf = sum_{n >= 1} alpha^(n-1) S^n = S (I - alpha S)^(-1),  eigenvalues f(l) = l / (1 - alpha l).
 *
 * The n = 0 term (the identity) is left out on purpose: it adds the same 1 to every eigenvalue,
 * the V - d discarded ones included, and carries no co-occurrence information. f is increasing on
 * [-1, 1], so the top-d eigenpairs of K_inf are the top-d (algebraically largest) eigenpairs of S,
 * and the embedding is D = U_d sqrt(|f(Lambda_d)|), (V, d), so that D D^T is the best rank-d
 * approximation of K_inf's positive part (|f| guards tiny matrices with fewer than d positive
 * eigenvalues). The alternative weighting 'flat' keeps the eigenvectors only, D = U_d (the same
 * subspace, every direction weighted 1), for readings in which D is an orthonormal spectral basis.
 *
 * The eigenpairs come from the linear-algebra stage's thick-restart block Lanczos solver
 * (topKSymmetricEig), which iterates until every residual ||S x - theta x|| is below tol ||S||
 * and throws otherwise. The PPMI spectrum is dense near eigenvalue number d (at V = 15,007,
 * d = 256 neighbouring eigenvalues differ by ~0.1%), so the default tolerance is loose, 1e-4:
 * eigenvalues then agree with a 1e-8 run to ~1e-6 relative; single eigenvectors inside a cluster
 * of near-equal eigenvalues are mixed, the subspace is not.
 */
import type { SparseMatrix } from '../corpus/types.js';
import { sparseTimesDense } from '../corpus/sparse.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import { topKSymmetricEig, type SymmetricOperator } from '../linalg/index.js';

export type SpectralWeighting = 'resolvent' | 'flat';

export interface ResolventOptions {
  /** decay of the walk series, in [0, 1) */
  alpha: number;
  /** seed of the eigensolver's random start */
  seed: number;
  /** 'resolvent' (default): columns scaled by sqrt(f(lambda)); 'flat': unit columns */
  weighting?: SpectralWeighting;
  /** eigensolver stopping rule: every residual below tol * ||S|| (default 1e-4) */
  tol?: number;
}

export const DEFAULT_EIGEN_TOLERANCE = 1e-4;

export interface SpectralEmbedding {
  /** (V, d) D = U_d sqrt(|f(Lambda_d)|), or U_d under 'flat' weighting */
  embedding: Matrix;
  /** the d eigenvalues of S used, largest first (unscaled) */
  eigenvalues: Float64Array;
  /** the squared column norms of D: f(lambda / lambda_max), or 1 under 'flat' weighting */
  weights: Float64Array;
  /** lambda_max, the scale that maps S's spectrum into [-1, 1] */
  lambdaMax: number;
  /**
   * how the eigensolver ended: Lanczos cycles (0: solved densely), products with S, whether it
   * met tol (always, or it throws), its largest residual / lambda_max
   */
  solver: { iterations: number; matvecs: number; converged: boolean; maxRelativeResidual: number };
}

/** f(l) = l / (1 - alpha l), the eigenvalue map of K_inf = S (I - alpha S)^(-1). */
export function resolventWeight(scaledEigenvalue: number, alpha: number): number {
  return scaledEigenvalue / (1 - alpha * scaledEigenvalue);
}

/**
 * The top-d spectral embedding of K_inf for a symmetric sparse S (V, V) with non-negative entries.
 * Eigenvectors get a fixed sign (largest-magnitude entry positive) so that the result does not
 * depend on the solver's random start beyond its convergence tolerance.
 */
export function resolventEmbedding(s: SparseMatrix, d: number, opts: ResolventOptions): SpectralEmbedding {
  const { alpha } = opts;
  const weighting = opts.weighting ?? 'resolvent';
  if (!(alpha >= 0 && alpha < 1)) throw new Error(`resolventEmbedding: alpha must be in [0, 1), got ${alpha}`);
  if (s.rows !== s.cols) throw new Error(`resolventEmbedding: S is ${s.rows}x${s.cols}, expected square`);
  const n = s.rows;
  if (!Number.isInteger(d) || d < 1 || d > n) {
    throw new Error(`resolventEmbedding: embedding width ${d} must be between 1 and the vocabulary size ${n}`);
  }

  const operator: SymmetricOperator = { n, apply: (x) => sparseTimesDense(s, x) };
  const eig = topKSymmetricEig(operator, d, {
    seed: opts.seed,
    tol: opts.tol ?? DEFAULT_EIGEN_TOLERANCE,
  });
  const { values, vectors } = eig;

  const lambdaMax = values[0];
  const embedding = zeros(n, d);
  const weights = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    if (weighting === 'flat') weights[c] = 1;
    else weights[c] = lambdaMax > 0 ? resolventWeight(values[c] / lambdaMax, alpha) : 0;
    const scale = Math.sqrt(Math.abs(weights[c]));
    let largest = 0;
    for (let i = 0; i < n; i++) {
      const v = vectors.data[i * d + c];
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    const signed = largest < 0 ? -scale : scale;
    for (let i = 0; i < n; i++) embedding.data[i * d + c] = signed * vectors.data[i * d + c];
  }
  let maxResidual = 0;
  for (let c = 0; c < d; c++) maxResidual = Math.max(maxResidual, eig.residuals[c]);
  return {
    embedding,
    eigenvalues: Float64Array.from(values.subarray(0, d)),
    weights,
    lambdaMax,
    solver: {
      iterations: eig.iterations,
      matvecs: eig.matvecs,
      converged: eig.converged,
      maxRelativeResidual: lambdaMax > 0 ? maxResidual / lambdaMax : maxResidual,
    },
  };
}
