/**
 * The WebGPU path on whatever WebGPU adapter this machine has: every node of the inference and
 * training graphs placed on the WebGPU EP, training with the state kept on the device matching the
 * CPU EP, repeat runs within the stated GPU tolerance, and checkpoints read back from the device.
 *
 * Without a GPU, Mesa's software Vulkan device (lavapipe, from bookworm-backports; .ci/run installs
 * it) runs the same WebGPU code: correctness, not speed. Where no adapter exists these tests are
 * skipped, except under REQUIRE_WEBGPU=1 (set by .ci/run once lavapipe is installed), where a
 * missing adapter fails the run instead of hiding it.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { ADAMW_DEFAULTS } from '../../src/model/train-graph.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { createRng } from '../../src/linalg/random.js';
import { probeExecutionProvider } from '../../src/runtime/execution-providers.js';
import { GptInference } from '../../src/runtime/gpt-inference.js';
import { inspectPlacement } from '../../src/runtime/session.js';
import { buildInferenceModel } from '../../src/model/gpt-graph.js';
import { inspectTrainingPlacement } from '../../src/train/placement.js';
import { GPU_REPEAT_TOLERANCE, type TrainOptions, train } from '../../src/train/trainer.js';

const webgpu = await probeExecutionProvider('webgpu');
if (process.env.REQUIRE_WEBGPU === '1' && !webgpu.available) {
  throw new Error(`REQUIRE_WEBGPU=1, but the WebGPU execution provider is not available: ${webgpu.detail}`);
}
if (!webgpu.available) console.warn(`WebGPU tests skipped: ${webgpu.detail}`);

const config: GptConfig = { vocabSize: 32, dModel: 16, nLayers: 2, nHeads: 2, blockSize: 8, dMlp: 64 };
const rng = createRng(17);
const stream = Array.from({ length: 2000 }, (_, i) => (rng.uniform() < 0.8 ? (i * 5) % config.vocabSize : Math.floor(rng.uniform() * config.vocabSize)));
const base: TrainOptions = { steps: 12, batchSize: 4, seqLen: 8, lr: 3e-3, warmup: 3, seed: 1 };

const tmp = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'webgpu-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function maxAbsDifference(a: ModelWeights, b: ModelWeights): number {
  let max = 0;
  for (const [name, tensor] of a) {
    const other = b.get(name)!.data;
    for (let i = 0; i < tensor.data.length; i++) max = Math.max(max, Math.abs(tensor.data[i] - other[i]));
  }
  return max;
}

function expectLossesClose(actual: number[], expected: number[], relative: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((loss, i) => expect(Math.abs(loss - expected[i]), `step ${i}`).toBeLessThanOrEqual(relative * Math.abs(expected[i])));
}

describe.runIf(webgpu.available)(`WebGPU EP (${webgpu.detail})`, () => {
  it('places every node of the training-step graph on the WebGPU EP', async () => {
    const graphOptions = { batchSize: 4, seqLen: 8, frozen: [], adamw: ADAMW_DEFAULTS };
    const placement = await inspectTrainingPlacement(config, initParameters(config, 1), graphOptions, 'webgpu');
    expect(placement.offDevice).toEqual([]);
    expect(placement.onDevice).toBeGreaterThan(500);
    const sft = await inspectTrainingPlacement(config, initParameters(config, 1), { ...graphOptions, frozen: ['tok_emb.weight'] }, 'webgpu');
    expect(sft.offDevice).toEqual([]);
  });

  it('places every node of the inference graph, attention probabilities included, on the WebGPU EP', async () => {
    const model = buildInferenceModel(config, initParameters(config, 1), { seqLen: 8, attentionProbs: true });
    const placement = await inspectPlacement(model, 'webgpu');
    expect(placement.map((p) => p.provider)).toEqual(['WebGpuExecutionProvider']);
  });

  it('gives the CPU EP\'s forward pass', async () => {
    const weights = initParameters(config, 2);
    const tokens = stream.slice(0, 16);
    const targets = stream.slice(1, 17);
    const outputs = [];
    for (const ep of ['cpu', 'webgpu'] as const) {
      const model = await GptInference.create(config, weights, { seqLen: 8, attentionProbs: true, ep });
      expect(model.ep).toBe(ep);
      outputs.push(await model.forward(tokens, targets, 2));
      await model.dispose();
    }
    const [cpu, gpu] = outputs;
    gpu.loss.forEach((loss, i) => expect(loss).toBeCloseTo(cpu.loss[i], 5));
    gpu.attentionProbs![1].forEach((p, i) => expect(p).toBeCloseTo(cpu.attentionProbs![1][i], 6));
  });

  it('trains with the state on the device as the CPU EP does, and repeats within the GPU tolerance', async () => {
    const cpu = await train(config, initParameters(config, 3), stream, { ...base, ep: 'cpu' });
    const gpu = await train(config, initParameters(config, 3), stream, { ...base, ep: 'webgpu' });
    const again = await train(config, initParameters(config, 3), stream, { ...base, ep: 'webgpu' });
    expect(gpu.ep).toBe('webgpu');
    expect(gpu.losses[11]).toBeLessThan(gpu.losses[0]); // it learns
    // float32 sums in another order: the CPU and GPU trajectories agree to a few ulps per step
    expectLossesClose(gpu.losses, cpu.losses, 1e-5);
    expect(maxAbsDifference(gpu.weights, cpu.weights)).toBeLessThan(1e-4);
    expectLossesClose(again.losses, gpu.losses, GPU_REPEAT_TOLERANCE);
    expect(maxAbsDifference(again.weights, gpu.weights)).toBeLessThan(1e-4);
  });

  it('checkpoints from the device and resumes an interrupted run', async () => {
    const options: TrainOptions = { ...base, steps: 10, checkpointEvery: 4, ep: 'webgpu' };
    const uninterrupted = await train(config, initParameters(config, 8), stream, options);
    const dir = nodePath.join(tmp, 'interrupted');
    const stopped = await train(config, initParameters(config, 8), stream, {
      ...options,
      checkpointDir: dir,
      onStep: ({ step }) => {
        if (step === 6) throw new Error('interrupted');
      },
    }).catch((e: unknown) => e);
    expect((stopped as Error).message).toBe('interrupted');
    const resumed = await train(config, initParameters(config, 8), stream, { ...options, checkpointDir: dir });
    expect(resumed.resumedFrom).toBe(4);
    expectLossesClose(resumed.losses, uninterrupted.losses, GPU_REPEAT_TOLERANCE);
    expect(maxAbsDifference(resumed.weights, uninterrupted.weights)).toBeLessThan(1e-4);
  });
});
