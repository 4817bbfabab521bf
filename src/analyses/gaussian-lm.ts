/**
 * Levenberg-Marquardt for one model, a sum of Gaussians over x = 0..len-1, written as tight loops.
 *
 * It is a port of ml-levenberg-marquardt 5.1.0's iteration (the library the Gaussian fits used
 * before), step for step and in the same floating-point order, so that it returns the same
 * parameters to the last bit (test/analyses/gaussian-lm.test.ts checks this against the library):
 *
 *   G = -J^T (P, N), r = y - f, H = G G^T + damping I, g = G r, solve H p = g (Cholesky, as
 *   ml-matrix's; the inverse when H is not positive definite), params = clamp(params - p),
 *   rho = (err_old - err_new) / p^T (damping p + g), damping /= down if rho > 1e-3 else *= up,
 *   and the best parameters seen are returned.
 *
 * The library evaluates the model and its Jacobian through a closure per point and an ml-matrix
 * per step; on the Paper 56 fits (12 parameters, 256 or 1024 points, up to 200 iterations, tens of
 * thousands of fits a run) that made the fits the slowest analysis of the laptop profile. Here one
 * pass over the points computes f, G and the sums of H and g together, with no allocation.
 */
import { Matrix as MlMatrix, inverse } from 'ml-matrix';

/** [A, mu, sigma] per component, flat, as in gaussian-fits.ts */
const PARAMS_PER_GAUSSIAN = 3;

export interface GaussianLmOptions {
  initialValues: number[];
  minValues: number[];
  maxValues: number[];
  maxIterations: number;
  damping: number;
  dampingStepUp: number;
  dampingStepDown: number;
  /** stop once the squared error is at most this */
  errorTolerance: number;
}

export interface GaussianLmResult {
  parameterValues: number[];
  /** sum of squared residuals at parameterValues */
  parameterError: number;
  iterations: number;
}

/** The library's default: a step counts as good when it achieves this share of the predicted decrease. */
const IMPROVEMENT_THRESHOLD = 1e-3;

export function fitSumOfGaussiansLm(y: ArrayLike<number>, options: GaussianLmOptions): GaussianLmResult {
  const len = y.length;
  const nParams = options.initialValues.length;
  if (nParams % PARAMS_PER_GAUSSIAN !== 0) throw new Error(`gaussian-lm: ${nParams} parameters is not a multiple of 3`);
  const parameters = options.initialValues.slice();
  const { minValues, maxValues, maxIterations, errorTolerance, dampingStepUp, dampingStepDown } = options;
  let damping = options.damping;

  const g = new Float64Array(nParams * len); // (P, N) minus the Jacobian, row p = d f / d param p
  const residual = new Float64Array(len); // (N)
  const hessian = new Float64Array(nParams * nParams); // (P, P) G G^T + damping I
  const gradient = new Float64Array(nParams); // (P) G r
  const lower = new Float64Array(nParams * nParams); // Cholesky factor of the hessian
  const step = new Float64Array(nParams);

  // The Gaussians' values at the current parameters and the residual y - f: computed with the
  // error after each update, they are also what the next step needs (the library computes them
  // twice).
  const gaussianValues = new Float64Array((nParams / PARAMS_PER_GAUSSIAN) * len); // (P/3, N)
  let error = evaluate(y, parameters, gaussianValues, residual);
  let optimalError = error;
  let optimalParameters = parameters.slice();
  let converged = error <= errorTolerance;

  let iteration = 0;
  for (; iteration < maxIterations && !converged; iteration++) {
    const previousError = error;

    // G at the current parameters, as the library's analytic Jacobian computes it.
    for (let p = 0; p < nParams; p += PARAMS_PER_GAUSSIAN) {
      const a = parameters[p];
      const mu = parameters[p + 1];
      const sigma = parameters[p + 2];
      const s2 = sigma * sigma;
      const values = (p / PARAMS_PER_GAUSSIAN) * len;
      for (let i = 0; i < len; i++) {
        const dx = i - mu;
        const e = gaussianValues[values + i];
        g[p * len + i] = -e;
        g[(p + 1) * len + i] = -((a * e * dx) / s2);
        g[(p + 2) * len + i] = -((a * e * dx * dx) / (s2 * sigma));
      }
    }
    for (let j = 0; j < nParams; j++) {
      for (let i = j; i < nParams; i++) {
        let s = 0;
        for (let k = 0; k < len; k++) s += g[i * len + k] * g[j * len + k];
        hessian[i * nParams + j] = s;
        hessian[j * nParams + i] = s;
      }
    }
    for (let i = 0; i < nParams; i++) hessian[i * nParams + i] += damping;
    for (let i = 0; i < nParams; i++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += g[i * len + k] * residual[k];
      gradient[i] = s;
    }
    if (cholesky(hessian, lower, nParams)) choleskySolve(lower, gradient, step, nParams);
    else solveByInverse(hessian, gradient, step, nParams);

    for (let k = 0; k < nParams; k++) {
      parameters[k] = Math.min(Math.max(minValues[k], parameters[k] - step[k]), maxValues[k]);
    }
    error = evaluate(y, parameters, gaussianValues, residual);
    if (isNaN(error)) break;
    if (error < optimalError - errorTolerance) {
      optimalError = error;
      optimalParameters = parameters.slice();
    }
    let predicted = 0;
    for (let k = 0; k < nParams; k++) predicted += step[k] * (step[k] * damping + gradient[k]);
    const improvementMetric = (previousError - error) / predicted;
    damping = improvementMetric > IMPROVEMENT_THRESHOLD ? Math.max(damping / dampingStepDown, 1e-7) : Math.min(damping * dampingStepUp, 1e7);
    converged = error <= errorTolerance;
  }
  return { parameterValues: optimalParameters, parameterError: optimalError, iterations: iteration };
}

/**
 * sum_i (y_i - f(i))^2, f evaluated as gaussian-fits.ts's sumOfGaussians does (a zero-width
 * component contributes nothing); each component's values go to gaussianValues (P/3, N) and
 * y - f to residual.
 */
function evaluate(y: ArrayLike<number>, params: number[], gaussianValues: Float64Array, residual: Float64Array): number {
  const len = y.length;
  let error = 0;
  for (let i = 0; i < len; i++) {
    let total = 0;
    for (let p = 0, c = 0; p < params.length; p += PARAMS_PER_GAUSSIAN, c++) {
      const variance = params[p + 2] * params[p + 2];
      const dx = i - params[p + 1];
      const e = Math.exp((-dx * dx) / (2 * variance));
      gaussianValues[c * len + i] = e;
      if (variance !== 0) total += params[p] * e;
    }
    residual[i] = y[i] - total;
    error += (y[i] - total) ** 2;
  }
  return error;
}

/** ml-matrix's Cholesky (JAMA's column order); false when the matrix is not positive definite. */
function cholesky(a: Float64Array, l: Float64Array, n: number): boolean {
  let positiveDefinite = true;
  l.fill(0);
  for (let j = 0; j < n; j++) {
    let d = 0;
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += l[k * n + i] * l[j * n + i];
      s = (a[j * n + k] - s) / l[k * n + k];
      l[j * n + k] = s;
      d = d + s * s;
    }
    d = a[j * n + j] - d;
    positiveDefinite &&= d > 0;
    l[j * n + j] = Math.sqrt(Math.max(d, 0));
  }
  return positiveDefinite;
}

/** L L^T x = b by forward then backward substitution, in ml-matrix's order. */
function choleskySolve(l: Float64Array, b: Float64Array, x: Float64Array, n: number): void {
  x.set(b);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < k; i++) x[k] = x[k] - x[i] * l[k * n + i];
    x[k] = x[k] / l[k * n + k];
  }
  for (let k = n - 1; k >= 0; k--) {
    for (let i = k + 1; i < n; i++) x[k] = x[k] - x[i] * l[i * n + k];
    x[k] = x[k] / l[k * n + k];
  }
}

/** The library's fallback for a hessian that is not positive definite: inverse(H) g, by ml-matrix. */
function solveByInverse(h: Float64Array, b: Float64Array, x: Float64Array, n: number): void {
  const rows = Array.from({ length: n }, (_, i) => Array.from(h.subarray(i * n, (i + 1) * n)));
  const solution = inverse(new MlMatrix(rows)).mmul(MlMatrix.columnVector(Array.from(b)));
  for (let i = 0; i < n; i++) x[i] = solution.get(i, 0);
}
