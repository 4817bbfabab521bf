/**
 * The GPT that the papers call "PhotonicGPT": GPT-2 style, pre-LayerNorm, learned position
 * embeddings, output projection tied to the token embedding, fused attention projection
 * c_attn = [W_Q; W_K; W_V] and an MLP Linear(d, dMlp) -> GELU -> Linear(dMlp, d).
 *
 * Parameter names and layouts follow the PyTorch module the papers describe, so that a user's own
 * checkpoint (state_dict saved as safetensors or exported to ONNX) loads by name:
 *
 *   tok_emb.weight                  (V, d)          also the output projection (tied)
 *   pos_emb.weight                  (blockSize, d)
 *   blocks.N.ln1.weight / .bias     (d)
 *   blocks.N.attn.c_attn.weight     (3d, d)         PyTorch Linear layout (out, in); rows = [Q; K; V]
 *   blocks.N.attn.c_attn.bias       (3d)
 *   blocks.N.attn.c_proj.weight     (d, d)
 *   blocks.N.attn.c_proj.bias       (d)
 *   blocks.N.ln2.weight / .bias     (d)
 *   blocks.N.mlp.0.weight           (dMlp, d)       nn.Sequential index 0: Linear(d, dMlp)
 *   blocks.N.mlp.0.bias             (dMlp)
 *   blocks.N.mlp.2.weight           (d, dMlp)       index 1 is the GELU, index 2 Linear(dMlp, d)
 *   blocks.N.mlp.2.bias             (d)
 *   ln_f.weight / .bias             (d)
 *
 * Assumptions the papers do not state: every Linear has a bias and every LayerNorm has a weight and
 * a bias (PyTorch defaults); there is no separate lm_head weight (tied). With these, the paper shape
 * has 10,291,456 parameters, of which 131,072 are position embeddings; nanoGPT's printed count
 * leaves position embeddings out ("non-embedding" count) and gives 10,160,384 = 10.2M, which
 * matches the papers' "10.2M". Without biases the total would be 10,273,024.
 */

export interface GptConfig {
  /** V: vocabulary size (rows of tok_emb) */
  vocabSize: number;
  /** d: width of the residual stream */
  dModel: number;
  nLayers: number;
  /** nh: attention heads; head size hs = d / nh */
  nHeads: number;
  /** longest sequence the model accepts (rows of pos_emb) */
  blockSize: number;
  /** hidden width of the MLP */
  dMlp: number;
}

/** The papers' model: 8 layers, 8 heads, d 256, block 512, vocab 15,007, MLP 1024. */
export const PAPER_GPT: GptConfig = {
  vocabSize: 15007,
  dModel: 256,
  nLayers: 8,
  nHeads: 8,
  blockSize: 512,
  dMlp: 1024,
};

/** A model small enough to check every number by hand-written code in tests. */
export const TINY_GPT: GptConfig = {
  vocabSize: 50,
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  blockSize: 8,
  dMlp: 64,
};

export interface ParameterShape {
  name: string;
  /** PyTorch layout: (out, in) for Linear weights, (rows, d) for embeddings, (d) for vectors */
  shape: number[];
  /** how initParameters draws it */
  init: 'normal' | 'residual-normal' | 'zeros' | 'ones';
}

/** Throws on a config that cannot describe a model (the message names the field). */
export function validateConfig(config: GptConfig): void {
  for (const [field, value] of Object.entries(config)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`GPT config: ${field} must be a positive integer, got ${value}`);
    }
  }
  if (config.dModel % config.nHeads !== 0) {
    throw new Error(
      `GPT config: dModel (${config.dModel}) must be divisible by nHeads (${config.nHeads})`,
    );
  }
}

/** Head size hs = d / nh. */
/** 0, 1, ..., nLayers - 1: for measurements taken per layer. */
export function layerIndices(config: GptConfig): number[] {
  return Array.from({ length: config.nLayers }, (_, layer) => layer);
}

export function headSize(config: GptConfig): number {
  return config.dModel / config.nHeads;
}

/** Every parameter of the model, in module order (the order of a PyTorch state_dict). */
export function parameterShapes(config: GptConfig): ParameterShape[] {
  validateConfig(config);
  const { vocabSize: V, dModel: d, blockSize, dMlp, nLayers } = config;
  const params: ParameterShape[] = [
    { name: 'tok_emb.weight', shape: [V, d], init: 'normal' },
    { name: 'pos_emb.weight', shape: [blockSize, d], init: 'normal' },
  ];
  for (let layer = 0; layer < nLayers; layer++) {
    const p = `blocks.${layer}`;
    params.push(
      { name: `${p}.ln1.weight`, shape: [d], init: 'ones' },
      { name: `${p}.ln1.bias`, shape: [d], init: 'zeros' },
      { name: `${p}.attn.c_attn.weight`, shape: [3 * d, d], init: 'normal' },
      { name: `${p}.attn.c_attn.bias`, shape: [3 * d], init: 'zeros' },
      // c_proj and mlp.2 write into the residual stream: GPT-2 scales their init down
      { name: `${p}.attn.c_proj.weight`, shape: [d, d], init: 'residual-normal' },
      { name: `${p}.attn.c_proj.bias`, shape: [d], init: 'zeros' },
      { name: `${p}.ln2.weight`, shape: [d], init: 'ones' },
      { name: `${p}.ln2.bias`, shape: [d], init: 'zeros' },
      { name: `${p}.mlp.0.weight`, shape: [dMlp, d], init: 'normal' },
      { name: `${p}.mlp.0.bias`, shape: [dMlp], init: 'zeros' },
      { name: `${p}.mlp.2.weight`, shape: [d, dMlp], init: 'residual-normal' },
      { name: `${p}.mlp.2.bias`, shape: [d], init: 'zeros' },
    );
  }
  params.push(
    { name: 'ln_f.weight', shape: [d], init: 'ones' },
    { name: 'ln_f.bias', shape: [d], init: 'zeros' },
  );
  return params;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, k) => n * k, 1);
}

export interface ParameterCount {
  /** every parameter, counting the tied embedding once */
  total: number;
  /** total minus position embeddings: the number nanoGPT prints (and the papers' "10.2M") */
  nonPositional: number;
  /** token embedding (also the output projection) */
  tokenEmbedding: number;
  positionEmbedding: number;
  /** all parameters inside the transformer blocks */
  blocks: number;
}

export function countParameters(config: GptConfig): ParameterCount {
  const count = { total: 0, tokenEmbedding: 0, positionEmbedding: 0, blocks: 0 };
  for (const p of parameterShapes(config)) {
    const n = elementCount(p.shape);
    count.total += n;
    if (p.name === 'tok_emb.weight') count.tokenEmbedding += n;
    else if (p.name === 'pos_emb.weight') count.positionEmbedding += n;
    else if (p.name.startsWith('blocks.')) count.blocks += n;
  }
  return { ...count, nonPositional: count.total - count.positionEmbedding };
}

/** One line for logs, e.g. "GPT 8L 8H d256 V15007 block512: 10.29M parameters (10.16M without positions)". */
export function describeConfig(config: GptConfig): string {
  const c = countParameters(config);
  const m = (n: number): string => `${(n / 1e6).toFixed(2)}M`;
  return (
    `GPT ${config.nLayers}L ${config.nHeads}H d${config.dModel} V${config.vocabSize} ` +
    `block${config.blockSize} mlp${config.dMlp}: ${m(c.total)} parameters ` +
    `(${m(c.nonPositional)} without position embeddings)`
  );
}

/**
 * Floating-point operations of one training step per token (forward, backward, no optimizer):
 * 6 per weight of every matrix product (2 forward, 4 backward), the tied output projection
 * (V, d) included and the embedding lookups excluded, plus the two (T, T) attention products of
 * each layer, 12 T d per token (the graph computes the whole T x T before masking). This is
 * the usual "6N + 12 L T d" model FLOP count (Kaplan et al. 2020; PaLM's MFU).
 */
export function trainingFlopsPerToken(config: GptConfig, seqLen: number): number {
  const { dModel: d, dMlp, nLayers, vocabSize } = config;
  const matrixWeights = nLayers * (3 * d * d + d * d + 2 * d * dMlp) + vocabSize * d;
  return 6 * matrixWeights + 12 * nLayers * seqLen * d;
}
