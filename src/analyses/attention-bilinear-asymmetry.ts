/**
 * attention-bilinear-asymmetry: how antisymmetric the attention bilinear form M = W_Q^T W_K of each
 * layer is (src/zoo/attention.ts), and how the spectrum of its antisymmetric part compares with the
 * projected corpus asymmetry A_proj = E^T A E (E the crystallized embeddings).
 */
import { z } from 'zod';
import type { Output } from './types.js';
import { nullControlConcurrent } from './null-control.js';
import { runInWorker } from '../core/worker-pool.js';
import { type AnalysisDeclaration, defineAnalysis } from './params.js';
import type { GptConfig } from '../model/config.js';
import { cosine, eigenvalues, frobeniusNorm, gaussianMatrix, matmulFast, type Matrix, mean, participationRatio, realEigenvalueMass, singularValues, transpose } from '../linalg/index.js';
import { antisymmetricPart, attentionMatrix } from '../zoo/attention.js';
import { zooModel } from './model-params.js';

export const attentionBilinearAsymmetry = {
  name: 'attention-bilinear-asymmetry',
  description:
    'M = W_Q^T W_K per layer of params.model (default v1), over all heads together: ||M - M^T||/||M||, ||M_A||/||M||, real eigenvalue mass, PR of M_A, spectral cosine between the sorted singular values of M_A and of the projected corpus asymmetry A_proj = E^T A E',
  outputs: {
    skewRatio: '||M - M^T||_F / ||M||_F per layer (array)',
    antisymmetricShare: '||M_A||_F / ||M||_F per layer (array)',
    meanAntisymmetricShare: 'mean over layers',
    realEigenvalueMass: 'sum |Re lambda| / sum |lambda| per layer (array)',
    antisymmetricPR: 'participation ratio of M_A per layer (array)',
    meanAntisymmetricPR: 'mean over layers',
    spectralCosine: 'cosine between singular-value vectors of A_proj and M_A per layer (array)',
  },
  nullControl: 'i.i.d. Gaussian W_Q, W_K of the same shape and norm (||W-W^T||/||W|| = sqrt 2 there)',
  params: z.strictObject({ model: zooModel.default('v1') }),
} satisfies AnalysisDeclaration;


/** The outputs for one (W_Q, W_K) pair per layer. */
function measure(pairs: { wq: Matrix; wk: Matrix }[], corpusSpectrum: Float64Array): Record<string, Output> {
  const skewRatio: number[] = [];
  const antisymmetricShare: number[] = [];
  const realMass: number[] = [];
  const antisymmetricPR: number[] = [];
  const spectralCosine: number[] = [];
  for (const { wq, wk } of pairs) {
    const m = matmulFast(transpose(wq), wk); // (d, d)
    const a = antisymmetricPart(m);
    const norm = frobeniusNorm(m);
    skewRatio.push((2 * frobeniusNorm(a)) / norm); // M - M^T = 2 M_A
    antisymmetricShare.push(frobeniusNorm(a) / norm);
    const { re, im } = eigenvalues(m);
    realMass.push(realEigenvalueMass(re, im));
    const s = singularValues(a);
    antisymmetricPR.push(participationRatio(s));
    spectralCosine.push(cosine(s, corpusSpectrum));
  }
  return {
    skewRatio,
    antisymmetricShare,
    meanAntisymmetricShare: mean(antisymmetricShare),
    realEigenvalueMass: realMass,
    antisymmetricPR,
    meanAntisymmetricPR: mean(antisymmetricPR),
    spectralCosine,
  };
}

/**
 * measure() on i.i.d. Gaussian (d, d) W_Q, W_K per layer, scaled to the given Frobenius norms and
 * drawn from the given seeds (one null sample; exported so that a worker thread can run it).
 */
export function measureGaussianNull(
  d: number,
  norms: { wq: number; wk: number }[],
  seeds: { wq: number; wk: number }[],
  corpusSpectrum: Float64Array,
): Record<string, Output> {
  const scaled = (norm: number, g: Matrix): Matrix => {
    const factor = norm / frobeniusNorm(g);
    return { rows: d, cols: d, data: g.data.map((x) => x * factor) };
  };
  const gaussianPairs = norms.map((norm, l) => ({
    wq: scaled(norm.wq, gaussianMatrix(d, d, seeds[l].wq)),
    wk: scaled(norm.wk, gaussianMatrix(d, d, seeds[l].wk)),
  }));
  return measure(gaussianPairs, corpusSpectrum);
}

function layerPairs(weights: Parameters<typeof attentionMatrix>[0], config: GptConfig): { wq: Matrix; wk: Matrix }[] {
  return Array.from({ length: config.nLayers }, (_, l) => ({
    wq: attentionMatrix(weights, config, l, 'q'),
    wk: attentionMatrix(weights, config, l, 'k'),
  }));
}

export const attentionBilinearAsymmetryAnalysis = defineAnalysis({
  ...attentionBilinearAsymmetry,
  async run(ctx, params) {
    const zoo = ctx.zoo();
    const model = await zoo.model(params.model);
    const corpusSpectrum = singularValues(await zoo.projectedAsymmetry());
    const pairs = layerPairs(model.weights, model.config);
    const outputs = measure(pairs, corpusSpectrum);

    // The null draws run side by side in worker threads (eigenvalues() is single-threaded).
    const norms = pairs.map(({ wq, wk }) => ({ wq: frobeniusNorm(wq), wk: frobeniusNorm(wk) }));
    const tick = ctx.progress('bilinear asymmetry, null control', ctx.profile.nullSeeds);
    const nulls = await nullControlConcurrent(ctx, attentionBilinearAsymmetry.name, async (draw) => {
      const seeds = norms.map((_, l) => ({ wq: draw.seed(`W_Q layer ${l}`), wk: draw.seed(`W_K layer ${l}`) }));
      const sample = await runInWorker<Record<string, Output>>(import.meta.url, 'measureGaussianNull', [model.config.dModel, norms, seeds, corpusSpectrum]);
      tick();
      return sample;
    });
    return {
      outputs,
      nulls,
      nullDescription: `i.i.d. Gaussian W_Q and W_K with the norms of each layer's, ${ctx.profile.nullSeeds} seeds`,
    };
  },
});
