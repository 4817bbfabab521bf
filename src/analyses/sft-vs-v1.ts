/**
 * sft-vs-v1: how far SFT moves the CT-init model (CT init -> CT+SFT), and whether CT+SFT and V1
 * (full training from random init) end at related attention weights (Paper 54 Invariant 5 and
 * section 5.1; Paper 56 section 5).
 *
 * Our reading. Every measure treats a weight matrix as one flattened vector of its entries.
 * Relative drift (Paper 56's "Relative Drift", Paper 54's "SFT Drift") is ||W_sft - W_init||_F /
 * ||W_init||_F, W_init the CT-init weights; RMS drift is the root mean square of the entries of
 * W_sft - W_init; cosine is the uncentered cosine <W_init, W_sft> / (||W_init|| ||W_sft||). Paper 56's
 * table is consistent with these: blocks.0.c_attn's RMS drift 0.017 at relative drift 1.017 implies
 * an init RMS of 0.017, the scale of a GPT-2 init. Paper 54's Q and V are the first and third (d, d)
 * row blocks of c_attn; "V drifts 4-7x more than Q" is driftV / driftQ per layer. corr(SFT_Q, V1_Q)
 * is the Pearson r between the entries of the two models' Q of the same layer (corrV likewise), and
 * section 5.1's "mean absolute correlation across 8 layers" is the mean of |r| over layers.
 * params.matrix names a parameter as the model's state_dict does (src/model/config.ts), e.g.
 * 'blocks.0.attn.c_attn.weight' for Paper 56's "blocks.0.c_attn".
 */
import { z } from 'zod';
import type { Output } from './types.js';
import { nullControl } from './null-control.js';
import { rememberInRun } from './run-memo.js';
import { type AnalysisDeclaration, defineAnalysis, text } from './params.js';
import { type GptConfig, layerIndices, parameterShapes } from '../model/config.js';
import { initParameters } from '../model/init.js';
import type { ModelWeights } from '../model/weights.js';
import { UserError } from '../core/errors.js';
import { cosine, mean, pearson, type Vector } from '../linalg/index.js';
import { type AttentionBlock, attentionMatrix } from '../zoo/attention.js';

export const sftVsV1 = {
  name: 'sft-vs-v1',
  description:
    'CT+SFT against CT init (drift of Q and V per layer; RMS drift, relative drift ||W_sft - W_init||_F / ||W_init||_F and cosine of params.matrix, a state_dict parameter name) and against V1 (Pearson r of the entries of Q and of V per layer)',
  outputs: {
    driftQ: 'relative SFT drift of Q per layer (array)',
    driftV: 'relative SFT drift of V per layer (array)',
    corrQ: 'r(SFT_Q, V1_Q) per layer (array)',
    corrV: 'r(SFT_V, V1_V) per layer (array)',
    meanAbsCorrQ: 'mean |r| over layers',
    meanAbsCorrV: 'mean |r| over layers',
    driftRatioVQ: 'driftV / driftQ per layer (array)',
    rmsDrift: 'RMS drift CT init -> CT+SFT for params.matrix',
    relativeDrift: 'relative drift for params.matrix',
    cosine: 'cosine CT init vs CT+SFT for params.matrix',
  },
  nullControl: 'for the correlations: the same r between two independent random inits of the architecture (about N(0, 1/d^2) per layer)',
  params: z.strictObject({
    /** a state_dict parameter name; which names exist depends on the model, so run checks it */
    matrix: text('a parameter name of the model').optional(),
  }),
} satisfies AnalysisDeclaration;

const meanAbs = (xs: number[]): number => mean(xs.map(Math.abs));

export interface Drift {
  /** root mean square of the entries of after - before */
  rms: number;
  /** ||after - before|| / ||before|| */
  relative: number;
  /** <before, after> / (||before|| ||after||) */
  cosine: number;
}

/** How far `after` moved from `before`, both flattened to vectors of the same length. */
export function drift(before: Vector, after: Vector): Drift {
  if (before.length !== after.length) throw new Error(`drift: lengths ${before.length} and ${after.length} differ`);
  let moved = 0;
  let start = 0;
  for (let i = 0; i < before.length; i++) {
    const delta = after[i] - before[i];
    moved += delta * delta;
    start += before[i] * before[i];
  }
  return { rms: Math.sqrt(moved / before.length), relative: Math.sqrt(moved / start), cosine: cosine(before, after) };
}


/** r between the same block of two models, per layer. */
function blockCorrelations(a: ModelWeights, b: ModelWeights, config: GptConfig, block: AttentionBlock): number[] {
  return layerIndices(config).map((l) => pearson(attentionMatrix(a, config, l, block).data, attentionMatrix(b, config, l, block).data));
}

function correlations(a: ModelWeights, b: ModelWeights, config: GptConfig): Record<string, Output> {
  const corrQ = blockCorrelations(a, b, config, 'q');
  const corrV = blockCorrelations(a, b, config, 'v');
  return { corrQ, corrV, meanAbsCorrQ: meanAbs(corrQ), meanAbsCorrV: meanAbs(corrV) };
}

function blockDrifts(init: ModelWeights, sft: ModelWeights, config: GptConfig, block: AttentionBlock): number[] {
  return layerIndices(config).map((l) => drift(attentionMatrix(init, config, l, block).data, attentionMatrix(sft, config, l, block).data).relative);
}

/** params.matrix, checked against the model's parameter names. */
function matrixParam(value: string | undefined, config: GptConfig): string | null {
  if (value === undefined) return null;
  if (parameterShapes(config).some((p) => p.name === value)) return value;
  throw new UserError(
    `analysis sft-vs-v1: params.matrix must name one parameter of the model (e.g. 'blocks.0.attn.c_attn.weight', 'tok_emb.weight'), got ${JSON.stringify(value)}`,
  );
}

export const sftVsV1Analysis = defineAnalysis({
  ...sftVsV1,
  async run(ctx, params) {
    const zoo = ctx.zoo();
    const [ctInit, ctSft, v1] = [await zoo.model('ct-init'), await zoo.model('ct-sft'), await zoo.model('v1')];
    const { config } = ctSft;
    const matrix = matrixParam(params.matrix, config);

    const driftQ = blockDrifts(ctInit.weights, ctSft.weights, config, 'q');
    const driftV = blockDrifts(ctInit.weights, ctSft.weights, config, 'v');
    const outputs: Record<string, Output> = {
      driftQ,
      driftV,
      driftRatioVQ: driftV.map((v, l) => v / driftQ[l]),
      ...correlations(ctSft.weights, v1.weights, config),
    };
    if (matrix !== null) {
      const d = drift(Float64Array.from(ctInit.weights.get(matrix)!.data), Float64Array.from(ctSft.weights.get(matrix)!.data));
      outputs.rmsDrift = d.rms;
      outputs.relativeDrift = d.relative;
      outputs.cosine = d.cosine;
    }

    // two independent random inits per sample, in the roles of CT+SFT and V1; they do not depend
    // on params.matrix, so the spec's invocations share one set per run (10 inits of the model)
    const nulls = rememberInRun(ctx, `${sftVsV1.name} nulls ${JSON.stringify(config)}`, () =>
      nullControl(
        ctx,
        sftVsV1.name,
        (draw) => correlations(initParameters(config, draw.seed('init in place of CT+SFT')), initParameters(config, draw.seed('init in place of V1')), config),
        'sft-vs-v1, null control',
      ),
    );

    // CT+SFT and V1 start from independent draws (the zoo's CT init has a seed of its own), so r
    // compares the two solutions, not a shared start
    const notes = [
      'Relative drift = ||W_sft - W_init||_F / ||W_init||_F from the CT-init model to CT+SFT; RMS drift = RMS of the entries of W_sft - W_init; cosine over the flattened entries; corr = Pearson r over the entries of the same (d, d) block of c_attn in CT+SFT and V1.',
    ];
    return {
      outputs,
      nulls,
      nullDescription: `for corrQ, corrV and their mean |r|: the same r between two independent random inits of the architecture (GPT-2 init), ${ctx.profile.nullSeeds} pairs of seeds`,
      notes,
    };
  },
});
