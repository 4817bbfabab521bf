/**
 * GPT-2 style initialization (as in nanoGPT): every Linear weight and both embeddings drawn from
 * N(0, 0.02^2); the two projections that write into the residual stream (attn.c_proj, mlp.2) from
 * N(0, (0.02 / sqrt(2 nLayers))^2) so that the stream's variance does not grow with depth; biases
 * zero; LayerNorm weights one and biases zero.
 */
import { type GptConfig, elementCount, parameterShapes } from './config.js';
import { streamKey } from './random.js';
import { createRng } from '../linalg/random.js';
import type { ModelWeights } from './weights.js';

export const INIT_STD = 0.02;

export function initParameters(config: GptConfig, seed: number): ModelWeights {
  const residualStd = INIT_STD / Math.sqrt(2 * config.nLayers);
  const weights: ModelWeights = new Map();
  for (const { name, shape, init } of parameterShapes(config)) {
    const data = new Float32Array(elementCount(shape));
    if (init === 'ones') data.fill(1);
    if (init === 'normal' || init === 'residual-normal') {
      const std = init === 'normal' ? INIT_STD : residualStd;
      const rng = createRng(streamKey(seed, name));
      for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
    }
    weights.set(name, { shape: [...shape], data });
  }
  return weights;
}
