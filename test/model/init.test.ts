import { describe, expect, it } from 'vitest';
import { type GptConfig, TINY_GPT } from '../../src/model/config.js';
import { INIT_STD, initParameters } from '../../src/model/init.js';
import { createRng } from '../../src/linalg/random.js';

const same = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const std = (data: Float32Array): number => {
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  return Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
};

describe('initParameters', () => {
  const config: GptConfig = { ...TINY_GPT, vocabSize: 500, dModel: 64, nLayers: 4, dMlp: 256 };

  it('is deterministic in the seed', () => {
    const a = initParameters(config, 3);
    const b = initParameters(config, 3);
    const c = initParameters(config, 4);
    for (const [name, tensor] of a) expect(same(b.get(name)!.data, tensor.data)).toBe(true);
    expect(same(c.get('tok_emb.weight')!.data, a.get('tok_emb.weight')!.data)).toBe(false);
  });

  it('follows GPT-2: N(0, 0.02), residual projections scaled by 1/sqrt(2 nLayers), zero biases, unit LayerNorm', () => {
    const w = initParameters(config, 1);
    expect(std(w.get('tok_emb.weight')!.data)).toBeCloseTo(INIT_STD, 3);
    expect(std(w.get('blocks.0.attn.c_attn.weight')!.data)).toBeCloseTo(INIT_STD, 3);
    const residual = INIT_STD / Math.sqrt(2 * config.nLayers);
    expect(Math.abs(std(w.get('blocks.2.mlp.2.weight')!.data) / residual - 1)).toBeLessThan(0.03);
    expect(Math.abs(std(w.get('blocks.1.attn.c_proj.weight')!.data) / residual - 1)).toBeLessThan(0.03);
    expect(w.get('blocks.0.mlp.0.bias')!.data.every((v) => v === 0)).toBe(true);
    expect(w.get('ln_f.weight')!.data.every((v) => v === 1)).toBe(true);
    expect(w.get('blocks.3.ln2.bias')!.data.every((v) => v === 0)).toBe(true);
  });

  it('draws each parameter from its own stream, independent of the others', () => {
    const small = initParameters({ ...config, vocabSize: 100 }, 9);
    const large = initParameters(config, 9);
    // a different vocabulary changes tok_emb only
    expect(same(small.get('blocks.0.attn.c_attn.weight')!.data, large.get('blocks.0.attn.c_attn.weight')!.data)).toBe(true);
    expect(same(small.get('tok_emb.weight')!.data, large.get('tok_emb.weight')!.data.subarray(0, 100 * 64))).toBe(true);
    expect(same(small.get('pos_emb.weight')!.data, large.get('tok_emb.weight')!.data.subarray(0, 8 * 64))).toBe(false);
  });

  it('has a sound normal generator', () => {
    const rng = createRng(123);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let sum4 = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sumSq += x * x;
      sum4 += x ** 4;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(sum4 / n - 3)).toBeLessThan(0.1); // kurtosis of a normal
  });
});
