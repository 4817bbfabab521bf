/**
 * qk-low-rank and qk-spectral-twinning: on the tiny zoo's V1 against a direct computation from
 * c_attn, and on hand-built weights with known spectra (a rank-4 Q, K = 3 Q, Gaussian blocks).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { qkLowRankAnalysis, qkSpectralTwinningAnalysis } from '../../src/analyses/qk-spectra.js';
import type { AnalysisContext, AnalysisResult, Params } from '../../src/analyses/types.js';
import { type Matrix, gaussianMatrix, marchenkoPasturReference, matmul, singularValues, transpose } from '../../src/linalg/index.js';
import type { GptConfig } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { PROFILES } from '../../src/pipeline/profiles.js';
import { attentionMatrix, withAttentionMatrix } from '../../src/zoo/attention.js';
import type { ModelZoo } from '../../src/zoo/zoo.js';
import { TINY_TRAINING, tempDir, tinyZoo, tinyAnalysisContext } from '../zoo/fixture.js';

const dir = tempDir('qk-spectra-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const shared = tinyZoo(dir);
const profile = { ...PROFILES.ci, training: TINY_TRAINING };

const contextOf = (zoo: Pick<ModelZoo, 'model'>): AnalysisContext => tinyAnalysisContext(zoo);

/** A context whose every zoo model is `weights` with `config`. */
const fixedModel = (config: GptConfig, weights: ModelWeights): AnalysisContext =>
  contextOf({ model: async (name) => ({ name, config, weights, trainingLosses: [], trainedOn: null, batches: null, importedFrom: null }) });

async function run(analysis: typeof qkLowRankAnalysis, ctx: AnalysisContext, params: Params = {}): Promise<AnalysisResult> {
  const result = await analysis.run!(ctx, params);
  if ('pending' in result) throw new Error(result.pending);
  return result;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const descending = (s: Float64Array): number[] => [...s].sort((a, b) => b - a);

/** Entropy effective rank and top-k energy written out from the definitions. */
function entropyRank(values: number[]): number {
  const total = values.reduce((s, x) => s + x, 0);
  return Math.exp(-values.reduce((h, x) => (x > 0 ? h + (x / total) * Math.log(x / total) : h), 0));
}
function energyShare(s: number[], k: number): number {
  const e = descending(Float64Array.from(s, (x) => x * x));
  return e.slice(0, k).reduce((a, x) => a + x, 0) / e.reduce((a, x) => a + x, 0);
}
/** KL of the sorted, sum-normalized profiles, without the epsilon guard. */
function klOfSpectra(a: Float64Array, b: Float64Array): number {
  const p = descending(a);
  const q = descending(b);
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  return p.reduce((kl, x, i) => kl + (x / sp) * Math.log(x / sp / (q[i] / sq)), 0);
}

/** A 1-layer model of width d at GPT-2 init, with any of W_Q, W_K, W_V replaced. */
function modelWith(d: number, blocks: Partial<Record<'q' | 'k' | 'v', Matrix>>): { config: GptConfig; weights: ModelWeights } {
  const config: GptConfig = { vocabSize: 8, dModel: d, nLayers: 1, nHeads: 4, blockSize: 4, dMlp: 4 * d };
  let weights = initParameters(config, 3);
  for (const [block, m] of Object.entries(blocks)) weights = withAttentionMatrix(weights, config, 0, block as 'q' | 'k' | 'v', m);
  return { config, weights };
}

describe('qk-low-rank', () => {
  it('V1 by default: effective rank and energies of the singular values of W_Q W_K^T, per layer and mean', async () => {
    const result = await run(qkLowRankAnalysis, contextOf(shared.zoo));
    const v1 = await shared.zoo.model('v1');
    const { effectiveRank, top8Energy, top32Energy } = result.outputs as Record<string, number[]>;
    expect(effectiveRank).toHaveLength(2);
    for (const l of [0, 1]) {
      const wq = attentionMatrix(v1.weights, v1.config, l, 'q');
      const wk = attentionMatrix(v1.weights, v1.config, l, 'k');
      const s = [...singularValues(matmul(wq, transpose(wk)))];
      expect(effectiveRank[l]).toBeCloseTo(entropyRank(s), 10);
      expect(top8Energy[l]).toBeCloseTo(energyShare(s, 8), 12);
      // d = 16 < 32: all the energy is in the top 32
      expect(top32Energy[l]).toBeCloseTo(1, 12);
    }
    expect(result.outputs.meanEffectiveRank).toBeCloseTo(mean(effectiveRank), 12);
    expect(result.outputs.meanTop8Energy).toBeCloseTo(mean(top8Energy), 12);
    expect(result.outputs.meanTop32Energy).toBe(mean(top32Energy));

    // the null: one random-init sample per seed, each per layer; different seeds, different values
    expect(result.nulls!.effectiveRank).toHaveLength(profile.nullSeeds);
    for (const sample of result.nulls!.effectiveRank as number[][]) expect(sample).toHaveLength(2);
    expect(result.nulls!.meanTop8Energy).toHaveLength(profile.nullSeeds);
    expect(new Set(result.nulls!.meanEffectiveRank as number[]).size).toBe(profile.nullSeeds);
    expect(result.notes).toHaveLength(2);
  });

  it('the other readings: Q^T K, p from sigma^2 (never above the sigma reading); bad params fail', async () => {
    const ctx = contextOf(shared.zoo);
    const byDefault = await run(qkLowRankAnalysis, ctx);
    const energy = await run(qkLowRankAnalysis, ctx, { effectiveRankOf: 'energy' });
    const transposed = await run(qkLowRankAnalysis, ctx, { product: 'Q^TK', model: 'v1' });
    const v1 = await shared.zoo.model('v1');
    for (const l of [0, 1]) {
      const wq = attentionMatrix(v1.weights, v1.config, l, 'q');
      const wk = attentionMatrix(v1.weights, v1.config, l, 'k');
      const s = [...singularValues(matmul(wq, transpose(wk)))];
      expect((energy.outputs.effectiveRank as number[])[l]).toBeCloseTo(entropyRank(s.map((x) => x * x)), 10);
      expect((energy.outputs.effectiveRank as number[])[l]).toBeLessThanOrEqual((byDefault.outputs.effectiveRank as number[])[l]);
      const m = [...singularValues(matmul(transpose(wq), wk))];
      expect((transposed.outputs.top8Energy as number[])[l]).toBeCloseTo(energyShare(m, 8), 12);
    }
    expect(energy.outputs.top8Energy).toEqual(byDefault.outputs.top8Energy);
    await expect(qkLowRankAnalysis.run!(ctx, { product: 'QK' })).rejects.toThrow(/params.product must be one of QK\^T, Q\^TK/);
    await expect(qkLowRankAnalysis.run!(ctx, { effectiveRankOf: 'sigma' })).rejects.toThrow(/params.effectiveRankOf/);
  });

  it('a rank-4 W_Q puts all energy in 4 components; Gaussian W_Q, W_K spread it', async () => {
    const d = 48;
    const lowRank = matmul(gaussianMatrix(d, 4, 21), gaussianMatrix(4, d, 22));
    const model = modelWith(d, { q: lowRank });
    const result = await run(qkLowRankAnalysis, fixedModel(model.config, model.weights), { effectiveRankOf: 'energy' });
    expect((result.outputs.top8Energy as number[])[0]).toBeCloseTo(1, 12);
    expect((result.outputs.effectiveRank as number[])[0]).toBeLessThanOrEqual(4 + 1e-6);
    expect((result.outputs.effectiveRank as number[])[0]).toBeGreaterThan(1);
    // the random-init null on the same shape: far from low rank
    for (const top8 of result.nulls!.top8Energy as number[][]) expect(top8[0]).toBeLessThan(0.7);
    for (const rank of result.nulls!.effectiveRank as number[][]) expect(rank[0]).toBeGreaterThan(10);
  });
});

describe('qk-spectral-twinning', () => {
  it('V1 by default: KL between sorted singular-value profiles of Q, K, V and the MP reference', async () => {
    const result = await run(qkSpectralTwinningAnalysis, contextOf(shared.zoo));
    const v1 = await shared.zoo.model('v1');
    const out = result.outputs as Record<string, number[]>;
    const mp = marchenkoPasturReference(16, 16);
    for (const l of [0, 1]) {
      const s = (b: 'q' | 'k' | 'v'): Float64Array => singularValues(attentionMatrix(v1.weights, v1.config, l, b));
      expect(out.klQK[l]).toBeCloseTo(klOfSpectra(s('q'), s('k')), 9);
      expect(out.klQV[l]).toBeCloseTo(klOfSpectra(s('q'), s('v')), 9);
      expect(out.klQMP[l]).toBeCloseTo(klOfSpectra(s('q'), mp), 9);
      expect(out.klKMP[l]).toBeCloseTo(klOfSpectra(s('k'), mp), 9);
      expect(out.klVMP[l]).toBeCloseTo(klOfSpectra(s('v'), mp), 9);
      expect(out.qkMutualRatio[l]).toBeCloseTo((out.klQMP[l] + out.klKMP[l]) / 2 / out.klQK[l], 9);
    }
    for (const key of Object.keys(out)) {
      expect(result.nulls![key]).toHaveLength(profile.nullSeeds);
      for (const sample of result.nulls![key] as number[][]) expect(sample).toHaveLength(2);
    }
  });

  it('K = 3 Q gives KL(Q||K) = 0; Gaussian blocks sit close to MP; a rank-4 Q does not', async () => {
    const d = 64;
    const q = gaussianMatrix(d, d, 31);
    const twin = modelWith(d, { q, k: { ...q, data: q.data.map((x) => 3 * x) }, v: gaussianMatrix(d, d, 32) });
    const twinned = await run(qkSpectralTwinningAnalysis, fixedModel(twin.config, twin.weights));
    expect((twinned.outputs.klQK as number[])[0]).toBeLessThan(1e-9);
    expect((twinned.outputs.qkMutualRatio as number[])[0]).toBeGreaterThan(1e3);
    // i.i.d. Gaussian (d, d) against the quarter-circle reference: a few 1e-4 at d = 64
    expect((twinned.outputs.klQMP as number[])[0]).toBeLessThan(0.003);
    expect((twinned.outputs.klVMP as number[])[0]).toBeLessThan(0.003);

    const lowRank = modelWith(d, { q: matmul(gaussianMatrix(d, 4, 33), gaussianMatrix(4, d, 34)) });
    const structured = await run(qkSpectralTwinningAnalysis, fixedModel(lowRank.config, lowRank.weights));
    expect((structured.outputs.klQMP as number[])[0]).toBeGreaterThan(0.3);
    expect((structured.outputs.klQK as number[])[0]).toBeGreaterThan(0.3);
    // K and V are untouched GPT-2 init there: near MP
    expect((structured.outputs.klKMP as number[])[0]).toBeLessThan(0.003);
  });
});
