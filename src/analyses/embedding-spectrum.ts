import { defineAnalysis } from './params.js';
import { nullControl } from './null-control.js';
import { embeddingSpectrum } from './declarations.js';
import {
  singularValues,
  participationRatio,
  effectiveRank,
  energyDims,
  gaussianMatrix,
  frobeniusNorm,
} from '../linalg/index.js';
import type { Matrix } from '../linalg/index.js';

const LEADING = 10;
/** two eigenvalues closer than this (relative) count as a pair */
const PAIR_GAP = 0.01;

/** Fraction of the values that have a neighbour within PAIR_GAP (values sorted descending). */
export function pairedFraction(values: number[]): number {
  let paired = 0;
  values.forEach((v, i) => {
    const close = (w: number | undefined) => w !== undefined && Math.abs(v - w) <= PAIR_GAP * Math.max(Math.abs(v), Math.abs(w));
    if (close(values[i - 1]) || close(values[i + 1])) paired++;
  });
  return paired / values.length;
}

function spectrumOf(e: Matrix) {
  const s = singularValues(e); // descending, length d
  const top = Array.from(s.slice(0, LEADING));
  const gram = top.map((x) => x * x);
  return {
    singularValues: top,
    gramEigenvalues: gram,
    decayRatio1: s[1] / s[0],
    decayRatio9: s[9] / s[0],
    gramPR: participationRatio(Array.from(s, (x) => x * x)),
    embeddingPR: participationRatio(s),
    pairedFraction: pairedFraction(gram),
    energyDims50: energyDims(s, 0.5),
    energyDims90: energyDims(s, 0.9),
    effectiveRank: effectiveRank(s),
  };
}

export const embeddingSpectrumAnalysis = defineAnalysis({
  ...embeddingSpectrum,
  async run(ctx) {
    const { embeddings } = await ctx.embeddings();
    const outputs = spectrumOf(embeddings);
    const norm = frobeniusNorm(embeddings);
    const nulls = nullControl(ctx, embeddingSpectrum.name, (draw) => {
      const g = gaussianMatrix(embeddings.rows, embeddings.cols, draw.seed('E'));
      const scale = norm / frobeniusNorm(g);
      for (let k = 0; k < g.data.length; k++) g.data[k] *= scale;
      return spectrumOf(g);
    });
    return {
      outputs,
      nulls,
      nullDescription: `an i.i.d. Gaussian ${embeddings.rows}x${embeddings.cols} matrix of the same norm, ${ctx.profile.nullSeeds} seeds`,
    };
  },
});
