/**
 * sft-vs-v1 on the tiny zoo (d 16, 2 layers): drifts and correlations against sums written out
 * here over the raw c_attn rows, the frozen tok_emb, and the random-init null.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analyses/types.js';
import { drift, sftVsV1Analysis } from '../../src/analyses/sft-vs-v1.js';
import { PROFILES } from '../../src/pipeline/profiles.js';
import { TINY_SHAPE, tempDir, tinyZoo, tinyAnalysisContext } from '../zoo/fixture.js';

const dir = tempDir('sft-vs-v1-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { zoo } = tinyZoo(dir);
const ctx = tinyAnalysisContext(zoo);

async function run(params: Record<string, string> = {}): Promise<AnalysisResult> {
  const result = await sftVsV1Analysis.run!(ctx, params);
  if ('pending' in result) throw new Error('pending');
  return result;
}

const D = TINY_SHAPE.dModel;
/** block b (0 Q, 1 K, 2 V) of c_attn of a layer, as plain numbers */
async function block(model: 'ct-init' | 'ct-sft' | 'v1', layer: number, b: number): Promise<number[]> {
  const cAttn = (await zoo.model(model)).weights.get(`blocks.${layer}.attn.c_attn.weight`)!.data;
  return Array.from(cAttn.subarray(b * D * D, (b + 1) * D * D));
}
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
const norm = (xs: number[]): number => Math.sqrt(sum(xs.map((x) => x * x)));
function r(a: number[], b: number[]): number {
  const [ma, mb] = [sum(a) / a.length, sum(b) / b.length];
  const [ca, cb] = [a.map((x) => x - ma), b.map((x) => x - mb)];
  return sum(ca.map((x, i) => x * cb[i])) / (norm(ca) * norm(cb));
}

describe('drift', () => {
  it('gives RMS, relative drift and cosine of a known move, and relative >= sin(angle)', () => {
    const d = drift([3, 0, 0, 0], [3, 4, 0, 0]);
    expect(d.rms).toBeCloseTo(2, 12); // sqrt(16 / 4)
    expect(d.relative).toBeCloseTo(4 / 3, 12);
    expect(d.cosine).toBeCloseTo(3 / 5, 12);
    expect(d.relative).toBeGreaterThanOrEqual(Math.sqrt(1 - d.cosine ** 2));
    expect(drift([1, -2], [1, -2])).toEqual({ rms: 0, relative: 0, cosine: expect.closeTo(1, 12) });
  });
});

describe('sft-vs-v1 on the tiny zoo', () => {
  it('measures Q and V drift from CT init and r against V1 per layer, as computed directly', async () => {
    const result = await run();
    const out = result.outputs;
    for (const layer of [0, 1]) {
      const [initQ, sftQ, v1Q] = await Promise.all((['ct-init', 'ct-sft', 'v1'] as const).map((m) => block(m, layer, 0)));
      const [initV, sftV, v1V] = await Promise.all((['ct-init', 'ct-sft', 'v1'] as const).map((m) => block(m, layer, 2)));
      const rel = (a: number[], b: number[]): number => norm(b.map((x, i) => x - a[i])) / norm(a);
      expect((out.driftQ as number[])[layer]).toBeCloseTo(rel(initQ, sftQ), 10);
      expect((out.driftV as number[])[layer]).toBeCloseTo(rel(initV, sftV), 10);
      expect((out.driftRatioVQ as number[])[layer]).toBeCloseTo(rel(initV, sftV) / rel(initQ, sftQ), 10);
      expect((out.corrQ as number[])[layer]).toBeCloseTo(r(sftQ, v1Q), 10);
      expect((out.corrV as number[])[layer]).toBeCloseTo(r(sftV, v1V), 10);
    }
    const corrQ = out.corrQ as number[];
    expect(out.meanAbsCorrQ).toBeCloseTo((Math.abs(corrQ[0]) + Math.abs(corrQ[1])) / 2, 12);
    // SFT moved attention: neither zero drift nor a copy of V1
    for (const x of [...(out.driftQ as number[]), ...(out.driftV as number[])]) expect(x).toBeGreaterThan(0);
    // no params.matrix: the per-matrix outputs are not produced
    expect(Object.keys(out).sort()).toEqual(['corrQ', 'corrV', 'driftQ', 'driftRatioVQ', 'driftV', 'meanAbsCorrQ', 'meanAbsCorrV']);
    // independent starts (the CT init has a draw of its own): r is small, as between two random inits
    for (const r of [...(out.corrQ as number[]), ...(out.corrV as number[])]) expect(Math.abs(r)).toBeLessThan(0.5);
  });

  it('gives zero drift and cosine 1 for the frozen tok_emb, and the direct numbers for a trained matrix', async () => {
    const frozen = (await run({ matrix: 'tok_emb.weight' })).outputs;
    expect(frozen.rmsDrift).toBe(0);
    expect(frozen.relativeDrift).toBe(0);
    expect(frozen.cosine).toBeCloseTo(1, 12);

    const name = 'blocks.1.mlp.2.weight';
    const out = (await run({ matrix: name })).outputs;
    const [before, after] = await Promise.all((['ct-init', 'ct-sft'] as const).map(async (m) => Array.from((await zoo.model(m)).weights.get(name)!.data)));
    const delta = after.map((x, i) => x - before[i]);
    expect(out.rmsDrift).toBeCloseTo(norm(delta) / Math.sqrt(delta.length), 10);
    expect(out.relativeDrift).toBeCloseTo(norm(delta) / norm(before), 10);
    expect(out.cosine).toBeCloseTo(sum(before.map((x, i) => x * after[i])) / (norm(before) * norm(after)), 10);
    expect(out.relativeDrift as number).toBeGreaterThanOrEqual(Math.sqrt(1 - (out.cosine as number) ** 2));

    await expect(sftVsV1Analysis.run!(ctx, { matrix: 'blocks.0.c_attn' })).rejects.toThrow(/params.matrix must name one parameter/);
  });

  it('has a null of r between independent random inits: one sample per seed, small and distinct', async () => {
    const { nulls } = await run();
    const seeds = PROFILES.ci.nullSeeds;
    for (const key of ['corrQ', 'corrV', 'meanAbsCorrQ', 'meanAbsCorrV']) expect(nulls![key], key).toHaveLength(seeds);
    const samples = nulls!.corrQ as number[][];
    for (const sample of samples) expect(sample).toHaveLength(TINY_SHAPE.nLayers);
    // r over 256 independent pairs has standard deviation 1/16; 0.4 is more than six of them
    for (const x of [...samples.flat(), ...(nulls!.corrV as number[][]).flat()]) expect(Math.abs(x)).toBeLessThan(0.4);
    expect(new Set(samples.map((s) => s[0])).size).toBe(seeds);
    expect(nulls!.driftQ).toBeUndefined();
  });
});
