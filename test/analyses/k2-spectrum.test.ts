/**
 * k2-spectrum's leading spectrum (topKSvd, K = 32) against the dense SVD, on both matrices the
 * analysis decomposes: the active block of K_2 (here of a small Brown corpus, 300 active tokens,
 * large enough for the Lanczos path) and its Gaussian null control of the same norm.
 */
import { describe, expect, it } from 'vitest';
import { leadingSpectrum } from '../../src/analyses/k2-spectrum.js';
import { activeBlock, computeStatistics, loadCorpus } from '../../src/corpus/index.js';
import { effectiveRank, frobeniusNorm, gaussianMatrix, singularValues, type Matrix } from '../../src/linalg/index.js';

function denseReference(m: Matrix) {
  const s = singularValues(m).slice(0, 32);
  const total = frobeniusNorm(m) ** 2;
  const energy = (k: number) => Array.from(s.slice(0, k)).reduce((a, x) => a + x * x, 0) / total;
  return { singularValues: Array.from(s), top8Energy: energy(8), top32Energy: energy(32), effectiveRank: effectiveRank(s) };
}

function expectMatches(m: Matrix, seed: number): void {
  const ours = leadingSpectrum(m, seed);
  const reference = denseReference(m);
  const top = reference.singularValues[0];
  expect(ours.singularValues).toHaveLength(32);
  for (let i = 0; i < 32; i++) expect(Math.abs(ours.singularValues[i] - reference.singularValues[i]) / top).toBeLessThan(1e-10);
  expect(ours.top8Energy).toBeCloseTo(reference.top8Energy, 12);
  expect(ours.top32Energy).toBeCloseTo(reference.top32Energy, 12);
  expect(Math.abs(ours.effectiveRank - reference.effectiveRank) / reference.effectiveRank).toBeLessThan(1e-9);
}

describe('k2-spectrum leading spectrum', () => {
  const corpus = loadCorpus('brown', { vocabSize: 400, statTokens: 30_000, validationTokens: 0 });
  const stats = computeStatistics(corpus, 300);
  const k2 = activeBlock(stats.k2, stats.active);

  it('matches the dense SVD on the active block of K_2', () => {
    expect([k2.rows, k2.cols]).toEqual([300, 300]);
    expectMatches(k2, 1234);
  });

  it('matches the dense SVD on the Gaussian null control (a flat spectrum)', () => {
    const g = gaussianMatrix(k2.rows, k2.cols, 7);
    const scale = frobeniusNorm(k2) / frobeniusNorm(g);
    for (let i = 0; i < g.data.length; i++) g.data[i] *= scale;
    expectMatches(g, 8);
  });
});
