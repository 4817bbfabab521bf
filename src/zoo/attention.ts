/**
 * The attention weights of a GPT as Float64 matrices, and the bilinear form the papers study.
 *
 * c_attn.weight is (3d, d) in PyTorch (out, in) layout with rows [W_Q; W_K; W_V], so W_Q, W_K and
 * W_V are its three (d, d) row blocks and q = W_Q x, k = W_K x for a (d) input x. The attention
 * score of heads summed, q . k = x^T W_Q^T W_K x', is the bilinear form M = W_Q^T W_K (d, d) in
 * input space, taken over all heads together (Papers 54 and 57 do not split it by head).
 */
import type { GptConfig } from '../model/config.js';
import type { ModelWeights } from '../model/weights.js';
import { type Matrix, zeros, matmulFast, transpose, singularValues, participationRatio } from '../linalg/index.js';

export type AttentionBlock = 'q' | 'k' | 'v';
const BLOCK_INDEX: Record<AttentionBlock, number> = { q: 0, k: 1, v: 2 };

export const cAttnName = (layer: number): string => `blocks.${layer}.attn.c_attn.weight`;

/** W_Q, W_K or W_V of one layer: (d, d), (out, in) layout, copied into Float64. */
export function attentionMatrix(weights: ModelWeights, config: GptConfig, layer: number, block: AttentionBlock): Matrix {
  const d = config.dModel;
  const cAttn = weights.get(cAttnName(layer));
  if (cAttn === undefined) throw new Error(`attention weights: no '${cAttnName(layer)}'`);
  const m = zeros(d, d);
  const offset = BLOCK_INDEX[block] * d * d; // rows [block * d, (block + 1) * d)
  for (let i = 0; i < d * d; i++) m.data[i] = cAttn.data[offset + i];
  return m;
}

/** A copy of `weights` with W_Q or W_K (or W_V) of one layer replaced by `m` (d, d). */
export function withAttentionMatrix(
  weights: ModelWeights,
  config: GptConfig,
  layer: number,
  block: AttentionBlock,
  m: Matrix,
): ModelWeights {
  const d = config.dModel;
  const name = cAttnName(layer);
  const old = weights.get(name)!;
  const data = Float32Array.from(old.data);
  const offset = BLOCK_INDEX[block] * d * d;
  for (let i = 0; i < d * d; i++) data[offset + i] = m.data[i];
  const copy: ModelWeights = new Map(weights);
  copy.set(name, { shape: [...old.shape], data });
  return copy;
}

/** M = W_Q^T W_K (d, d) of one layer. */
export function bilinearForm(weights: ModelWeights, config: GptConfig, layer: number): Matrix {
  const wq = attentionMatrix(weights, config, layer, 'q');
  const wk = attentionMatrix(weights, config, layer, 'k');
  return matmulFast(transpose(wq), wk);
}

/** (M + sign M^T) / 2: the symmetric part for sign 1, the antisymmetric part for sign -1. */
export function symmetricPart(m: Matrix, sign: 1 | -1 = 1): Matrix {
  const n = m.rows;
  if (m.cols !== n) throw new Error(`symmetricPart: ${m.rows}x${m.cols} is not square`);
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out.data[i * n + j] = (m.data[i * n + j] + sign * m.data[j * n + i]) / 2;
  }
  return out;
}

export const antisymmetricPart = (m: Matrix): Matrix => symmetricPart(m, -1);

/** Participation ratio (sum s^2)^2 / sum s^4 of a matrix's singular values. */
export function matrixPR(m: Matrix): number {
  return participationRatio(singularValues(m));
}

/** M_A of every layer. */
export function antisymmetricBilinearForms(weights: ModelWeights, config: GptConfig): Matrix[] {
  return Array.from({ length: config.nLayers }, (_, layer) => antisymmetricPart(bilinearForm(weights, config, layer)));
}
