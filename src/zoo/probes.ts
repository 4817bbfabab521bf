/**
 * Probes: forward-pass-only measurements of a model through onnxruntime (the inference graph of
 * src/model/gpt-graph.ts), on the execution provider the zoo runs on.
 *
 *   validationLoss            mean cross-entropy and perplexity on a held-out token stream
 *   batchLoss                 mean cross-entropy on one training batch
 *   attentionWeightedBigrams  Paper 54's attention-weighted K_2 from the model's own attention
 */
import type { GptConfig } from '../model/config.js';
import type { ModelWeights } from '../model/weights.js';
import type { ExecutionProvider } from '../runtime/execution-providers.js';
import { GptInference } from '../runtime/gpt-inference.js';
import type { Batch } from '../train/batches.js';

export interface ProbeOptions {
  /** T of the windows the stream is cut into */
  seqLen: number;
  /** windows per forward pass */
  batchSize: number;
  ep: ExecutionProvider;
}

export interface ValidationLoss {
  /** mean cross-entropy over every predicted position, nats */
  loss: number;
  perplexity: number;
  /** positions averaged over */
  positions: number;
}

/**
 * The stream cut into consecutive windows of T + 1 tokens that overlap by one (window w covers
 * ids[wT .. wT + T]): every token after the first is predicted exactly once, from the tokens
 * before it in its window. A tail shorter than a window is left out.
 */
export function validationWindows(ids: ArrayLike<number>, seqLen: number): number {
  return Math.max(0, Math.floor((ids.length - 1) / seqLen));
}

export async function validationLoss(
  config: GptConfig,
  weights: ModelWeights,
  ids: ArrayLike<number>,
  options: ProbeOptions,
): Promise<ValidationLoss> {
  const T = options.seqLen;
  const windows = validationWindows(ids, T);
  if (windows === 0) throw new Error(`validation loss: ${ids.length} held-out tokens are fewer than one window of ${T + 1}`);
  const model = await GptInference.create(config, weights, { seqLen: T, ep: options.ep });
  try {
    let sum = 0;
    for (let first = 0; first < windows; first += options.batchSize) {
      const count = Math.min(options.batchSize, windows - first);
      const tokens = new Int32Array(count * T);
      const targets = new Int32Array(count * T);
      for (let b = 0; b < count; b++) {
        const start = (first + b) * T;
        for (let t = 0; t < T; t++) {
          tokens[b * T + t] = ids[start + t];
          targets[b * T + t] = ids[start + t + 1];
        }
      }
      const { loss } = await model.forward(tokens, targets, count, { logits: false });
      for (const value of loss) sum += value; // float64 sum of float32 per-position losses
    }
    const positions = windows * T;
    const mean = sum / positions;
    return { loss: mean, perplexity: Math.exp(mean), positions };
  } finally {
    await model.dispose();
  }
}

/** Mean cross-entropy of a model on one (B, T) batch, as the training graph reports it before an update. */
export async function batchLoss(
  config: GptConfig,
  weights: ModelWeights,
  batch: Batch,
  shape: { batchSize: number; seqLen: number },
  ep: ExecutionProvider,
): Promise<number> {
  const model = await GptInference.create(config, weights, { seqLen: shape.seqLen, ep });
  try {
    const { loss } = await model.forward(Array.from(batch.tokens, Number), Array.from(batch.targets, Number), shape.batchSize, { logits: false });
    let sum = 0;
    for (const value of loss) sum += value;
    return sum / loss.length;
  } finally {
    await model.dispose();
  }
}

/**
 * Paper 54's attention-weighted K_2, accumulated from one forward pass: for every sequence b,
 * head h and query position p, the probability that p attends to key position q <= p is added at
 * (token at q, token at p), divided by the number of heads (the mean over heads). Rows are the
 * earlier token and columns the later one, as in K_2[i, j] = count of j right after i, so that
 * a model attending only to the previous token gives K_2 (plus the diagonal of self-attention
 * at q = p, which is part of "every position q <= p").
 *
 * `layerProbs` holds one or more layers' (B, nh, T, T) attention (rows queries, columns keys),
 * whose sum is added; `tokens` (B, T). `index` maps a token id to its row and column in `out`
 * (n, n), or -1 to leave it out (so that the matrix can be restricted to the active tokens; V x V
 * is too large to hold densely). The layers and heads are summed before the one write into
 * `out` per pair of positions: those writes land all over a matrix of 128 MB (n = 4,000), and
 * one per layer made this loop a third of the stage's time at the laptop profile.
 */
export function accumulateAttentionBigrams(
  out: Float64Array,
  n: number,
  index: Int32Array,
  layerProbs: Float32Array[],
  tokens: ArrayLike<number>,
  batch: number,
  nHeads: number,
  T: number,
): void {
  for (const probs of layerProbs) {
    if (probs.length !== batch * nHeads * T * T) throw new Error(`attention bigrams: probs has ${probs.length} values, expected ${batch}x${nHeads}x${T}x${T}`);
  }
  if (out.length !== n * n) throw new Error(`attention bigrams: out has ${out.length} values, expected ${n}x${n}`);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < T; p++) {
      const later = index[tokens[b * T + p]];
      if (later < 0) continue;
      for (let q = 0; q <= p; q++) {
        const earlier = index[tokens[b * T + q]];
        if (earlier < 0) continue;
        let sum = 0;
        for (const probs of layerProbs) {
          for (let h = 0; h < nHeads; h++) sum += probs[((b * nHeads + h) * T + p) * T + q];
        }
        out[earlier * n + later] += sum / nHeads;
      }
    }
  }
}

export interface AttentionBigramOptions extends ProbeOptions {
  /** ids of the tokens kept, in the order of the matrix's rows and columns (e.g. the active tokens) */
  tokensKept: Int32Array;
  /** the layers to average over (default: all) */
  layers?: number[];
}

/**
 * The attention-weighted bigram matrix of a model over a token stream (cut into windows as for the
 * validation loss), averaged over the chosen layers: (n, n) row-major, n = tokensKept.length.
 */
export async function attentionWeightedBigrams(
  config: GptConfig,
  weights: ModelWeights,
  ids: ArrayLike<number>,
  options: AttentionBigramOptions,
): Promise<Float64Array> {
  const T = options.seqLen;
  const n = options.tokensKept.length;
  const index = new Int32Array(config.vocabSize).fill(-1);
  options.tokensKept.forEach((id, row) => (index[id] = row));
  const layers = options.layers ?? Array.from({ length: config.nLayers }, (_, l) => l);
  const out = new Float64Array(n * n);
  const windows = validationWindows(ids, T);
  const model = await GptInference.create(config, weights, { seqLen: T, ep: options.ep, attentionProbs: 'only' });
  try {
    for (let first = 0; first < windows; first += options.batchSize) {
      const count = Math.min(options.batchSize, windows - first);
      const tokens = new Int32Array(count * T);
      for (let b = 0; b < count; b++) {
        for (let t = 0; t < T; t++) tokens[b * T + t] = ids[(first + b) * T + t];
      }
      const attentionProbs = await model.attention(tokens, count);
      accumulateAttentionBigrams(out, n, index, layers.map((layer) => attentionProbs[layer]), tokens, count, config.nHeads, T);
    }
  } finally {
    await model.dispose();
  }
  for (let i = 0; i < out.length; i++) out[i] /= layers.length;
  return out;
}
