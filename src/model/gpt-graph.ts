/**
 * The GPT forward pass as an ONNX graph, written to read like nanoGPT's model.py: one function per
 * module, the shape of every tensor in a comment. B (batch) stays symbolic; T (sequence length) is
 * fixed when the graph is built, so that the causal mask and every reshape are constants and no
 * shape arithmetic runs on the device.
 *
 * Only ops that the WebGPU execution provider runs on the GPU are used (see DESIGN.md): Gather for
 * embeddings, Gemm for every Linear (PyTorch (out, in) weights with transB = 1), LayerNormalization,
 * Gelu (opset 20), MatMul, Softmax, an additive float mask, and cross-entropy assembled from
 * Softmax, GatherElements, Log and Neg rather than SoftmaxCrossEntropyLoss or LogSoftmax.
 *
 * The residual stream is kept as a (B*T, d) matrix so that every Linear is one Gemm; attention
 * reshapes to (B, nh, T, hs) and back.
 */
import { type GptConfig, headSize, validateConfig } from './config.js';
import { GraphBuilder, attr, serializeGraph } from './onnx-builder.js';
import type { ModelWeights } from './weights.js';

export const LAYER_NORM_EPSILON = 1e-5; // PyTorch nn.LayerNorm default
/** Added to attention scores above the diagonal; exp of it underflows to exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

/**
 * Token ids are int32, not PyTorch's int64: onnxruntime places int64 index arithmetic (the
 * Unsqueeze before GatherElements, the Reshape in the embedding gradient) on the CPU under the
 * WebGPU EP, which costs a host round trip per step; int32 keeps every node on the GPU.
 */
export const TOKEN_ID_TYPE = 'int32';

/** Names of the graph's inputs and outputs. */
export const GPT_IO = {
  /** (B, T) token ids, of type TOKEN_ID_TYPE */
  tokens: 'idx',
  /** (B, T) next-token ids, of type TOKEN_ID_TYPE */
  targets: 'targets',
  /** (B, T, V) float32 */
  logits: 'logits',
  /** (B, T) float32: -log p(target) at each position */
  loss: 'loss',
  /** (B, nh, T, T) float32 attention probabilities of a layer (rows: queries, columns: keys) */
  attentionProbs: (layer: number): string => `blocks.${layer}.attn.probs`,
} as const;

export interface GptGraphOptions {
  /** T: the sequence length the graph takes, at most config.blockSize */
  seqLen: number;
  /**
   * also output each layer's attention probabilities; 'only': output nothing else (no ln_f, head,
   * loss or targets input, and no MLP after the last attention), for probes that read attention
   * alone: the (V, d) head and the softmax over V are about 40% of a paper-shape forward pass
   */
  attentionProbs?: boolean | 'only';
  /**
   * B fixed at build time (a training graph, whose gradient nodes need every shape); by default
   * B is a symbolic dimension and any batch size runs.
   */
  batchSize?: number;
}

/** The forward graph (parameters declared, not bound to values). */
export function buildGptGraph(config: GptConfig, options: GptGraphOptions): GraphBuilder {
  validateConfig(config);
  const T = options.seqLen;
  if (!Number.isInteger(T) || T < 1 || T > config.blockSize) {
    throw new Error(`GPT graph: seqLen must be in 1..${config.blockSize} (blockSize), got ${T}`);
  }
  const B = options.batchSize ?? 'B';
  if (typeof B === 'number' && (!Number.isInteger(B) || B < 1)) {
    throw new Error(`GPT graph: batchSize must be a positive integer, got ${B}`);
  }
  const g = new GraphBuilder('gpt');
  const { vocabSize: V, dModel: d } = config;

  const idx = g.input(GPT_IO.tokens, TOKEN_ID_TYPE, [B, T]); // (B, T)
  const attentionOnly = options.attentionProbs === 'only';
  const targets = attentionOnly ? '' : g.input(GPT_IO.targets, TOKEN_ID_TYPE, [B, T]); // (B, T)

  // Embeddings: token + learned position
  const tokEmb = g.parameter('tok_emb.weight', [V, d]); // (V, d)
  const posEmb = g.parameter('pos_emb.weight', [config.blockSize, d]); // (blockSize, d)
  const positions = g.int64s(range(T)); // (T)
  let x = g.op('Add', [
    g.op('Gather', [tokEmb, idx], { axis: attr.int(0) }), // (B, T, d)
    g.op('Gather', [posEmb, positions], { axis: attr.int(0) }), // (T, d), broadcast over B
  ]); // (B, T, d)
  x = g.op('Reshape', [x, g.int64s([-1, d])]); // (B*T, d)

  // 0 on and below the diagonal, MASKED_SCORE above: position t sees positions 0..t
  const causalMask = g.floatConstant('causal_mask', [T, T], causalMaskValues(T)); // (T, T)

  for (let layer = 0; layer < config.nLayers; layer++) {
    const withMlp = !(attentionOnly && layer === config.nLayers - 1);
    x = g.scope(`blocks.${layer}`, () =>
      block(g, x, `blocks.${layer}`, config, T, causalMask, options.attentionProbs ? layer : null, withMlp),
    );
  }
  if (attentionOnly) {
    for (let layer = 0; layer < config.nLayers; layer++) {
      g.output(GPT_IO.attentionProbs(layer), 'float32', [B, config.nHeads, T, T]);
    }
    return g;
  }

  x = g.scope('ln_f', () => layerNorm(g, x, 'ln_f', d)); // (B*T, d)
  // Output projection tied to the token embedding: logits = x @ tok_emb^T
  const logits2d = g.scope('head', () => g.op('Gemm', [x, tokEmb], { transB: attr.int(1) })); // (B*T, V)
  const logits = g.op('Reshape', [logits2d, g.int64s([-1, T, V])], {}, { output: GPT_IO.logits }); // (B, T, V)

  g.scope('loss', () => crossEntropy(g, logits, targets, T));

  g.output(GPT_IO.logits, 'float32', [B, T, V]);
  g.output(GPT_IO.loss, 'float32', [B, T]);
  if (options.attentionProbs) {
    for (let layer = 0; layer < config.nLayers; layer++) {
      g.output(GPT_IO.attentionProbs(layer), 'float32', [B, config.nHeads, T, T]);
    }
  }
  return g;
}

/** Pre-LN transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)). */
function block(
  g: GraphBuilder,
  x: string, // (B*T, d)
  prefix: string,
  config: GptConfig,
  T: number,
  causalMask: string,
  probsLayer: number | null,
  withMlp = true,
): string {
  const d = config.dModel;
  const attnOut = g.scope(`${prefix}.attn`, () =>
    causalSelfAttention(g, layerNorm(g, x, `${prefix}.ln1`, d), `${prefix}.attn`, config, T, causalMask, probsLayer),
  );
  x = g.op('Add', [x, attnOut]); // (B*T, d)
  if (!withMlp) return x;
  const mlpOut = g.scope(`${prefix}.mlp`, () => mlp(g, layerNorm(g, x, `${prefix}.ln2`, d), `${prefix}.mlp`, config));
  return g.op('Add', [x, mlpOut]); // (B*T, d)
}

function causalSelfAttention(
  g: GraphBuilder,
  x: string, // (B*T, d)
  prefix: string,
  config: GptConfig,
  T: number,
  causalMask: string,
  probsLayer: number | null,
): string {
  const { dModel: d, nHeads: nh } = config;
  const hs = headSize(config);

  // Fused projection: rows of c_attn.weight are [W_Q; W_K; W_V]
  const qkv = g.op('Reshape', [linear(g, x, `${prefix}.c_attn`, 3 * d, d), g.int64s([-1, T, 3 * d])]); // (B, T, 3d)
  const part = (which: number): string =>
    g.op('Reshape', [
      g.op('Slice', [qkv, g.int64s([which * d]), g.int64s([(which + 1) * d]), g.int64s([2])]), // (B, T, d)
      g.int64s([-1, T, nh, hs]),
    ]); // (B, T, nh, hs)
  const q = g.op('Transpose', [part(0)], { perm: attr.ints([0, 2, 1, 3]) }); // (B, nh, T, hs)
  const kT = g.op('Transpose', [part(1)], { perm: attr.ints([0, 2, 3, 1]) }); // (B, nh, hs, T)
  const v = g.op('Transpose', [part(2)], { perm: attr.ints([0, 2, 1, 3]) }); // (B, nh, T, hs)

  // att = softmax(q k^T / sqrt(hs) + mask)
  let att = g.op('Mul', [g.op('MatMul', [q, kT]), g.scalar(1 / Math.sqrt(hs))]); // (B, nh, T, T)
  att = g.op('Add', [att, causalMask]); // (B, nh, T, T)
  const softmaxOutput = probsLayer === null ? {} : { output: GPT_IO.attentionProbs(probsLayer) };
  att = g.op('Softmax', [att], { axis: attr.int(-1) }, softmaxOutput); // (B, nh, T, T)

  let y = g.op('MatMul', [att, v]); // (B, nh, T, hs)
  y = g.op('Transpose', [y], { perm: attr.ints([0, 2, 1, 3]) }); // (B, T, nh, hs)
  y = g.op('Reshape', [y, g.int64s([-1, d])]); // (B*T, d): heads side by side
  return linear(g, y, `${prefix}.c_proj`, d, d); // (B*T, d)
}

function mlp(g: GraphBuilder, x: string, prefix: string, config: GptConfig): string {
  const { dModel: d, dMlp } = config;
  const h = linear(g, x, `${prefix}.0`, dMlp, d); // (B*T, dMlp)
  const activated = g.op('Gelu', [h]); // (B*T, dMlp), exact (erf) GELU like nn.GELU()
  return linear(g, activated, `${prefix}.2`, d, dMlp); // (B*T, d)
}

/** nn.Linear: x @ W^T + b, with W in PyTorch (out, in) layout. */
function linear(g: GraphBuilder, x: string, prefix: string, outFeatures: number, inFeatures: number): string {
  const weight = g.parameter(`${prefix}.weight`, [outFeatures, inFeatures]); // (out, in)
  const bias = g.parameter(`${prefix}.bias`, [outFeatures]); // (out)
  return g.op('Gemm', [x, weight, bias], { transB: attr.int(1) }); // (N, out)
}

/** nn.LayerNorm over the last axis. */
function layerNorm(g: GraphBuilder, x: string, prefix: string, d: number): string {
  const weight = g.parameter(`${prefix}.weight`, [d]);
  const bias = g.parameter(`${prefix}.bias`, [d]);
  return g.op('LayerNormalization', [x, weight, bias], {
    axis: attr.int(-1),
    epsilon: attr.float(LAYER_NORM_EPSILON),
  });
}

/** Per-position cross-entropy: loss[b, t] = -log softmax(logits[b, t])[targets[b, t]]. */
function crossEntropy(g: GraphBuilder, logits: string, targets: string, T: number): string {
  const probs = g.op('Softmax', [logits], { axis: attr.int(-1) }); // (B, T, V)
  const targetIndex = g.op('Unsqueeze', [targets, g.int64s([2])]); // (B, T, 1)
  const targetProb = g.op('GatherElements', [probs, targetIndex], { axis: attr.int(2) }); // (B, T, 1)
  const nll = g.op('Neg', [g.op('Log', [targetProb])]); // (B, T, 1)
  return g.op('Reshape', [nll, g.int64s([-1, T])], {}, { output: GPT_IO.loss }); // (B, T)
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function causalMaskValues(T: number): Float32Array {
  const mask = new Float32Array(T * T);
  for (let query = 0; query < T; query++) {
    for (let key = query + 1; key < T; key++) mask[query * T + key] = MASKED_SCORE;
  }
  return mask;
}

/**
 * The inference model as ONNX bytes with the weights stored as initializers. The config goes into
 * the file's metadata ('gpt.config'), so that loading it needs nothing else.
 */
export function buildInferenceModel(
  config: GptConfig,
  weights: ModelWeights,
  options: GptGraphOptions,
): Uint8Array {
  const graph = buildGptGraph(config, options);
  return serializeGraph(graph, {
    parametersAs: 'initializers',
    weights,
    docString:
      options.attentionProbs === 'only'
        ? 'GPT graph: attention probabilities only'
        : 'GPT inference graph: logits, per-position loss' + (options.attentionProbs ? ', attention probabilities' : ''),
    metadata: { [CONFIG_METADATA_KEY]: JSON.stringify(config) },
  });
}

export const CONFIG_METADATA_KEY = 'gpt.config';

