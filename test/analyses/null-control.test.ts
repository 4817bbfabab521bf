/**
 * The null-control helper: one sample per null seed, collected per output, and seeds from keyed
 * streams that are deterministic and distinct across analyses, purposes and draws.
 */
import { describe, expect, it } from 'vitest';
import { ANALYSES } from '../../src/analyses/catalog.js';
import { drawSeed, nullControl } from '../../src/analyses/null-control.js';
import { qkvNormsAnalysis } from '../../src/analyses/qkv-norms.js';
import type { AnalysisContext, AnalysisResult } from '../../src/analyses/types.js';
import { frobeniusNorm } from '../../src/linalg/index.js';
import type { GptConfig } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { PROFILES } from '../../src/pipeline/profiles.js';
import { attentionMatrix } from '../../src/zoo/attention.js';
import { TINY_SHAPE, tinyAnalysisContext } from '../zoo/fixture.js';

const config: GptConfig = { ...TINY_SHAPE, vocabSize: 12 };

/** A context with `nullSeeds` and `seed`, recording the progress lines it is asked for. */
function contextWith(nullSeeds: number, seed = 1234) {
  const progress: { label: string; total: number; ticks: number }[] = [];
  const ctx = {
    profile: { ...PROFILES.ci, nullSeeds, seed },
    progress: (label: string, total: number) => {
      const line = { label, total, ticks: 0 };
      progress.push(line);
      return () => void line.ticks++;
    },
  } as unknown as AnalysisContext;
  return { ctx, progress };
}

describe('nullControl', () => {
  it('measures once per null seed and collects each output in draw order', () => {
    const { ctx, progress } = contextWith(4);
    const nulls = nullControl(ctx, 'some-analysis', (draw) => ({ index: draw.index, pair: [draw.index, 10 + draw.index] }), 'null control');
    expect(nulls).toEqual({ index: [0, 1, 2, 3], pair: [[0, 10], [1, 11], [2, 12], [3, 13]] });
    expect(progress).toEqual([{ label: 'null control', total: 4, ticks: 4 }]);
    // no label, no progress line
    const quiet = contextWith(2);
    expect(nullControl(quiet.ctx, 'some-analysis', (draw) => ({ x: draw.index })).x).toHaveLength(2);
    expect(quiet.progress).toEqual([]);
  });

  it("hands each draw its keyed seeds: the same on every call, another master seed's differ", () => {
    const seeds = (ctx: AnalysisContext) => nullControl(ctx, 'a', (draw) => ({ e: draw.seed('E'), init: draw.seed('init') }));
    const first = seeds(contextWith(3).ctx);
    expect(seeds(contextWith(3).ctx)).toEqual(first);
    expect(first.e).toEqual([0, 1, 2].map((s) => drawSeed(1234, 'a', 'E', s)));
    expect(first.init).toEqual([0, 1, 2].map((s) => drawSeed(1234, 'a', 'init', s)));
    const other = seeds(contextWith(3, 1235).ctx);
    for (let s = 0; s < 3; s++) expect(other.e[s]).not.toBe(first.e[s]);
  });
});

describe('drawSeed', () => {
  it('is distinct across every analysis, purpose and draw index', () => {
    // the hand-picked offsets this replaces gave qk-low-rank and sft-vs-v1 one seed (6000), and
    // qkv-norms and embedding-spectrum another (3000)
    const purposes = ['init', 'E', 'noise tok_emb.weight', 'W_Q layer 0', 'W_K layer 0', 'W_Q layer 1'];
    const seen = new Map<number, string>();
    for (const analysis of ANALYSES.keys()) {
      for (const purpose of purposes) {
        for (let index = 0; index < 20; index++) {
          const seed = drawSeed(1234, analysis, purpose, index);
          const key = `${analysis}/${purpose}/${index}`;
          expect(seen.get(seed), key).toBeUndefined();
          seen.set(seed, key);
        }
      }
    }
    expect(seen.size).toBe(ANALYSES.size * purposes.length * 20);
  });
});

describe('an analysis on the helper', () => {
  it("qkv-norms: null sample s is the norms of the random init seeded by qkv-norms's stream, draw s", async () => {
    const trained = initParameters(config, 99);
    const ctx = tinyAnalysisContext({
      model: async (name) => ({ name, config, weights: trained, trainingLosses: [], trainedOn: null, batches: null, importedFrom: null }),
    });
    const result = (await qkvNormsAnalysis.run!(ctx, {})) as AnalysisResult;
    const { nullSeeds, seed } = ctx.profile;
    expect(result.nulls!.normQ).toHaveLength(nullSeeds);
    for (let s = 0; s < nullSeeds; s++) {
      const random = initParameters(config, drawSeed(seed, 'qkv-norms', 'init', s));
      const normQ = [0, 1].map((l) => frobeniusNorm(attentionMatrix(random, config, l, 'q')));
      expect(result.nulls!.normQ[s]).toEqual(normQ);
    }
  });
});
