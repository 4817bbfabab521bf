import type { AnalysisDef, Output } from './types.js';
import { k2Spectrum } from './declarations.js';
import { activeBlock } from '../corpus/index.js';
import { topKSvd, effectiveRank, gaussianMatrix, frobeniusNorm } from '../linalg/index.js';
import type { Matrix } from '../linalg/index.js';

const K = 32;

function leadingSpectrum(m: Matrix, seed: number) {
  const { S } = topKSvd(m, K, { seed });
  const total = frobeniusNorm(m) ** 2; // = sum of all sigma^2
  const energy = (k: number) => Array.from(S.slice(0, k)).reduce((a, s) => a + s * s, 0) / total;
  return { singularValues: Array.from(S), top8Energy: energy(8), top32Energy: energy(32), effectiveRank: effectiveRank(S) };
}

export const k2SpectrumAnalysis: AnalysisDef = {
  ...k2Spectrum,
  async run(ctx) {
    const stats = await ctx.statistics();
    const k2 = activeBlock(stats.k2, stats.active); // (active, active)
    const outputs = leadingSpectrum(k2, ctx.profile.seed);
    const norm = frobeniusNorm(k2);
    const nulls: Record<string, Output[]> = {};
    const tick = ctx.progress('K_2 spectrum, null control', ctx.profile.nullSeeds);
    for (let s = 0; s < ctx.profile.nullSeeds; s++) {
      const g = gaussianMatrix(k2.rows, k2.cols, ctx.profile.seed + 4000 + s);
      const scale = norm / frobeniusNorm(g);
      for (let i = 0; i < g.data.length; i++) g.data[i] *= scale;
      for (const [key, v] of Object.entries(leadingSpectrum(g, ctx.profile.seed + s))) (nulls[key] ??= []).push(v);
      tick();
    }
    return {
      outputs,
      nulls,
      nullDescription: `an i.i.d. Gaussian ${k2.rows}x${k2.cols} matrix of the same norm, ${ctx.profile.nullSeeds} seeds`,
    };
  },
};
