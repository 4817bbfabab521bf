/**
 * gaussian-lm.ts is a port of ml-levenberg-marquardt 5.1.0's iteration; the Gaussian fits' numbers
 * (Paper 56's claims) were made with the library, so the port must return the same parameters to
 * the last bit, on rows the library fits well and on rows where it wanders (noise, spikes, bounds).
 */
import { describe, expect, it } from 'vitest';
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { fitSumOfGaussiansLm, type GaussianLmOptions } from '../../src/analyses/gaussian-lm.js';
import { sumOfGaussians } from '../../src/analyses/gaussian-fits.js';
import { createRng } from '../../src/linalg/random.js';

/** The analytic Jacobian the fits passed to the library. */
function gaussianJacobian(params: number[]): (x: number) => number[] {
  return (x) => {
    const partials = new Array<number>(params.length);
    for (let p = 0; p < params.length; p += 3) {
      const [a, mu, sigma] = [params[p], params[p + 1], params[p + 2]];
      const dx = x - mu;
      const s2 = sigma * sigma;
      const g = Math.exp((-dx * dx) / (2 * s2));
      partials[p] = g;
      partials[p + 1] = (a * g * dx) / s2;
      partials[p + 2] = (a * g * dx * dx) / (s2 * sigma);
    }
    return partials;
  };
}

function library(y: Float64Array, options: GaussianLmOptions) {
  const x = Float64Array.from({ length: y.length }, (_, j) => j);
  return levenbergMarquardt({ x, y }, (p) => (t) => sumOfGaussians(p, t), { ...options, jacobianFunction: gaussianJacobian });
}

function options(len: number, count: number, rng: ReturnType<typeof createRng>, damping = 1): GaussianLmOptions {
  const initialValues: number[] = [];
  const minValues: number[] = [];
  const maxValues: number[] = [];
  for (let k = 0; k < count; k++) {
    initialValues.push(rng.normal(), rng.uniform() * len, Math.max(0.5, len / (2 * count)));
    minValues.push(-1e9, -len, 0.5);
    maxValues.push(1e9, 2 * len, 10 * len);
  }
  return { initialValues, minValues, maxValues, maxIterations: 40, damping, dampingStepUp: 3, dampingStepDown: 2, errorTolerance: 1e-12 };
}

describe('fitSumOfGaussiansLm', () => {
  const rng = createRng(56);
  const rows: [string, Float64Array, number][] = [
    ['noise, 256 points, 4 Gaussians', Float64Array.from({ length: 256 }, () => rng.normal()), 4],
    ['noise, 1024 points, 4 Gaussians', Float64Array.from({ length: 1024 }, () => rng.normal()), 4],
    ['exact Gaussians', Float64Array.from({ length: 256 }, (_, j) => sumOfGaussians([1.5, 60, 12, -0.7, 150, 30, 0.4, 220, 5], j)), 3],
    ['a spike (widths hit the lower bound)', Float64Array.from({ length: 64 }, (_, j) => (j === 20 ? 8 : 0.01 * rng.normal())), 2],
    ['a short L2-like signal', Float64Array.from({ length: 32 }, (_, j) => 100 + 3 * Math.sin(j / 3) + rng.normal()), 3],
  ];
  for (const [name, y, count] of rows) {
    it(`returns the library's parameters bit for bit: ${name}`, () => {
      for (const damping of [1, 1e-2]) {
        const opts = options(y.length, count, rng, damping);
        const ours = fitSumOfGaussiansLm(y, opts);
        const theirs = library(y, opts);
        expect(ours.iterations).toBe(theirs.iterations);
        expect(ours.parameterError).toBe(theirs.parameterError);
        expect(ours.parameterValues).toEqual(theirs.parameterValues);
      }
    });
  }

  it('stops at the first iteration when the start already meets the tolerance', () => {
    const y = Float64Array.from({ length: 50 }, (_, j) => sumOfGaussians([1, 25, 5], j));
    const r = fitSumOfGaussiansLm(y, { ...options(50, 1, rng), initialValues: [1, 25, 5], errorTolerance: 1e-20 });
    expect(r.iterations).toBe(0);
    expect(r.parameterValues).toEqual([1, 25, 5]);
  });
});
