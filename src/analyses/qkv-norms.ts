/**
 * qkv-norms: Frobenius norms of W_Q, W_K, W_V (the three (d, d) row blocks of c_attn) per layer of
 * a zoo model (params.model, default the fully trained V1), and ||V|| / ||Q||.
 */
import type { AnalysisDef, Output } from './types.js';
import { type GptConfig, layerIndices } from '../model/config.js';
import { initParameters } from '../model/init.js';
import type { ModelWeights } from '../model/weights.js';
import { frobeniusNorm } from '../linalg/index.js';
import { attentionMatrix } from '../zoo/attention.js';
import { zooModelParam } from './model-params.js';

export const qkvNorms: Omit<AnalysisDef, 'run'> = {
  name: 'qkv-norms',
  description: 'Frobenius norms of Q, K, V (the (d, d) row blocks of c_attn) per layer and the ratio ||V||/||Q||, of params.model (default v1)',
  outputs: {
    normQ: 'per layer (array)',
    normK: 'per layer (array)',
    normV: 'per layer (array)',
    ratioVQ: 'per layer (array)',
  },
  nullControl: 'random init of the same architecture (one init per null seed)',
};

function norms(weights: ModelWeights, config: GptConfig): Record<string, number[]> {
  const layers = layerIndices(config);
  const norm = (layer: number, block: 'q' | 'k' | 'v'): number => frobeniusNorm(attentionMatrix(weights, config, layer, block));
  const normQ = layers.map((l) => norm(l, 'q'));
  const normK = layers.map((l) => norm(l, 'k'));
  const normV = layers.map((l) => norm(l, 'v'));
  return { normQ, normK, normV, ratioVQ: normV.map((v, l) => v / normQ[l]) };
}

export const qkvNormsAnalysis: AnalysisDef = {
  ...qkvNorms,
  async run(ctx, params) {
    const name = zooModelParam('qkv-norms', params.model, 'v1')!;
    const zoo = ctx.zoo();
    const model = await zoo.model(name);
    const outputs = norms(model.weights, model.config);
    const nulls: Record<string, Output[]> = { normQ: [], normK: [], normV: [], ratioVQ: [] };
    for (let s = 0; s < ctx.profile.nullSeeds; s++) {
      const random = norms(initParameters(model.config, ctx.profile.seed + 3000 + s), model.config);
      for (const key of Object.keys(nulls)) nulls[key].push(random[key]);
    }
    return {
      outputs,
      nulls,
      nullDescription: `the same architecture at random init (GPT-2 init, std 0.02), ${ctx.profile.nullSeeds} seeds`,
    };
  },
};
