/**
 * The training loop on a tiny GPT, CPU EP: it learns (overfits one batch), frozen parameters stay
 * put, the same seed gives identical losses, a NaN stops training with the step and tensor named,
 * and an interrupted run resumes from its checkpoint to the same weights as an uninterrupted one.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { createRng } from '../../src/linalg/random.js';
import { loadModelWeights } from '../../src/model/weights-io.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { UserError } from '../../src/core/errors.js';
import { fixedBatch, tokenStreamBatches } from '../../src/train/batches.js';
import { listCheckpoints } from '../../src/train/checkpoint.js';
import { learningRateAt } from '../../src/train/schedule.js';
import { type TrainOptions, TrainingDivergedError, train } from '../../src/train/trainer.js';

const config: GptConfig = { vocabSize: 32, dModel: 16, nLayers: 2, nHeads: 2, blockSize: 8, dMlp: 64 };
const rng = createRng(17);
/** A token stream with some structure (a noisy cycle), so that training has something to learn. */
const stream = Array.from({ length: 2000 }, (_, i) => (rng.uniform() < 0.8 ? (i * 5) % config.vocabSize : Math.floor(rng.uniform() * config.vocabSize)));
const base: TrainOptions = { steps: 12, batchSize: 4, seqLen: 8, lr: 3e-3, warmup: 3, seed: 1 };

const tmp = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'train-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bytesOf(weights: ModelWeights): Map<string, Buffer> {
  return new Map([...weights].map(([name, t]) => [name, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]));
}

describe('training schedule and batches', () => {
  it('warms up linearly, then decays along a cosine to minLr', () => {
    const schedule = { lr: 1, warmup: 4, steps: 14, minLr: 0.1 };
    expect([0, 1, 2, 3].map((s) => learningRateAt(s, schedule))).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(learningRateAt(4, schedule)).toBe(1);
    expect(learningRateAt(9, schedule)).toBeCloseTo(0.55, 12); // halfway: (1 + 0.1) / 2
    expect(learningRateAt(14, schedule)).toBe(0.1);
  });

  it('draws each step\'s batch from (seed, step) alone', () => {
    const a = tokenStreamBatches(stream, 5);
    const b = tokenStreamBatches(stream, 5);
    expect(a.batch(7, 4, 8)).toEqual(b.batch(7, 4, 8)); // no state carried between steps
    expect(a.batch(7, 4, 8)).not.toEqual(a.batch(8, 4, 8));
    expect(tokenStreamBatches(stream, 6).batch(7, 4, 8)).not.toEqual(a.batch(7, 4, 8));
    const { tokens, targets } = a.batch(3, 4, 8);
    for (let i = 0; i < 4; i++) {
      // targets are the tokens shifted by one
      expect(Array.from(tokens.subarray(i * 8 + 1, i * 8 + 8))).toEqual(Array.from(targets.subarray(i * 8, i * 8 + 7)));
    }
  });
});

describe('train', () => {
  it('overfits one fixed batch (loss below 0.1 within 300 steps)', async () => {
    const batchRng = createRng(3);
    const tokens = Array.from({ length: 32 }, () => Math.floor(batchRng.uniform() * config.vocabSize));
    const targets = Array.from({ length: 32 }, () => Math.floor(batchRng.uniform() * config.vocabSize));
    const result = await train(config, initParameters(config, 1), fixedBatch(tokens, targets), {
      ...base,
      steps: 300,
      lr: 1e-2,
      warmup: 10,
    });
    expect(result.losses).toHaveLength(300);
    expect(result.losses[0]).toBeGreaterThan(0.9 * Math.log(config.vocabSize)); // random init: about ln V
    expect(result.losses[299]).toBeLessThan(0.1);
    expect(result.ep).toBe('cpu');
  });

  it('leaves frozen parameters bit-identical and trains the rest', async () => {
    const initial = initParameters(config, 2);
    const before = bytesOf(initial);
    const result = await train(config, initial, stream, { ...base, frozen: 'sft' });
    const after = bytesOf(result.weights);
    expect(after.get('tok_emb.weight')).toEqual(before.get('tok_emb.weight'));
    for (const name of ['pos_emb.weight', 'blocks.0.attn.c_attn.weight', 'blocks.1.mlp.2.bias', 'ln_f.weight']) {
      expect(after.get(name), name).not.toEqual(before.get(name));
    }
    expect(bytesOf(initial)).toEqual(before); // the caller's weights are not modified
  });

  it('gives identical losses and weights for the same seed, different ones for another seed', async () => {
    const first = await train(config, initParameters(config, 4), stream, base);
    const second = await train(config, initParameters(config, 4), stream, base);
    expect(second.losses).toEqual(first.losses);
    expect(bytesOf(second.weights)).toEqual(bytesOf(first.weights));
    const other = await train(config, initParameters(config, 4), stream, { ...base, seed: 2 });
    expect(other.losses).not.toEqual(first.losses);
  });

  it('stops at the step where a poisoned weight makes the loss NaN, naming the tensor', async () => {
    const poisoned = initParameters(config, 5);
    poisoned.get('blocks.1.mlp.0.weight')!.data[17] = Number.NaN;
    const error = await train(config, poisoned, stream, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.step).toBe(0);
    expect(diverged.tensor).toBe('blocks.1.mlp.0.weight');
    expect(diverged.message).toMatch(/step 0.*'blocks\.1\.mlp\.0\.weight'.*flat index 17.*initial weights/);
  });

  it('stops when an overflowing update makes the weights non-finite, naming the step and tensor', async () => {
    // lr / (1 - beta1^t) overflows float32 (max 3.4e38): the first update writes infinities
    const error = await train(config, initParameters(config, 6), stream, { ...base, lr: 3.4e38, warmup: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.step).toBe(1); // step 0 ran on finite weights; its update overflowed
    expect(diverged.message).toContain(`parameter '${diverged.tensor}'`);
    expect(diverged.message).toContain('after the update of step 0');
  });

  it('names the first non-finite activation when the parameters are finite', async () => {
    // finite weights whose LayerNorm output overflows float32
    const weights = initParameters(config, 7);
    weights.get('ln_f.weight')!.data.fill(3e38);
    const error = await train(config, weights, stream, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.step).toBe(0);
    expect(diverged.message).toMatch(/parameters are finite; the first non-finite value in the forward pass is '.*', output of LayerNormalization node/);
    expect(diverged.tensor).toMatch(/^ln_f\/LayerNormalization_\d+:0$/);
  });

  it('resumes an interrupted run from its last checkpoint and ends with the same weights', async () => {
    const options: TrainOptions = { ...base, steps: 10, checkpointEvery: 4 };
    const uninterrupted = await train(config, initParameters(config, 8), stream, options);

    const dir = nodePath.join(tmp, 'interrupted');
    const interrupt = new Error('interrupted');
    const stopped = await train(config, initParameters(config, 8), stream, {
      ...options,
      checkpointDir: dir,
      onStep: ({ step }) => {
        if (step === 6) throw interrupt;
      },
    }).catch((e: unknown) => e);
    expect(stopped).toBe(interrupt);
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([4]);

    const resumed = await train(config, initParameters(config, 8), stream, { ...options, checkpointDir: dir });
    expect(resumed.resumedFrom).toBe(4);
    expect(resumed.losses).toEqual(uninterrupted.losses);
    expect(bytesOf(resumed.weights)).toEqual(bytesOf(uninterrupted.weights));
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([8, 10]); // the newest two are kept

    // a checkpoint is a model file too
    const loaded = loadModelWeights(listCheckpoints(dir).pop()!.path, { config });
    expect(bytesOf(loaded.weights)).toEqual(bytesOf(uninterrupted.weights));

    // a finished run resumes to its end without training
    const again = await train(config, initParameters(config, 8), stream, { ...options, checkpointDir: dir });
    expect(again.resumedFrom).toBe(10);
    expect(bytesOf(again.weights)).toEqual(bytesOf(uninterrupted.weights));
  });

  it('refuses to resume a checkpoint of a run with other settings', async () => {
    const dir = nodePath.join(tmp, 'other-settings');
    await train(config, initParameters(config, 9), stream, { ...base, steps: 4, checkpointDir: dir });
    await expect(train(config, initParameters(config, 9), stream, { ...base, steps: 4, lr: 1e-3, checkpointDir: dir })).rejects.toThrow(UserError);
    await expect(train(config, initParameters(config, 10), stream, { ...base, steps: 4, checkpointDir: dir })).rejects.toThrow(/other settings, data or initial weights/);
  });

  it('rejects invalid options with the field named', async () => {
    const weights = initParameters(config, 1);
    await expect(train(config, weights, stream, { ...base, seqLen: 9 })).rejects.toThrow(/seqLen 9 exceeds the model's block size 8/);
    await expect(train(config, weights, stream, { ...base, lr: Number.NaN })).rejects.toThrow(/lr must be a finite number/);
    await expect(train(config, weights, stream, { ...base, frozen: 'everything' })).rejects.toThrow(/unknown set 'everything'/);
    await expect(train(config, weights, [1, 2, 99, 3, 4, 5, 6, 7, 8, 9, 10], { ...base, batchSize: 1 })).rejects.toThrow(/token id 99/);
  });
});
