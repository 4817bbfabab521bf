/**
 * model-gaussian-fits: Paper 56's L1/L2 Gaussian decomposition (gaussian-fits.ts) of weight
 * matrices of a zoo model, each set against the spectral basis of the model's embedding E, and the
 * energy of each matrix in the eigenbasis of E^T E (Paper 56 §1.3, §2-§4).
 *
 * Our reading.
 * - Matrices: params.matrix names state_dict parameters (src/model/config.ts), e.g.
 *   'blocks.0.attn.c_attn.weight' for the paper's "blocks.0.c_attn", in PyTorch (out, in) layout
 *   as the paper's shapes print them (c_attn 768x256, mlp.2 256x1024). c_attn is fitted whole:
 *   its 32 sampled rows come from all 3d rows, Q, K and V alike (the paper's 196,608 original
 *   parameters are all of c_attn). 'blocks.N.attn.q' (or .k, .v) names one (d, d) row block of
 *   c_attn instead (attention.ts); its rows are d-long like c_attn's.
 * - Rows: L1 fits the matrix's rows as stored, so mlp.2's rows are 1024 long (the paper's 85.3x).
 * - "The spectral basis": §1.3 computes the SVD of the embedding matrix E and tests L1 parameters
 *   of every matrix against it, so widths are correlated with the eigenvalue spacing of E^T E and
 *   |amplitudes| with the singular values of E, E being the model's tok_emb (for ct-init and
 *   ct-sft the crystallized embedding, rescaled, which changes no correlation). For tok_emb this is
 *   its own spectrum, the basis embedding-gaussian-fits uses.
 * - Energy (§4.4, "weight matrices projected onto the eigenvectors of E^T E"): the energy of W
 *   along eigenvector v_i is ||W v_i||^2 when W's rows are d long (the input side of a Linear),
 *   else ||W^T v_i||^2 when its columns are (mlp.2, whose output is the residual stream). A square
 *   matrix takes its rows, c_proj included (whose residual side is its columns): the same rows the
 *   fits use. Components are ordered by eigenvalue, descending; energyDims50/90 is the smallest n
 *   whose leading n components hold that share of ||W||_F^2 (the eigenbasis is complete, so the
 *   shares add up to 1). energyEigenvalueR is Pearson r over all d components. For E itself the
 *   energy along v_i is lambda_i, so r = 1 identically and energyDims are those of E's spectrum.
 * - Null: each matrix replaced by an i.i.d. Gaussian matrix of its shape and Frobenius norm, fitted
 *   with the same options and fit seed (same row indices and initial guesses), against the same
 *   basis of E. For tok_emb this differs from embedding-gaussian-fits, whose null is compared with
 *   its own spectrum: here the basis is fixed and only the matrix is replaced, which is what makes
 *   energyEigenvalueR's null ~0 rather than 1 by construction.
 */
import { type Matrix, frobeniusNorm, zeros } from '../linalg/matrix.js';
import { matmulFast, matmulTransA, matmulTransASymmetric } from '../linalg/kernels.js';
import { gaussianMatrix } from '../linalg/random.js';
import { pearson } from '../linalg/spectral.js';
import { symmetricEig } from '../linalg/symmetric-eig.js';
import type { GptConfig } from '../model/config.js';
import type { ModelWeights } from '../model/weights.js';
import { UserError } from '../core/errors.js';
import { type AttentionBlock, attentionMatrix } from '../zoo/attention.js';
import { z } from 'zod';
import {
  decompositionOptions,
  gaussianDecompositionInWorker,
  gaussianFitParams,
  type GaussianDecompositionOptions,
  type SpectralBasis,
} from './gaussian-fits.js';
import { zooModel } from './model-params.js';
import { nullControlConcurrent } from './null-control.js';
import { type AnalysisDeclaration, defineAnalysis } from './params.js';
import { rememberInRun } from './run-memo.js';
import type { Output } from './types.js';

const NAME = 'model-gaussian-fits';

export const modelGaussianFits = {
  name: NAME,
  description:
    "Paper 56 L1/L2 Gaussian fits on a weight matrix of a zoo model (params.matrix, a state_dict parameter name or 'blocks.N.attn.q|k|v'; params.model, default ct-init; params.init, rows, gaussians, l2Gaussians as in embedding-gaussian-fits), against the spectral basis of the model's embedding E, and the matrix's energy in the eigenbasis of E^T E; params.matrix may name several matrices separated by commas, and then every output is a list with one element per named matrix, in that order",
  outputs: {
    l1Mse: 'mean squared error of the L1 fit',
    l1R2: 'R^2 of the L1 fit',
    centerEvR: 'Pearson r of sorted centers with evenly spaced eigen-positions',
    centerEvP: 'its p-value',
    sigmaSpacingR: 'Pearson r between fitted widths and eigenvalue spacing of E^T E',
    ampSvR: 'Pearson r between |amplitudes| and singular values of E',
    l2R2: 'R^2 of the full L2 reconstruction',
    l2Mse: 'mean squared error of the full L2 reconstruction of the sampled rows',
    energyDims50: 'components of the E^T E eigenbasis (sorted by eigenvalue) holding 50% of the energy of the matrix',
    energyDims90: 'components of the E^T E eigenbasis holding 90% of the energy',
    energyEigenvalueR: 'Pearson r between the energy of the matrix along each eigenvector of E^T E and its eigenvalue',
  },
  nullControl: 'an i.i.d. Gaussian matrix of the same shape and norm',
  params: gaussianFitParams.extend({
    /** one or more matrix names, separated by commas; which names exist depends on the model, so run checks them */
    matrix: z
      .string({ error: 'one or more weight matrix names separated by commas' })
      .refine((names) => names.split(',').every((n) => n.trim() !== ''), { error: 'one or more weight matrix names separated by commas' }),
    model: zooModel.default('ct-init'),
  }),
} satisfies AnalysisDeclaration;

/** Eigen-decomposition of E^T E (d, d), eigenvalues descending, and the basis the fits compare with. */
export interface EmbeddingEigenbasis {
  /** (d, d), column i the eigenvector of eigenvalues[i] */
  vectors: Matrix;
  eigenvalues: Float64Array;
  spectral: SpectralBasis;
}

export function embeddingEigenbasis(e: Matrix): EmbeddingEigenbasis {
  // The Gram route gives all d eigenvectors, even for fewer than d rows; rounding can leave the
  // smallest eigenvalues slightly negative, which are zero.
  const { values, vectors } = symmetricEig(matmulTransASymmetric(e, e));
  const eigenvalues = values.map((v) => Math.max(0, v));
  return { vectors, eigenvalues, spectral: { eigenvalues, singularValues: eigenvalues.map(Math.sqrt) } };
}

/** Energy of W along each column v_i of `vectors` (d, d): ||W v_i||^2 for d-long rows, else ||W^T v_i||^2. */
export function eigenbasisEnergy(w: Matrix, vectors: Matrix): Float64Array {
  const d = vectors.rows;
  let projected: Matrix;
  if (w.cols === d) projected = matmulFast(w, vectors); // (rows, d)
  else if (w.rows === d) projected = matmulTransA(w, vectors); // (cols, d)
  else throw new UserError(`analysis ${NAME}: a ${w.rows}x${w.cols} matrix has no side of length d = ${d} to project onto the eigenvectors of E^T E`);
  const energy = new Float64Array(d);
  for (let r = 0; r < projected.rows; r++) {
    for (let i = 0; i < d; i++) energy[i] += projected.data[r * d + i] ** 2;
  }
  return energy;
}

/** Smallest n whose first n energies (in the given order) reach `fraction` of the total. */
export function leadingDims(energy: Float64Array, fraction: number): number {
  let total = 0;
  for (const e of energy) total += e;
  if (total === 0) return 0;
  let running = 0;
  for (let i = 0; i < energy.length; i++) {
    running += energy[i];
    // relative slack so that rounding in the running sum cannot push a reached share past n
    if (running >= fraction * total * (1 - 1e-12)) return i + 1;
  }
  return energy.length;
}

const BLOCK_NAME = /^blocks\.(\d+)\.attn\.([qkv])$/;

/** The named matrix of `weights` as Float64 (rows, cols), PyTorch layout. */
export function weightMatrix(weights: ModelWeights, config: GptConfig, name: string): Matrix {
  const block = BLOCK_NAME.exec(name);
  if (block) {
    const layer = Number(block[1]);
    if (layer >= config.nLayers) throw new UserError(`analysis ${NAME}: '${name}': the model has ${config.nLayers} layers`);
    return attentionMatrix(weights, config, layer, block[2] as AttentionBlock);
  }
  const tensor = weights.get(name);
  if (tensor === undefined || tensor.shape.length !== 2) {
    throw new UserError(
      `analysis ${NAME}: params.matrix must name 2-D weights of the model (e.g. 'blocks.0.attn.c_attn.weight', 'blocks.0.mlp.2.weight', 'tok_emb.weight', 'blocks.0.attn.q'), got '${name}'`,
    );
  }
  const m = zeros(tensor.shape[0], tensor.shape[1]);
  m.data.set(tensor.data);
  return m;
}

/** The declared outputs for one matrix, with the failed-fit count and notes (the fits run in a worker thread). */
async function measure(
  w: Matrix,
  basis: EmbeddingEigenbasis,
  options: GaussianDecompositionOptions,
): Promise<{ outputs: Record<string, number>; failures: number; notes: string[] }> {
  const fits = gaussianDecompositionInWorker(w, { ...options, basis: basis.spectral });
  const energy = eigenbasisEnergy(w, basis.vectors);
  const r = await fits;
  return {
    outputs: {
      l1Mse: r.l1Mse,
      l1R2: r.l1R2,
      centerEvR: r.centerEvR,
      centerEvP: r.centerEvP,
      sigmaSpacingR: r.sigmaSpacingR,
      ampSvR: r.ampSvR,
      l2R2: r.l2R2,
      l2Mse: r.l2Mse,
      energyDims50: leadingDims(energy, 0.5),
      energyDims90: leadingDims(energy, 0.9),
      energyEigenvalueR: pearson(energy, basis.eigenvalues),
    },
    failures: r.l1Failures + r.l2Failures,
    notes: r.notes,
  };
}

/** One matrix: the scalar; several: the list in params.matrix order. */
function collect(perMatrix: Record<string, number>[]): Record<string, Output> {
  const keys = Object.keys(modelGaussianFits.outputs);
  return Object.fromEntries(keys.map((k) => [k, perMatrix.length === 1 ? perMatrix[0][k] : perMatrix.map((o) => o[k])]));
}

export const modelGaussianFitsAnalysis = defineAnalysis({
  ...modelGaussianFits,
  async run(ctx, params) {
    const names = params.matrix.split(',').map((n) => n.trim());
    const modelName = params.model;
    const options = decompositionOptions(params, ctx.profile.seed);
    const model = await ctx.zoo().model(modelName);
    const matrices = names.map((n) => weightMatrix(model.weights, model.config, n));
    const basis = rememberInRun(ctx, `${NAME} basis ${modelName}`, () =>
      embeddingEigenbasis(weightMatrix(model.weights, model.config, 'tok_emb.weight')),
    );
    const tick = ctx.progress(`Gaussian fits on ${modelName} (matrices and nulls)`, names.length * (1 + ctx.profile.nullSeeds));
    // the specs fit one matrix alone and again in lists: each fit runs once per run
    const fit = (name: string, nullDraw: number | null, w: () => Matrix) =>
      rememberInRun(ctx, `${NAME} ${modelName} ${name} ${nullDraw ?? 'weights'} ${JSON.stringify(options)}`, () => measure(w(), basis, options));

    // Every fit (each matrix, each null draw) is started at once; the worker pool runs them side
    // by side and the results are collected in order.
    const measured = Promise.all(
      matrices.map((w, i) =>
        fit(names[i], null, () => w).then((m) => {
          tick();
          return m;
        }),
      ),
    );
    let nullFailures = 0;
    const nulls = nullControlConcurrent(ctx, NAME, async (draw) => {
      const sample = await Promise.all(
        matrices.map((w, i) =>
          fit(names[i], draw.index, () => {
            // Keyed by the matrix's name: its null is the same alone or in a list, and independent
            // of the other matrices' (equal shapes would otherwise share one noise matrix).
            const noise = gaussianMatrix(w.rows, w.cols, draw.seed(`noise ${names[i]}`));
            const scale = frobeniusNorm(w) / frobeniusNorm(noise);
            for (let j = 0; j < noise.data.length; j++) noise.data[j] *= scale;
            return noise;
          }).then((m) => {
            nullFailures += m.failures;
            tick();
            return m.outputs;
          }),
        ),
      );
      return collect(sample);
    });
    const [weights, nullSamples] = await Promise.all([measured, nulls]);
    const notes = weights.flatMap((m, i) => m.notes.map((note) => `${names[i]}: ${note}`));
    if (nullFailures > 0) notes.push(`null control: ${nullFailures} fits failed and kept their initial guess`);

    return {
      outputs: collect(weights.map((m) => m.outputs)),
      nulls: nullSamples,
      nullDescription: `each matrix replaced by an i.i.d. Gaussian matrix of its shape and Frobenius norm (${ctx.profile.nullSeeds} seeds), fitted with the same rows and init "${options.init}" against the same basis of ${modelName}'s embedding`,
      notes,
    };
  },
});
