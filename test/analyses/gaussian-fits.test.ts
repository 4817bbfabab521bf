import { describe, expect, it } from 'vitest';
import {
  fitGaussians,
  gaussianDecomposition,
  linearFit,
  sampleWithoutReplacement,
  sumOfGaussians,
} from '../../src/analyses/gaussian-fits.js';
import { embeddingGaussianFitsAnalysis } from '../../src/analyses/embedding-gaussian-fits.js';
import type { AnalysisContext, AnalysisResult } from '../../src/analyses/types.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createRng, gaussianMatrix } from '../../src/linalg/random.js';
import { pearson } from '../../src/linalg/spectral.js';
import { PROFILES } from '../../src/pipeline/profiles.js';

/** [A, mu, sigma] x 4, on a 256-sample axis */
const TRUE_PARAMS = [0.9, 40, 8, -0.6, 95, 14, 0.5, 160, 6, 0.8, 215, 10];

function rowOf(params: number[], length: number): Float64Array {
  return Float64Array.from({ length }, (_, j) => sumOfGaussians(params, j));
}

/** A (rows, cols) matrix whose row i is the sum of Gaussians paramsOf(i). */
function matrixOf(rows: number, cols: number, paramsOf: (i: number) => number[]): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) data.set(rowOf(paramsOf(i), cols), i * cols);
  return { rows, cols, data };
}

const bump = (i: number, center: number, width: number) => Math.exp(-((i - center) ** 2) / (2 * width * width));

/**
 * Row-i parameters on a 128-sample axis, each a smooth function of i (a constant plus one bump, so
 * that 3 Gaussians can fit it) that varies a lot across rows; centers stay in disjoint ranges.
 */
function smoothParams(i: number): number[] {
  return [
    0.2 + 1.3 * bump(i, 10, 6), 18 + 10 * bump(i, 16, 8), 4 + 4 * bump(i, 20, 7),
    0.3 + 1.0 * bump(i, 24, 6), 48 + 10 * bump(i, 8, 6), 6,
    0.1 + 1.2 * bump(i, 16, 8), 88 - 12 * bump(i, 20, 8), 3 + 4 * bump(i, 12, 6),
    0.9, 104 + 10 * bump(i, 16, 9), 8 - 4 * bump(i, 10, 7),
  ];
}

const OPTIONS = { gaussians: 4, l2Gaussians: 3, init: 'even' as const, seed: 11 };

describe('fitGaussians (L1 on one row)', () => {
  it('recovers the parameters of a row made of 4 Gaussians from evenly spaced initial centers', () => {
    const fit = fitGaussians(rowOf(TRUE_PARAMS, 256), 4, 'even', createRng(1));
    expect(fit.failed).toBe(false);
    fit.params.forEach((value, i) => expect(value).toBeCloseTo(TRUE_PARAMS[i], 3));
  });

  it('reports a row with non-finite values as failed instead of throwing', () => {
    const row = rowOf(TRUE_PARAMS, 64);
    row[10] = NaN;
    const fit = fitGaussians(row, 4, 'even', createRng(1));
    expect(fit.failed).toBe(true);
    expect(fit.params).toEqual(fit.initial);
  });
});

describe('gaussianDecomposition', () => {
  it('gives R^2 = 1 and MSE = 0 when every row is exactly 4 Gaussians', () => {
    const w = matrixOf(40, 256, (i) => TRUE_PARAMS.map((v, p) => (p % 3 === 0 ? v * (1 + 0.01 * i) : v)));
    const result = gaussianDecomposition(w, { ...OPTIONS, rows: 8 });
    expect(result.l1R2).toBeCloseTo(1, 8);
    expect(result.l1Mse).toBeLessThan(1e-12);
    result.centersSorted.forEach((c, k) => expect(c).toBeCloseTo(TRUE_PARAMS[3 * k + 1], 3));
    expect(result.l1Failures + result.l2Failures).toBe(0);
  });

  it('counts parameters and compression ratios', () => {
    const tall = gaussianDecomposition(gaussianMatrix(40, 256, 1), { ...OPTIONS, rows: 4 });
    expect(tall.compression).toBeCloseTo(256 / 12, 12); // 21.3x
    expect(tall.l1Params).toBe(40 * 12);
    expect(tall.l2Params).toBe(108);
    expect(tall.l2Compression).toBeCloseTo((40 * 256) / 108, 12);
    const wide = gaussianDecomposition(gaussianMatrix(6, 1024, 2), { ...OPTIONS, rows: 2 });
    expect(wide.compression).toBeCloseTo(1024 / 12, 12); // 85.3x
  });

  it('reconstructs well through L2 when L1 parameters vary smoothly across rows, and badly once rows are shuffled', () => {
    const smooth = matrixOf(32, 128, smoothParams);
    const order = sampleWithoutReplacement(32, 32, createRng(5)); // sorted: the identity
    expect(order).toEqual(Array.from({ length: 32 }, (_, i) => i));
    const rng = createRng(5);
    const shuffledOrder = order.slice();
    for (let i = 31; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [shuffledOrder[i], shuffledOrder[j]] = [shuffledOrder[j], shuffledOrder[i]];
    }
    const shuffled = matrixOf(32, 128, (i) => smoothParams(shuffledOrder[i]));

    const onSmooth = gaussianDecomposition(smooth, { ...OPTIONS, rows: 32 });
    const onShuffled = gaussianDecomposition(shuffled, { ...OPTIONS, rows: 32 });
    // Same set of rows, so L1 is equally good on both; only the row order differs.
    expect(onSmooth.l1R2).toBeGreaterThan(0.999);
    expect(onShuffled.l1R2).toBeGreaterThan(0.999);
    expect(onSmooth.l2R2).toBeGreaterThan(0.99);
    expect(onShuffled.l2R2).toBeLessThan(0.8);
    // shuffling multiplies the variance L2 leaves unexplained many times over
    expect(1 - onShuffled.l2R2).toBeGreaterThan(100 * (1 - onSmooth.l2R2));
  });

  it('is deterministic for a seed and samples different rows for another seed', () => {
    const w = gaussianMatrix(200, 64, 3);
    const options = { ...OPTIONS, rows: 6, init: 'random' as const };
    const a = gaussianDecomposition(w, options);
    const b = gaussianDecomposition(w, options);
    expect(b.sampledRows).toEqual(a.sampledRows);
    expect(Array.from(b.l1.data)).toEqual(Array.from(a.l1.data));
    expect(b.l2R2).toBe(a.l2R2);
    const c = gaussianDecomposition(w, { ...options, seed: options.seed + 1 });
    expect(c.sampledRows).not.toEqual(a.sampledRows);
  });

  it('gives NaN spectral correlations without a basis and finite ones with it', () => {
    const w = gaussianMatrix(50, 64, 4);
    const without = gaussianDecomposition(w, { ...OPTIONS, rows: 4 });
    expect(without.sigmaSpacingR).toBeNaN();
    expect(without.ampSvR).toBeNaN();
    expect(without.notes.join(' ')).toMatch(/no spectral basis/);
    const basis = { eigenvalues: Float64Array.of(50, 20, 19, 8, 7, 1), singularValues: Float64Array.of(7.1, 4.5, 4.4, 2.8) };
    const withBasis = gaussianDecomposition(w, { ...OPTIONS, rows: 4, basis });
    expect(Number.isFinite(withBasis.sigmaSpacingR)).toBe(true);
    expect(Number.isFinite(withBasis.ampSvR)).toBe(true);
  });

  it('counts a failed row in the notes and keeps going', () => {
    const w = gaussianMatrix(5, 32, 6);
    w.data[2 * 32 + 7] = NaN;
    const result = gaussianDecomposition(w, { ...OPTIONS, rows: 5 });
    expect(result.l1Failures).toBe(1);
    expect(result.notes.join(' ')).toMatch(/1 of 5 row fits failed/);
  });
});

describe('the center-position null', () => {
  it('sorted uniform random numbers correlate with evenly spaced positions at r ~ 0.95', () => {
    const rng = createRng(9);
    const positions = [1, 2, 3, 4].map((k) => (256 / 5) * k);
    let total = 0;
    const draws = 2000;
    for (let t = 0; t < draws; t++) {
      const sorted = Array.from({ length: 4 }, () => rng.uniform() * 256).sort((a, b) => a - b);
      total += pearson(sorted, positions);
    }
    expect(total / draws).toBeGreaterThan(0.9);
    expect(total / draws).toBeLessThan(0.99);
  });

  it('fits on pure noise give highly "linear" centers, and centerEvR is just sqrt(centerLinearR2)', () => {
    const result = gaussianDecomposition(gaussianMatrix(100, 128, 8), { ...OPTIONS, rows: 8 });
    expect(result.centerEvR).toBeGreaterThan(0.9);
    expect(result.centerEvR).toBeCloseTo(Math.sign(result.centerSlope) * Math.sqrt(result.centerLinearR2), 12);
    const line = linearFit([0, 1, 2, 3], result.centersSorted);
    expect(line.slope).toBeCloseTo(result.centerSlope, 12);
  });
});

describe('embeddingGaussianFitsAnalysis', () => {
  it('returns every declared output for E and for each null seed', async () => {
    const embeddings = gaussianMatrix(120, 48, 10);
    const profile = { ...PROFILES.ci, nullSeeds: 2 };
    const ctx = {
      profile,
      embeddings: async () => ({ embeddings, spectral: embeddings, kernel: new Float64Array(48), params: {} }),
      progress: () => () => {},
    } as unknown as AnalysisContext;
    const sizes = { rows: 6, gaussians: 4, l2Gaussians: 3 };
    const result = (await embeddingGaussianFitsAnalysis.run!(ctx, sizes)) as AnalysisResult;
    const declared = Object.keys(embeddingGaussianFitsAnalysis.outputs).sort();
    expect(Object.keys(result.outputs).sort()).toEqual(declared);
    expect(Object.keys(result.nulls!).sort()).toEqual(declared);
    for (const samples of Object.values(result.nulls!)) expect(samples).toHaveLength(2);
    expect(Number.isFinite(result.outputs.ampSvR as number)).toBe(true);
    // the nulls are different matrices, so their fits differ
    expect(result.nulls!.l1Mse[0]).not.toBe(result.nulls!.l1Mse[1]);
    await expect(embeddingGaussianFitsAnalysis.run!(ctx, { ...sizes, init: 'middle' })).rejects.toThrow(/params.init must be one of even, random, got "middle"/);
    await expect(embeddingGaussianFitsAnalysis.run!(ctx, { rows: 6 })).rejects.toThrow(/params.gaussians is required/);
  });
});
