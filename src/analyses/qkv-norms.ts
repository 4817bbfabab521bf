/**
 * qkv-norms: Frobenius norms of W_Q, W_K, W_V (the three (d, d) row blocks of c_attn) per layer of
 * a zoo model (params.model, default the fully trained V1), and ||V|| / ||Q||.
 */
import { z } from 'zod';
import { nullControl } from './null-control.js';
import { type AnalysisDeclaration, defineAnalysis } from './params.js';
import { type GptConfig, layerIndices } from '../model/config.js';
import { initParameters } from '../model/init.js';
import type { ModelWeights } from '../model/weights.js';
import { frobeniusNorm } from '../linalg/index.js';
import { attentionMatrix } from '../zoo/attention.js';
import { zooModel } from './model-params.js';

export const qkvNorms = {
  name: 'qkv-norms',
  description: 'Frobenius norms of Q, K, V (the (d, d) row blocks of c_attn) per layer and the ratio ||V||/||Q||, of params.model (default v1)',
  outputs: {
    normQ: 'per layer (array)',
    normK: 'per layer (array)',
    normV: 'per layer (array)',
    ratioVQ: 'per layer (array)',
  },
  nullControl: 'random init of the same architecture (one init per null seed)',
  params: z.strictObject({ model: zooModel.default('v1') }),
} satisfies AnalysisDeclaration;

function norms(weights: ModelWeights, config: GptConfig): Record<string, number[]> {
  const layers = layerIndices(config);
  const norm = (layer: number, block: 'q' | 'k' | 'v'): number => frobeniusNorm(attentionMatrix(weights, config, layer, block));
  const normQ = layers.map((l) => norm(l, 'q'));
  const normK = layers.map((l) => norm(l, 'k'));
  const normV = layers.map((l) => norm(l, 'v'));
  return { normQ, normK, normV, ratioVQ: normV.map((v, l) => v / normQ[l]) };
}

export const qkvNormsAnalysis = defineAnalysis({
  ...qkvNorms,
  async run(ctx, params) {
    const model = await ctx.zoo().model(params.model);
    const outputs = norms(model.weights, model.config);
    const nulls = nullControl(ctx, qkvNorms.name, (draw) => norms(initParameters(model.config, draw.seed('init')), model.config));
    return {
      outputs,
      nulls,
      nullDescription: `the same architecture at random init (GPT-2 init, std 0.02), ${ctx.profile.nullSeeds} seeds`,
    };
  },
});
