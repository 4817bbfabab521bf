/**
 * The GPT forward pass in plain TypeScript, in float64, written independently of the ONNX graph
 * (loops over positions and heads, no shared code) so that tests can check the graph against it.
 * Slow: for tiny configs only.
 */
import { type GptConfig, headSize } from './config.js';
import { LAYER_NORM_EPSILON } from './gpt-graph.js';
import type { ModelWeights } from './weights.js';

export interface ReferenceOutput {
  /** (B, T, V) row-major */
  logits: Float64Array;
  /** (B, T): -log p(target) */
  loss: Float64Array;
  /** per layer, (B, nh, T, T) row-major */
  attentionProbs: Float64Array[];
}

/**
 * Forward pass over a batch: `tokens` and `targets` are (B, T) row-major token ids.
 */
export function referenceForward(
  config: GptConfig,
  weights: ModelWeights,
  tokens: ArrayLike<number>,
  targets: ArrayLike<number>,
  batch: number,
  seqLen: number,
): ReferenceOutput {
  const { vocabSize: V, dModel: d, nHeads: nh, nLayers } = config;
  const T = seqLen;
  const W = (name: string): Float32Array => {
    const tensor = weights.get(name);
    if (tensor === undefined) throw new Error(`referenceForward: no weight '${name}'`);
    return tensor.data;
  };
  const logits = new Float64Array(batch * T * V);
  const loss = new Float64Array(batch * T);
  const attentionProbs = Array.from({ length: nLayers }, () => new Float64Array(batch * nh * T * T));

  for (let b = 0; b < batch; b++) {
    // x[t] = tok_emb[token] + pos_emb[t]
    const tokEmb = W('tok_emb.weight');
    const posEmb = W('pos_emb.weight');
    let x: Float64Array[] = [];
    for (let t = 0; t < T; t++) {
      const token = tokens[b * T + t];
      const row = new Float64Array(d);
      for (let j = 0; j < d; j++) row[j] = tokEmb[token * d + j] + posEmb[t * d + j];
      x.push(row);
    }

    for (let layer = 0; layer < nLayers; layer++) {
      const p = `blocks.${layer}`;
      const probs = attentionProbs[layer];
      const attn = attention(
        x.map((row) => layerNorm(row, W(`${p}.ln1.weight`), W(`${p}.ln1.bias`))),
        W(`${p}.attn.c_attn.weight`),
        W(`${p}.attn.c_attn.bias`),
        W(`${p}.attn.c_proj.weight`),
        W(`${p}.attn.c_proj.bias`),
        config,
        (head, query, key, value) => {
          probs[((b * nh + head) * T + query) * T + key] = value;
        },
      );
      x = x.map((row, t) => add(row, attn[t]));
      x = x.map((row) => {
        const h = linear(layerNorm(row, W(`${p}.ln2.weight`), W(`${p}.ln2.bias`)), W(`${p}.mlp.0.weight`), W(`${p}.mlp.0.bias`));
        return add(row, linear(h.map(gelu), W(`${p}.mlp.2.weight`), W(`${p}.mlp.2.bias`)));
      });
    }

    for (let t = 0; t < T; t++) {
      const h = layerNorm(x[t], W('ln_f.weight'), W('ln_f.bias'));
      const rowLogits = linear(h, tokEmb, null); // tied output projection
      logits.set(rowLogits, (b * T + t) * V);
      loss[b * T + t] = logSumExp(rowLogits) - rowLogits[targets[b * T + t]];
    }
  }
  return { logits, loss, attentionProbs };
}

/** Causal multi-head self-attention over one sequence of (d) rows; reports every probability. */
function attention(
  x: Float64Array[],
  cAttnWeight: Float32Array,
  cAttnBias: Float32Array,
  cProjWeight: Float32Array,
  cProjBias: Float32Array,
  config: GptConfig,
  recordProb: (head: number, query: number, key: number, prob: number) => void,
): Float64Array[] {
  const { dModel: d, nHeads: nh } = config;
  const hs = headSize(config);
  const T = x.length;
  const qkv = x.map((row) => linear(row, cAttnWeight, cAttnBias)); // T rows of (3d) = [q | k | v]
  const y = x.map(() => new Float64Array(d));
  for (let head = 0; head < nh; head++) {
    const q = (t: number, i: number): number => qkv[t][head * hs + i];
    const k = (t: number, i: number): number => qkv[t][d + head * hs + i];
    const v = (t: number, i: number): number => qkv[t][2 * d + head * hs + i];
    for (let query = 0; query < T; query++) {
      const scores = new Float64Array(query + 1); // keys 0..query only
      for (let key = 0; key <= query; key++) {
        let dot = 0;
        for (let i = 0; i < hs; i++) dot += q(query, i) * k(key, i);
        scores[key] = dot / Math.sqrt(hs);
      }
      const lse = logSumExp(scores);
      for (let key = 0; key <= query; key++) {
        const prob = Math.exp(scores[key] - lse);
        recordProb(head, query, key, prob);
        for (let i = 0; i < hs; i++) y[query][head * hs + i] += prob * v(key, i);
      }
    }
  }
  return y.map((row) => linear(row, cProjWeight, cProjBias));
}

/** x @ W^T + b with W in (out, in) layout. */
function linear(x: Float64Array, weight: Float32Array, bias: Float32Array | null): Float64Array {
  const inFeatures = x.length;
  const outFeatures = weight.length / inFeatures;
  const out = new Float64Array(outFeatures);
  for (let o = 0; o < outFeatures; o++) {
    let sum = bias === null ? 0 : bias[o];
    for (let i = 0; i < inFeatures; i++) sum += weight[o * inFeatures + i] * x[i];
    out[o] = sum;
  }
  return out;
}

function layerNorm(x: Float64Array, weight: Float32Array, bias: Float32Array): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let variance = 0; // biased, as in PyTorch and ONNX
  for (let i = 0; i < n; i++) variance += (x[i] - mean) ** 2;
  variance /= n;
  const scale = 1 / Math.sqrt(variance + LAYER_NORM_EPSILON);
  return x.map((value, i) => (value - mean) * scale * weight[i] + bias[i]);
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((value, i) => value + b[i]);
}

function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v);
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** Exact GELU, x * Phi(x), as nn.GELU() and ONNX Gelu (approximate = 'none'). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/**
 * erf to about 1e-15: Taylor series for |x| < 3 (terms stay below ~1e3, so little cancellation),
 * the continued fraction of erfc beyond.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax < 3) {
    let term = x; // x^(2n+1) (-1)^n / n!
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= (-x * x) / n;
      const contribution = term / (2 * n + 1);
      sum += contribution;
      if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  let fraction = ax;
  for (let k = 60; k >= 1; k--) fraction = ax + k / 2 / fraction;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / fraction;
  return Math.sign(x) * (1 - erfc);
}
