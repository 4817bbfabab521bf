/**
 * Training batches. A batch for step s depends only on (data, seed, s), not on the steps before
 * it: a resumed run sees exactly the batches of an uninterrupted one, and every model trained with
 * the same seed (the init variants of Papers 57 and 57b) sees identical batches in identical order.
 */
import { createHash } from 'node:crypto';
import { streamKey } from '../model/random.js';
import { createRng } from '../linalg/random.js';

/** (B, T) token ids and next-token targets, row-major (int32: the graphs' TOKEN_ID_TYPE). */
export interface Batch {
  tokens: Int32Array;
  targets: Int32Array;
}

export interface BatchSource {
  /** identifies the data and the sampling (part of a checkpoint's fingerprint) */
  readonly id: string;
  batch(step: number, batchSize: number, seqLen: number): Batch;
}

/**
 * Windows of T + 1 consecutive tokens from a token stream (tokens[start .. start+T) as input,
 * shifted by one as targets), each start drawn uniformly from a stream keyed by (seed, step).
 */
export function tokenStreamBatches(stream: ArrayLike<number>, seed: number): BatchSource {
  const tokens = Int32Array.from(stream);
  const digest = createHash('sha256').update(new Uint8Array(tokens.buffer)).digest('hex').slice(0, 16);
  return {
    id: `token-stream(${tokens.length} tokens, sha256 ${digest}, seed ${seed})`,
    batch(step, batchSize, seqLen) {
      const starts = tokens.length - seqLen; // windows start at 0 .. n - T - 1
      if (starts < 1) throw new Error(`token stream of ${tokens.length} tokens is too short for sequences of ${seqLen} + 1`);
      const rng = createRng(streamKey(seed, `batch ${step}`));
      const batch = { tokens: new Int32Array(batchSize * seqLen), targets: new Int32Array(batchSize * seqLen) };
      for (let b = 0; b < batchSize; b++) {
        const start = Math.floor(rng.uniform() * starts);
        for (let t = 0; t < seqLen; t++) {
          batch.tokens[b * seqLen + t] = tokens[start + t];
          batch.targets[b * seqLen + t] = tokens[start + t + 1];
        }
      }
      return batch;
    },
  };
}

/** The same batch at every step (for overfitting checks). */
export function fixedBatch(tokens: ArrayLike<number>, targets: ArrayLike<number>): BatchSource {
  if (tokens.length !== targets.length) throw new Error('fixedBatch: tokens and targets differ in length');
  const batch = { tokens: Int32Array.from(tokens), targets: Int32Array.from(targets) };
  const digest = createHash('sha256').update(new Uint8Array(batch.tokens.buffer)).update(new Uint8Array(batch.targets.buffer)).digest('hex');
  return {
    id: `fixed-batch(${tokens.length} positions, sha256 ${digest.slice(0, 16)})`,
    batch(_step, batchSize, seqLen) {
      if (batchSize * seqLen !== batch.tokens.length) {
        throw new Error(`fixedBatch: holds ${batch.tokens.length} positions, the run asks for ${batchSize} x ${seqLen}`);
      }
      return batch;
    },
  };
}

/** Throws if a batch holds an id outside 0..vocabSize-1 (onnxruntime would read out of bounds or fail obscurely). */
export function checkTokenIds(batch: Batch, vocabSize: number, step: number): void {
  for (const ids of [batch.tokens, batch.targets]) {
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new Error(`batch of step ${step}: token id ${ids[i]} at position ${i} is outside the vocabulary 0..${vocabSize - 1}`);
      }
    }
  }
}
