/**
 * The L1/L2 Gaussian decomposition (gaussian-fits.ts) applied to the crystallized embedding E
 * (V, d), with the spectrum of E itself as the basis that widths and amplitudes are compared with.
 * Null control: the same measurement on i.i.d. Gaussian matrices of E's shape and Frobenius norm,
 * each correlated with its own spectrum.
 */
import { frobeniusNorm, type Matrix } from '../linalg/matrix.js';
import { gaussianMatrix } from '../linalg/random.js';
import { singularValues } from '../linalg/svd.js';
import { embeddingGaussianFits } from './declarations.js';
import { decompositionOptions, gaussianDecompositionInWorker, type GaussianFitResult, type SpectralBasis } from './gaussian-fits.js';
import { nullControlConcurrent } from './null-control.js';
import { defineAnalysis } from './params.js';
import type { Output } from './types.js';

export const embeddingGaussianFitsAnalysis = defineAnalysis({
  ...embeddingGaussianFits,
  async run(ctx, params) {
    const { embeddings } = await ctx.embeddings(); // (V, d)
    const options = decompositionOptions(params, ctx.profile.seed);
    const tick = ctx.progress('Gaussian fits (embedding and nulls)', 1 + ctx.profile.nullSeeds);

    // The decompositions (E and each null draw) run side by side in worker threads.
    const measured = gaussianDecompositionInWorker(embeddings, { ...options, basis: spectralBasis(embeddings) }).then((r) => {
      tick();
      return r;
    });

    const norm = frobeniusNorm(embeddings);
    let nullFailures = 0;
    const nulls = nullControlConcurrent(ctx, embeddingGaussianFits.name, async (draw) => {
      const noise = gaussianMatrix(embeddings.rows, embeddings.cols, draw.seed('E')); // (V, d)
      const noiseNorm = frobeniusNorm(noise);
      if (noiseNorm > 0) for (let i = 0; i < noise.data.length; i++) noise.data[i] *= norm / noiseNorm;
      // Same fit seed: the null draws the same row indices and initial guesses; only the matrix differs.
      const nullResult = await gaussianDecompositionInWorker(noise, { ...options, basis: spectralBasis(noise) });
      nullFailures += nullResult.l1Failures + nullResult.l2Failures;
      tick();
      return outputsOf(nullResult);
    });

    const [result, nullSamples] = await Promise.all([measured, nulls]);
    return {
      outputs: outputsOf(result),
      nulls: nullSamples,
      nullDescription: `the same fits (same row indices, init "${options.init}") on ${ctx.profile.nullSeeds} i.i.d. Gaussian matrices of E's shape and Frobenius norm, each against its own spectrum`,
      notes: nullFailures > 0 ? [...result.notes, `null control: ${nullFailures} fits failed and kept their initial guess`] : result.notes,
    };
  },
});

/** Singular values of E (V, d) and eigenvalues of E^T E (their squares), descending. */
export function spectralBasis(e: Matrix): SpectralBasis {
  const values = singularValues(e);
  return { singularValues: values, eigenvalues: values.map((v) => v * v) };
}

/** The declared outputs of embedding-gaussian-fits, from a decomposition result. */
export function outputsOf(r: GaussianFitResult): Record<string, Output> {
  return {
    compression: r.compression,
    l1Params: r.l1Params,
    l1Mse: r.l1Mse,
    l1R2: r.l1R2,
    centersSorted: r.centersSorted,
    centerSlope: r.centerSlope,
    centerIntercept: r.centerIntercept,
    centerLinearR2: r.centerLinearR2,
    centerEvR: r.centerEvR,
    centerEvP: r.centerEvP,
    sigmaSpacingR: r.sigmaSpacingR,
    ampSvR: r.ampSvR,
    l2Params: r.l2Params,
    l2Compression: r.l2Compression,
    l2R2: r.l2R2,
  };
}
