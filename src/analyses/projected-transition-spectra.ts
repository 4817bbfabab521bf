import { defineAnalysis } from './params.js';
import { nullControl } from './null-control.js';
import { projectedTransitionSpectra } from './declarations.js';
import { projectedPowers } from '../corpus/index.js';
import { singularValues, participationRatio, gaussianMatrix, frobeniusNorm, zeros } from '../linalg/index.js';
import type { Matrix } from '../linalg/index.js';
import type { SparseMatrix } from '../corpus/types.js';

/** (P + sign P^T) / 2 */
function part(p: Matrix, sign: 1 | -1): Matrix {
  const n = p.rows;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out.data[i * n + j] = (p.data[i * n + j] + sign * p.data[j * n + i]) / 2;
  }
  return out;
}

function spectra(t: SparseMatrix, e: Matrix, maxPower: number) {
  const powers = projectedPowers(t, e, maxPower); // E^T T^n E, each (d, d)
  const antisymmetricPR = powers.map((p) => participationRatio(singularValues(part(p, -1))));
  const symmetricPR = powers.map((p) => participationRatio(singularValues(part(p, 1))));
  const projectedAsymmetryRatio = frobeniusNorm(part(powers[0], -1)) / frobeniusNorm(powers[0]);
  return { antisymmetricPR, symmetricPR, projectedAsymmetryRatio, depthFromPR: Math.ceil(symmetricPR[0] / 3) };
}

export const projectedTransitionSpectraAnalysis = defineAnalysis({
  ...projectedTransitionSpectra,
  async run(ctx, params) {
    const stats = await ctx.statistics();
    const { embeddings } = await ctx.embeddings();
    const maxPower = params.maxPower ?? ctx.profile.maxTransitionPower;
    const outputs = spectra(stats.transition, embeddings, maxPower);
    const norm = frobeniusNorm(embeddings);
    const nulls = nullControl(
      ctx,
      projectedTransitionSpectra.name,
      (draw) => {
        const g = gaussianMatrix(embeddings.rows, embeddings.cols, draw.seed('E'));
        const scale = norm / frobeniusNorm(g);
        for (let k = 0; k < g.data.length; k++) g.data[k] *= scale;
        return spectra(stats.transition, g, maxPower);
      },
      'projected spectra, null control',
    );
    return {
      outputs,
      nulls,
      nullDescription: `E replaced by an i.i.d. Gaussian matrix of the same shape and norm, ${ctx.profile.nullSeeds} seeds`,
    };
  },
});
