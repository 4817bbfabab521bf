import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GptConfig, TINY_GPT } from '../../src/model/config.js';
import { buildGptGraph } from '../../src/model/gpt-graph.js';
import { initParameters } from '../../src/model/init.js';
import { createRng } from '../../src/linalg/random.js';
import { erf, referenceForward } from '../../src/model/reference.js';
import type { ModelWeights } from '../../src/model/weights.js';
import { WEBGPU_DEVICE_OPS } from '../../src/runtime/execution-providers.js';
import { GptInference } from '../../src/runtime/gpt-inference.js';

const randomTokens = (n: number, vocab: number, seed: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.uniform() * vocab));
};

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
};

/** Random init plus non-trivial biases and LayerNorm parameters, so that every term is exercised. */
function perturbedWeights(config: GptConfig, seed: number): ModelWeights {
  const weights = initParameters(config, seed);
  const rng = createRng(seed + 1000);
  for (const [name, tensor] of weights) {
    const scale = name.includes('ln') ? 0.3 : name.endsWith('bias') ? 0.1 : 5; // grow weights too
    for (let i = 0; i < tensor.data.length; i++) {
      tensor.data[i] = name.endsWith('weight') && !name.includes('ln') ? tensor.data[i] * scale : tensor.data[i] + scale * rng.normal();
    }
  }
  return weights;
}

describe('GPT inference graph vs the TypeScript reference (CPU EP, float32 vs float64)', () => {
  const config = TINY_GPT; // V 50, d 16, 2 layers, 2 heads, block 8
  const batch = 3;
  const weights = perturbedWeights(config, 7);
  const models: GptInference[] = [];
  afterAll(async () => Promise.all(models.map((m) => m.dispose())));

  for (const seqLen of [config.blockSize, 5]) {
    it(`matches logits, loss and attention probabilities at T = ${seqLen}`, async () => {
      const model = await GptInference.create(config, weights, { seqLen, attentionProbs: true, ep: 'cpu' });
      models.push(model);
      expect(model.ep).toBe('cpu');
      const tokens = randomTokens(batch * seqLen, config.vocabSize, 1);
      const targets = randomTokens(batch * seqLen, config.vocabSize, 2);
      const onnx = await model.forward(tokens, targets, batch);
      const reference = referenceForward(config, weights, tokens, targets, batch, seqLen);

      // the weights are scaled up, so logits are O(1..10) and the loss is far from ln(V)
      const logitScale = Math.max(...reference.logits.map(Math.abs));
      expect(logitScale).toBeGreaterThan(1);
      expect(maxAbsDiff(onnx.logits!, reference.logits)).toBeLessThan(1e-4 * logitScale);
      expect(maxAbsDiff(onnx.loss, reference.loss)).toBeLessThan(1e-4);
      for (let layer = 0; layer < config.nLayers; layer++) {
        expect(maxAbsDiff(onnx.attentionProbs![layer], reference.attentionProbs[layer])).toBeLessThan(1e-5);
      }
    });
  }

  it("gives the same attention probabilities from the attention-only graph (no head, no loss)", async () => {
    const T = 6;
    const full = await GptInference.create(config, weights, { seqLen: T, attentionProbs: true, ep: 'cpu' });
    const only = await GptInference.create(config, weights, { seqLen: T, attentionProbs: 'only', ep: 'cpu' });
    models.push(full, only);
    const tokens = randomTokens(batch * T, config.vocabSize, 4);
    const { attentionProbs } = await full.forward(tokens, tokens, batch, { logits: false });
    const probs = await only.attention(tokens, batch);
    expect(probs).toHaveLength(config.nLayers);
    probs.forEach((p, layer) => expect(Array.from(p)).toEqual(Array.from(attentionProbs![layer])));
    await expect(only.forward(tokens, tokens, batch)).rejects.toThrow(/attention\(\)/);
  });

  it('gives attention probabilities whose rows sum to 1 and that never look ahead', async () => {
    const T = config.blockSize;
    const model = await GptInference.create(config, weights, { seqLen: T, attentionProbs: true, ep: 'cpu' });
    models.push(model);
    const tokens = randomTokens(batch * T, config.vocabSize, 3);
    const { attentionProbs } = await model.forward(tokens, tokens, batch, { logits: false });
    expect(attentionProbs).toHaveLength(config.nLayers);
    for (const probs of attentionProbs!) {
      expect(probs.length).toBe(batch * config.nHeads * T * T);
      for (let row = 0; row < batch * config.nHeads * T; row++) {
        const query = row % T;
        let sum = 0;
        for (let key = 0; key < T; key++) {
          const p = probs[row * T + key];
          if (key > query) expect(p).toBe(0);
          sum += p;
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      }
    }
  });

  it('gives a random-init loss within 1% of ln(V) on random tokens', async () => {
    const moderate: GptConfig = { vocabSize: 2000, dModel: 32, nLayers: 2, nHeads: 2, blockSize: 32, dMlp: 128 };
    const T = 32;
    const B = 8;
    const model = await GptInference.create(moderate, initParameters(moderate, 11), { seqLen: T, ep: 'cpu' });
    models.push(model);
    const { loss, logits } = await model.forward(
      randomTokens(B * T, moderate.vocabSize, 4),
      randomTokens(B * T, moderate.vocabSize, 5),
      B,
      { logits: false },
    );
    expect(logits).toBeUndefined();
    const meanLoss = loss.reduce((a, b) => a + b, 0) / loss.length;
    expect(Math.abs(meanLoss / Math.log(moderate.vocabSize) - 1)).toBeLessThan(0.01);
  });

  it('rejects out-of-range token ids and batches of the wrong length', async () => {
    const model = await GptInference.create(config, weights, { seqLen: 4, ep: 'cpu' });
    models.push(model);
    await expect(model.forward([1, 2, 3, 50], [1, 2, 3, 4], 1)).rejects.toThrow(/tokens\[3\] = 50/);
    await expect(model.forward([1, 2, 3], [1, 2, 3], 1)).rejects.toThrow(/expected batch 1 x 4/);
  });
});

describe('GPT graph structure', () => {
  it('uses only ops that the WebGPU EP runs on the GPU', () => {
    const graph = buildGptGraph(TINY_GPT, { seqLen: 8, attentionProbs: true });
    const ops = [...graph.opTypeCounts().keys()];
    expect(ops.filter((op) => !WEBGPU_DEVICE_OPS.has(op))).toEqual([]);
    expect(ops).toContain('Gelu');
    expect(ops).not.toContain('SoftmaxCrossEntropyLoss');
  });

  it('declares every parameter once and ties the output projection to tok_emb', () => {
    const graph = buildGptGraph(TINY_GPT, { seqLen: 8 });
    expect(graph.parameters.map((p) => p.name)).toContain('tok_emb.weight');
    expect(graph.parameters).toHaveLength(2 + TINY_GPT.nLayers * 12 + 2);
    const users = graph.nodes.filter((n) => n.inputs.includes('tok_emb.weight')).map((n) => n.opType);
    expect(users.sort()).toEqual(['Gather', 'Gemm']);
    // nodes are plain data a gradient builder can walk
    const softmax = graph.nodes.find((n) => n.opType === 'Softmax')!;
    expect(softmax.attributes.axis).toEqual({ type: 'int', value: -1 });
    expect(softmax.name).toMatch(/^blocks\.0\.attn\//);
  });

  it('refuses a sequence longer than the block size', () => {
    expect(() => buildGptGraph(TINY_GPT, { seqLen: 9 })).toThrow(/seqLen must be in 1\.\.8/);
  });

  it('has an accurate erf for the exact GELU', () => {
    // values from a high-precision table
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
  });
});
