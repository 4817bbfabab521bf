/**
 * The training graph's gradients and optimizer step on a tiny GPT:
 *  - gradients of the ONNX graph (float64) against central finite differences of the independent
 *    Float64 TypeScript forward pass (src/model/reference.ts), sampled elements of every tensor;
 *  - the float32 graph (what training runs) against the float64 one;
 *  - frozen parameters get no gradient and change nothing else;
 *  - the train-step graph's AdamW update (clipping, bias correction, decay on matrices only)
 *    against the same formulas in TypeScript;
 *  - every node of the train-step graph is an op that the WebGPU EP runs on the GPU.
 */
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type GptConfig, parameterShapes } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { createRng } from '../../src/linalg/random.js';
import { referenceForward } from '../../src/model/reference.js';
import {
  ADAMW_DEFAULTS,
  FROZEN_SETS,
  TRAIN_IO,
  buildGradientsOnlyGraph,
  buildTrainStepGraph,
  serializeTrainGraph,
} from '../../src/model/train-graph.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { WEBGPU_DEVICE_OPS } from '../../src/runtime/execution-providers.js';

const config: GptConfig = { vocabSize: 32, dModel: 16, nLayers: 2, nHeads: 2, blockSize: 8, dMlp: 64 };
const B = 2;
const T = 8;

/** Random init with weights scaled up and non-trivial biases and LayerNorm parameters. */
function perturbedWeights(seed: number): ModelWeights {
  const weights = initParameters(config, seed);
  const rng = createRng(seed + 1000);
  for (const [name, tensor] of weights) {
    const vector = name.includes('ln') || name.endsWith('bias');
    for (let i = 0; i < tensor.data.length; i++) tensor.data[i] = vector ? tensor.data[i] + 0.2 * rng.normal() : tensor.data[i] * 10;
  }
  return weights;
}

const weights = perturbedWeights(3);
const rng = createRng(11);
const tokens = Array.from({ length: B * T }, () => Math.floor(rng.uniform() * config.vocabSize));
const targets = Array.from({ length: B * T }, () => Math.floor(rng.uniform() * config.vocabSize));

const sessions: ort.InferenceSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.release())));

function tokenFeeds(): Record<string, ort.Tensor> {
  return {
    [TRAIN_IO.tokens]: new ort.Tensor('int32', Int32Array.from(tokens), [B, T]),
    [TRAIN_IO.targets]: new ort.Tensor('int32', Int32Array.from(targets), [B, T]),
  };
}

/** Loss and gradients from the gradients-only graph. */
async function onnxGradients(
  floatType: 'float32' | 'float64',
  frozen: readonly string[] = [],
): Promise<{ loss: number; grads: Map<string, Float64Array> }> {
  const built = buildGradientsOnlyGraph(config, { batchSize: B, seqLen: T, frozen });
  const session = await ort.InferenceSession.create(serializeTrainGraph(built, weights, { floatType }), { executionProviders: ['cpu'] });
  sessions.push(session);
  const feeds = tokenFeeds();
  for (const name of built.trainable) {
    const tensor = weights.get(name)!;
    feeds[name] =
      floatType === 'float64'
        ? new ort.Tensor('float64', Float64Array.from(tensor.data), tensor.shape)
        : new ort.Tensor('float32', tensor.data, tensor.shape);
  }
  const out = await session.run(feeds);
  const grads = new Map(built.trainable.map((n) => [n, Float64Array.from(out[TRAIN_IO.grad(n)].data as Float32Array | Float64Array)]));
  return { loss: Number(out[TRAIN_IO.lossMean].data[0]), grads };
}

function referenceLoss(w: ModelWeights): number {
  const { loss } = referenceForward(config, w, tokens, targets, B, T);
  return loss.reduce((a, b) => a + b, 0) / loss.length;
}

const maxAbs = (values: ArrayLike<number>): number => Array.from(values).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('GPT training graph gradients', () => {
  it('match central finite differences of the float64 reference forward for every parameter tensor', async () => {
    const { loss, grads } = await onnxGradients('float64');
    expect(Math.abs(loss - referenceLoss(weights))).toBeLessThan(1e-7); // measured 1e-8: GELU runs in float32
    expect([...grads.keys()]).toEqual(parameterShapes(config).map((p) => p.name));

    const sample = createRng(5);
    for (const [name, grad] of grads) {
      const tensor = weights.get(name)!.data;
      const scale = maxAbs(grad);
      expect(scale, `gradient of ${name} is zero`).toBeGreaterThan(1e-3);
      for (let k = 0; k < 4; k++) {
        const i = Math.floor(sample.uniform() * tensor.length);
        const original = tensor[i];
        const h = 1e-3 * Math.max(Math.abs(original), 0.1);
        // the weights are float32: use the perturbation that float32 can hold
        tensor[i] = original + h;
        const up = tensor[i];
        const lossUp = referenceLoss(weights);
        tensor[i] = original - h;
        const down = tensor[i];
        const lossDown = referenceLoss(weights);
        tensor[i] = original;
        const numeric = (lossUp - lossDown) / (up - down);
        // measured: below 4e-7 of the tensor's largest gradient (GELU runs in float32 inside the float64 graph)
        expect(Math.abs(grad[i] - numeric), `${name}[${i}]: onnx ${grad[i]}, finite difference ${numeric}`).toBeLessThan(1e-5 * scale);
      }
    }
  });

  it('in float32 agree with the float64 graph', async () => {
    const double = await onnxGradients('float64');
    const single = await onnxGradients('float32');
    expect(Math.abs(single.loss - double.loss)).toBeLessThan(1e-5);
    for (const [name, grad] of double.grads) {
      const other = single.grads.get(name)!;
      let worst = 0;
      for (let i = 0; i < grad.length; i++) worst = Math.max(worst, Math.abs(grad[i] - other[i]));
      expect(worst, name).toBeLessThan(1e-4 * maxAbs(grad));
    }
  });

  it('leave frozen parameters out and do not change the others', async () => {
    const all = await onnxGradients('float64');
    const sft = await onnxGradients('float64', FROZEN_SETS.sft);
    expect(sft.grads.has('tok_emb.weight')).toBe(false);
    expect(sft.grads.size).toBe(all.grads.size - 1);
    for (const [name, grad] of sft.grads) {
      const full = all.grads.get(name)!;
      for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i] - full[i])).toBeLessThan(1e-12);
    }
  });

  it('train step applies clipping and AdamW as specified', async () => {
    const frozen = FROZEN_SETS.sft;
    const built = buildTrainStepGraph(config, { batchSize: B, seqLen: T, frozen, adamw: { maxGradNorm: 0.5 } });
    const session = await ort.InferenceSession.create(serializeTrainGraph(built, weights), { executionProviders: ['cpu'] });
    sessions.push(session);
    const { grads } = await onnxGradients('float32', frozen);
    const lr = 0.01;
    const update = 3; // bias corrections 1 - 0.9^3 and 1 - 0.95^3
    const feeds = tokenFeeds();
    feeds[TRAIN_IO.lr] = new ort.Tensor('float32', Float32Array.of(lr), []);
    feeds[TRAIN_IO.step] = new ort.Tensor('float32', Float32Array.of(update), []);
    const moments = createRng(21);
    const m = new Map<string, Float32Array>();
    const v = new Map<string, Float32Array>();
    for (const name of built.trainable) {
      const { data, shape } = weights.get(name)!;
      m.set(name, Float32Array.from(data, () => 0.01 * moments.normal()));
      v.set(name, Float32Array.from(data, () => 1e-4 * moments.uniform()));
      feeds[name] = new ort.Tensor('float32', data, shape);
      feeds[TRAIN_IO.adamM(name)] = new ort.Tensor('float32', m.get(name)!, shape);
      feeds[TRAIN_IO.adamV(name)] = new ort.Tensor('float32', v.get(name)!, shape);
    }
    const out = await session.run(feeds);
    expect(out[TRAIN_IO.next('tok_emb.weight')]).toBeUndefined();

    const norm = Math.sqrt([...grads.values()].reduce((s, g) => s + g.reduce((a, x) => a + x * x, 0), 0));
    expect(Number(out[TRAIN_IO.gradNorm].data[0])).toBeCloseTo(norm, 4);
    expect(norm).toBeGreaterThan(0.5); // so that clipping is exercised
    const clip = 0.5 / norm;
    const { beta1, beta2, eps, weightDecay } = ADAMW_DEFAULTS;
    for (const name of built.trainable) {
      const p = weights.get(name)!;
      const decays = p.shape.length >= 2;
      const next = out[TRAIN_IO.next(name)].data as Float32Array;
      const nextM = out[TRAIN_IO.next(TRAIN_IO.adamM(name))].data as Float32Array;
      const nextV = out[TRAIN_IO.next(TRAIN_IO.adamV(name))].data as Float32Array;
      for (let i = 0; i < p.data.length; i += 7) {
        const g = grads.get(name)![i] * clip;
        const mi = beta1 * m.get(name)![i] + (1 - beta1) * g;
        const vi = beta2 * v.get(name)![i] + (1 - beta2) * g * g;
        const step = (lr / (1 - beta1 ** update)) * (mi / (Math.sqrt(vi / (1 - beta2 ** update)) + eps));
        const expected = p.data[i] * (decays ? 1 - lr * weightDecay : 1) - step;
        // tolerances relative to the terms' sizes (m' can cancel): float32 rounding and noise in g
        const mScale = beta1 * Math.abs(m.get(name)![i]) + (1 - beta1) * Math.abs(g);
        expect(Math.abs(nextM[i] - mi), `m of ${name}[${i}]`).toBeLessThan(1e-6 * mScale + 1e-12);
        expect(Math.abs(nextV[i] - vi), `v of ${name}[${i}]`).toBeLessThan(1e-5 * vi + 1e-15);
        // float32 rounding of the parameter, and of the step's few operations
        const tolerance = 2.5e-7 * Math.abs(expected) + 1e-5 * Math.abs(step) + 1e-10;
        expect(Math.abs(next[i] - expected), `${name}[${i}]`).toBeLessThan(tolerance);
      }
    }
  });

  it('uses only ops that the WebGPU EP runs on the GPU', () => {
    const built = buildTrainStepGraph(config, { batchSize: B, seqLen: T, frozen: FROZEN_SETS.sft });
    const offDevice = [...built.graph.opTypeCounts().keys()].filter((op) => !WEBGPU_DEVICE_OPS.has(op));
    expect(offDevice).toEqual([]);
    // no output of the step graph is an input passed through (feeding outputs back on a GPU)
    const inputs = new Set([...built.graph.inputs.map((i) => i.name), ...built.graph.parameters.map((p) => p.name)]);
    for (const output of built.graph.outputs) {
      const producer = built.graph.producer(output.name)!;
      expect(producer.opType === 'Identity' && inputs.has(producer.inputs[0])).toBe(false);
    }
  });
});
