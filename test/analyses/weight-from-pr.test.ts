/**
 * weight-from-pr on the tiny zoo (d 16, 2 layers): R^2 of the row projection against a projection
 * written out row by row, R^2 = 1 at k = d, the cosine and direct prediction against textbook
 * products, planted blocks that pin the orientation (cosine 1, direct R^2 1, alignment 1), a random
 * prediction near -1, and the random-init null near k / d.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisContext, AnalysisResult, Params } from '../../src/analyses/types.js';
import { weightFromPrAnalysis } from '../../src/analyses/weight-from-pr.js';
import { sparseToDense } from '../../src/corpus/sparse.js';
import { type Matrix, cosine, identity, matmul, pearson, svd, symmetricEig, transpose, zeros } from '../../src/linalg/index.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { PROFILES } from '../../src/pipeline/profiles.js';
import { attentionMatrix, withAttentionMatrix } from '../../src/zoo/attention.js';
import type { ModelZoo } from '../../src/zoo/zoo.js';
import { TINY_SHAPE, tempDir, tinyZoo, tinyZooData, tinyStatistics, tinyCorpusContext } from '../zoo/fixture.js';

const dir = tempDir('weight-from-pr-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const data = tinyZooData();
const { zoo } = tinyZoo(dir, data);
const stats = tinyStatistics(data);
const d = TINY_SHAPE.dModel;
const nLayers = TINY_SHAPE.nLayers;

const contextFor = (z: ModelZoo): AnalysisContext => tinyCorpusContext(z, data, stats);
const ctx = contextFor(zoo);

/**
 * Most checks read E off the model (params.embedding 'model'), whose weights the test plants, and
 * project onto all d eigenvectors unless they pass params.k.
 */
async function run(params: Params, c: AnalysisContext = ctx): Promise<AnalysisResult> {
  const result = await weightFromPrAnalysis.run!(c, { embedding: 'model', k: d, ...params });
  if ('pending' in result) throw new Error('pending');
  return result;
}

const matrixOf = (weights: ModelWeights, name: string): Matrix => {
  const t = weights.get(name)!;
  return { rows: t.shape[0], cols: t.shape[1], data: Float64Array.from(t.data) };
};

/** E^T T E with the dense T, by the textbook product. */
const tProjOf = (e: Matrix): Matrix => matmul(transpose(e), matmul(sparseToDense(stats.transition), e));

async function v1(): Promise<{ weights: ModelWeights; e: Matrix; tProj: Matrix }> {
  const { weights } = await zoo.model('v1');
  const e = matrixOf(weights, 'tok_emb.weight');
  return { weights, e, tProj: tProjOf(e) };
}

/** A zoo whose V1 has some attention blocks replaced. */
async function zooWithBlocks(blocks: { layer: number; block: 'q' | 'k' | 'v'; m: Matrix }[]): Promise<ModelZoo> {
  const model = await zoo.model('v1');
  let weights = model.weights;
  for (const { layer, block, m } of blocks) weights = withAttentionMatrix(weights, model.config, layer, block, m);
  return { ...zoo, model: async (name) => (name === 'v1' ? { ...model, weights } : zoo.model(name)) };
}

describe('weight-from-pr on the tiny zoo', () => {
  it('gives R^2 of projecting every d-wide row onto the top-k eigenvectors of E^T E, as projected row by row', async () => {
    const k = 4;
    const result = await run({ k });
    const { weights, e } = await v1();
    const u = symmetricEig(matmul(transpose(e), e)).vectors; // columns, largest first
    const rows: number[][] = [];
    const addRows = (m: Matrix): void => {
      for (let r = 0; r < m.rows; r++) rows.push(Array.from(m.data.subarray(r * d, (r + 1) * d)));
    };
    addRows(e);
    addRows(e); // again, as the tied output head
    for (let l = 0; l < nLayers; l++) for (const p of ['attn.c_attn', 'attn.c_proj', 'mlp.0']) addRows(matrixOf(weights, `blocks.${l}.${p}.weight`));
    expect(rows).toHaveLength(2 * data.vocabSize + nLayers * (3 * d + d + TINY_SHAPE.dMlp));
    const entries = rows.flat();
    const mean = entries.reduce((s, x) => s + x, 0) / entries.length;
    let residual = 0;
    for (const w of rows) {
      const fit = new Array<number>(d).fill(0);
      for (let j = 0; j < k; j++) {
        const uj = Array.from({ length: d }, (_, c) => u.data[c * d + j]);
        const score = w.reduce((s, x, c) => s + x * uj[c], 0);
        for (let c = 0; c < d; c++) fit[c] += score * uj[c];
      }
      residual += w.reduce((s, x, c) => s + (x - fit[c]) ** 2, 0);
    }
    const total = entries.reduce((s, x) => s + (x - mean) ** 2, 0);
    expect(result.outputs.linearR2).toBeCloseTo(1 - residual / total, 10);
    expect(result.outputs.trainingShare).toBeCloseTo(1 - (result.outputs.linearR2 as number), 14);

    // all d directions explain everything; more directions never explain less
    const full = await run({ k: d });
    expect(full.outputs.linearR2).toBeCloseTo(1, 10);
    const more = await run({ k: 8 });
    expect(more.outputs.linearR2 as number).toBeGreaterThan(result.outputs.linearR2 as number);
    // the c_attn rows alone give another number, also of a projection
    const attention = await run({ k, weights: 'attention' });
    expect(attention.outputs.linearR2).not.toBeCloseTo(result.outputs.linearR2 as number, 6);
    expect(attention.outputs.linearR2 as number).toBeGreaterThan(0);
  });

  it('gives the cosine of W_Q W_K^T with E^T T E per layer, direct R^2 from r, and a random prediction near -1', async () => {
    const result = await run({});
    const { weights, tProj } = await v1();
    const config = (await zoo.model('v1')).config;
    const q = (l: number) => attentionMatrix(weights, config, l, 'q');
    const k = (l: number) => attentionMatrix(weights, config, l, 'k');
    const cosines = result.outputs.qkTprojCosine as number[];
    expect(cosines).toEqual([0, 1].map((l) => expect.closeTo(cosine(matmul(q(l), transpose(k(l))).data, tProj.data), 10)));
    const bilinear = await run({ product: 'Q^TK' });
    expect(bilinear.outputs.qkTprojCosine).toEqual([0, 1].map((l) => expect.closeTo(cosine(matmul(transpose(q(l)), k(l)).data, tProj.data), 10)));

    // a prediction with each block's mean and std and correlation r leaves 2 n var (1 - r) per block
    const blocks = [0, 1].flatMap((l) => (['q', 'k', 'v'] as const).map((b) => attentionMatrix(weights, config, l, b).data));
    const entries = blocks.flatMap((b) => Array.from(b));
    const pooled = entries.reduce((s, x) => s + x, 0) / entries.length;
    const variance = (b: Float64Array): number => {
      const m = b.reduce((s, x) => s + x, 0) / b.length;
      return b.reduce((s, x) => s + (x - m) ** 2, 0) / b.length;
    };
    const residual = blocks.reduce((s, b) => s + 2 * b.length * variance(b) * (1 - pearson(b, tProj.data)), 0);
    const total = entries.reduce((s, x) => s + (x - pooled) ** 2, 0);
    expect(result.outputs.directR2).toBeCloseTo(1 - residual / total, 10);
    // 6 blocks x 256 entries: an unrelated prediction of matched scale gives -1 within a few 0.05
    expect(Math.abs((result.outputs.randomR2 as number) + 1)).toBeLessThan(0.3);

    const alignment = result.outputs.q0Alignment as number;
    expect(alignment).toBeGreaterThanOrEqual(0);
    expect(alignment).toBeLessThanOrEqual(1 + 1e-12);
    // the crystallized E changes T_proj (and the basis)
    const crystal = await run({ embedding: 'crystallized' });
    // which E is a reading of the paper: its spec states it
    await expect(weightFromPrAnalysis.run!(ctx, { k: d })).rejects.toThrow(/params.embedding is required: one of crystallized, model/);
    const tCrystal = tProjOf(data.embeddings);
    expect(crystal.outputs.qkTprojCosine).toEqual([0, 1].map((l) => expect.closeTo(cosine(matmul(q(l), transpose(k(l))).data, tCrystal.data), 10)));
  });

  it('gives cosine 1, direct R^2 1 and alignment 1 where blocks are planted from T_proj', async () => {
    const { tProj } = await v1();
    // layer 1: W_Q = I, W_K = T_proj^T, so W_Q W_K^T = T_proj (and W_Q^T W_K = T_proj^T)
    const planted = await run({}, contextFor(await zooWithBlocks([
      { layer: 1, block: 'q', m: identity(d) },
      { layer: 1, block: 'k', m: transpose(tProj) },
    ])));
    expect((planted.outputs.qkTprojCosine as number[])[1]).toBeCloseTo(1, 10);
    const other = await run({ product: 'Q^TK' }, contextFor(await zooWithBlocks([
      { layer: 1, block: 'q', m: identity(d) },
      { layer: 1, block: 'k', m: transpose(tProj) },
    ])));
    expect((other.outputs.qkTprojCosine as number[])[1]).toBeLessThan(0.999); // T_proj is not symmetric

    // every Q, K, V block is T_proj: the scale-matched prediction is exact
    const all = [0, 1].flatMap((layer) => (['q', 'k', 'v'] as const).map((block) => ({ layer, block, m: tProj })));
    const direct = await run({}, contextFor(await zooWithBlocks(all)));
    expect(direct.outputs.directR2).toBeCloseTo(1, 10);

    // layer 0's W_Q = x u^T, u T_proj's leading left singular vector: every row reads along u
    const { U } = svd(tProj);
    const rankOne = zeros(d, d);
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) rankOne.data[r * d + c] = (r + 1) * U.data[c * U.cols];
    const aligned = await run({}, contextFor(await zooWithBlocks([{ layer: 0, block: 'q', m: rankOne }])));
    expect(aligned.outputs.q0Alignment).toBeCloseTo(1, 10);
  });

  it('gives a random-init null of one sample per seed, its linear R^2 near k / d', async () => {
    const result = await run({ k: 4 });
    const seeds = PROFILES.ci.nullSeeds;
    for (const key of Object.keys(result.outputs)) expect(result.nulls![key], key).toHaveLength(seeds);
    for (const sample of result.nulls!.qkTprojCosine as number[][]) expect(sample).toHaveLength(nLayers);
    const nullR2 = result.nulls!.linearR2 as number[];
    expect(nullR2.reduce((s, x) => s + x, 0) / seeds).toBeCloseTo(4 / d, 1);
    (result.nulls!.trainingShare as number[]).forEach((t, s) => expect(t).toBeCloseTo(1 - nullR2[s], 14));
    for (const r of result.nulls!.randomR2 as number[]) expect(Math.abs(r + 1)).toBeLessThan(0.3);
    expect(result.notes!.join('\n')).toMatch(/random orthonormal directions/);
  });

  it('rejects a k outside 1..d and unknown choices', async () => {
    await expect(run({ k: 0 })).rejects.toThrow(/params.k must be a positive integer, got 0/);
    await expect(run({ k: 17 })).rejects.toThrow(/params.k must be an integer from 1 to d = 16, got 17/);
    await expect(run({ k: 2.5 })).rejects.toThrow(/params.k must be a positive integer, got 2.5/);
    await expect(weightFromPrAnalysis.run!(ctx, {})).rejects.toThrow(/params.k is required/);
    await expect(run({ basis: 'K_2' })).rejects.toThrow(/params.basis must be one of EtE, Tproj/);
    await expect(run({ embedding: 'random' })).rejects.toThrow(/params.embedding/);
    await expect(run({ model: 'v2' })).rejects.toThrow(/params.model/);
  });
});
