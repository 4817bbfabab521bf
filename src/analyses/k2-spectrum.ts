import { defineAnalysis } from './params.js';
import { nullControl } from './null-control.js';
import { k2Spectrum } from './declarations.js';
import { activeBlock } from '../corpus/index.js';
import { topKSvd, effectiveRank, gaussianMatrix, frobeniusNorm } from '../linalg/index.js';
import type { Matrix } from '../linalg/index.js';

const K = 32;

/** The K leading singular values of m (to topKSvd's default tolerance) and what is read off them. */
export function leadingSpectrum(m: Matrix, seed: number) {
  const { S } = topKSvd(m, K, { seed });
  const total = frobeniusNorm(m) ** 2; // = sum of all sigma^2
  const energy = (k: number) => Array.from(S.slice(0, k)).reduce((a, s) => a + s * s, 0) / total;
  return { singularValues: Array.from(S), top8Energy: energy(8), top32Energy: energy(32), effectiveRank: effectiveRank(S) };
}

export const k2SpectrumAnalysis = defineAnalysis({
  ...k2Spectrum,
  async run(ctx) {
    const stats = await ctx.statistics();
    const k2 = activeBlock(stats.k2, stats.active); // (active, active)
    const outputs = leadingSpectrum(k2, ctx.profile.seed);
    const norm = frobeniusNorm(k2);
    const nulls = nullControl(
      ctx,
      k2Spectrum.name,
      (draw) => {
        const g = gaussianMatrix(k2.rows, k2.cols, draw.seed('K_2'));
        const scale = norm / frobeniusNorm(g);
        for (let i = 0; i < g.data.length; i++) g.data[i] *= scale;
        // the Lanczos solver's own start block, drawn apart from the matrix's entries
        return leadingSpectrum(g, draw.seed('svd'));
      },
      'K_2 spectrum, null control',
    );
    return {
      outputs,
      nulls,
      nullDescription: `an i.i.d. Gaussian ${k2.rows}x${k2.cols} matrix of the same norm, ${ctx.profile.nullSeeds} seeds`,
    };
  },
});
