import { describe, expect, it } from 'vitest';
import {
  PAPER_GPT,
  TINY_GPT,
  countParameters,
  describeConfig,
  elementCount,
  parameterShapes,
  validateConfig,
} from '../../src/model/config.js';

describe('GPT config', () => {
  it('counts the paper shape at about 10.2M parameters', () => {
    const { vocabSize: V, dModel: d, nLayers: L, blockSize, dMlp } = PAPER_GPT;
    // written out by hand: ln1, c_attn, c_proj, ln2, mlp.0, mlp.2 with their biases
    const perBlock = 2 * d + (3 * d * d + 3 * d) + (d * d + d) + 2 * d + (dMlp * d + dMlp) + (d * dMlp + d);
    const expectedTotal = V * d + blockSize * d + L * perBlock + 2 * d;
    const count = countParameters(PAPER_GPT);
    expect(count.total).toBe(expectedTotal);
    expect(count.total).toBe(10_291_456);
    expect(count.nonPositional).toBe(10_160_384);
    expect((count.nonPositional / 1e6).toFixed(1)).toBe('10.2');
    expect(describeConfig(PAPER_GPT)).toContain('10.29M parameters (10.16M without position embeddings)');
  });

  it('names parameters as the PyTorch module does, in (out, in) layout', () => {
    const shapes = new Map(parameterShapes(PAPER_GPT).map((p) => [p.name, p.shape]));
    expect(shapes.get('tok_emb.weight')).toEqual([15007, 256]);
    expect(shapes.get('pos_emb.weight')).toEqual([512, 256]);
    expect(shapes.get('blocks.0.attn.c_attn.weight')).toEqual([768, 256]);
    expect(shapes.get('blocks.7.attn.c_proj.weight')).toEqual([256, 256]);
    expect(shapes.get('blocks.3.mlp.0.weight')).toEqual([1024, 256]);
    expect(shapes.get('blocks.3.mlp.2.weight')).toEqual([256, 1024]);
    expect(shapes.get('ln_f.bias')).toEqual([256]);
    expect(shapes.has('blocks.8.ln1.weight')).toBe(false);
    expect(shapes.has('lm_head.weight')).toBe(false); // tied to tok_emb
    expect(shapes.size).toBe(2 + 8 * 12 + 2);
  });

  it('rejects impossible configs with the field named', () => {
    expect(() => validateConfig({ ...TINY_GPT, nHeads: 3 })).toThrow(/divisible by nHeads/);
    expect(() => validateConfig({ ...TINY_GPT, blockSize: 0 })).toThrow(/blockSize/);
    expect(elementCount([3, 4, 5])).toBe(60);
  });
});
