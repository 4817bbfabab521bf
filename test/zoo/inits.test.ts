/**
 * The attention inits of Papers 57 and 57b and the attention-weighted bigram probe, on small
 * hand-checkable inputs.
 */
import { describe, expect, it } from 'vitest';
import { type Matrix, frobeniusNorm, gaussianMatrix, matmulFast, transpose } from '../../src/linalg/index.js';
import type { GptConfig } from '../../src/model/config.js';
import { initParameters } from '../../src/model/init.js';
import { antisymmetricPart, bilinearForm, matrixPR, symmetricPart } from '../../src/zoo/attention.js';
import { antisymmetricNoise, factorBilinear, injectAntisymmetricParts, prMatchedBlend, withAttentionFrom } from '../../src/zoo/inits.js';
import { accumulateAttentionBigrams } from '../../src/zoo/probes.js';

const config: GptConfig = { vocabSize: 30, dModel: 16, nLayers: 2, nHeads: 2, blockSize: 8, dMlp: 32 };

const maxAbsDiff = (a: Matrix, b: Matrix): number => a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);

describe('attention inits', () => {
  it('factors a bilinear form exactly: W_Q^T W_K = M', () => {
    const m = gaussianMatrix(16, 16, 3);
    const { wq, wk } = factorBilinear(m, 9);
    expect(maxAbsDiff(matmulFast(transpose(wq), wk), m)).toBeLessThan(1e-12);
  });

  it('injection replaces the direction of M_A, keeps M_S and the norm of M_A', () => {
    const weights = initParameters(config, 4);
    const direction = antisymmetricNoise(16, 21);
    const { weights: injected, detail } = injectAntisymmetricParts(weights, config, [direction, direction], 2);
    for (let layer = 0; layer < 2; layer++) {
      const before = bilinearForm(weights, config, layer);
      const after = bilinearForm(injected, config, layer); // from float32 weights: compare relatively
      const scale = frobeniusNorm(before);
      expect(maxAbsDiff(symmetricPart(after), symmetricPart(before)) / scale).toBeLessThan(1e-5);
      const a = antisymmetricPart(after);
      expect(frobeniusNorm(a)).toBeCloseTo(detail.antisymmetricNorm[layer], 6);
      const expected = direction.data.map((x) => (x * frobeniusNorm(a)) / frobeniusNorm(direction));
      expect(maxAbsDiff(a, { rows: 16, cols: 16, data: expected }) / scale).toBeLessThan(1e-5);
    }
    // V and everything outside c_attn are untouched
    expect(injected.get('blocks.0.mlp.0.weight')).toBe(weights.get('blocks.0.mlp.0.weight'));
    const cAttn = injected.get('blocks.1.attn.c_attn.weight')!.data;
    expect(cAttn.subarray(2 * 256)).toEqual(weights.get('blocks.1.attn.c_attn.weight')!.data.subarray(2 * 256));
  });

  it('a PR-matched blend reaches the target PR between the direction\'s and the noise\'s', () => {
    // a rank-2 antisymmetric direction (PR exactly 2) and full noise (PR far above)
    const d = 16;
    const u = gaussianMatrix(d, 1, 1).data;
    const v = gaussianMatrix(d, 1, 2).data;
    const direction: Matrix = { rows: d, cols: d, data: new Float64Array(d * d).map((_, k) => u[Math.floor(k / d)] * v[k % d] - v[Math.floor(k / d)] * u[k % d]) };
    const noise = antisymmetricNoise(d, 5);
    expect(matrixPR(direction)).toBeCloseTo(2, 9);
    const target = 6.5;
    expect(matrixPR(noise)).toBeGreaterThan(target);
    const blend = prMatchedBlend(direction, noise, target);
    expect(blend.reached).toBe(true);
    expect(blend.pr).toBeCloseTo(target, 6);
    expect(frobeniusNorm(blend.blend)).toBeCloseTo(1, 12);
    expect(prMatchedBlend(direction, noise, 1000).reached).toBe(false);
  });

  it('the trained oracle copies c_attn and c_proj of every layer and nothing else', () => {
    const base = initParameters(config, 1);
    const trained = initParameters(config, 2);
    const oracle = withAttentionFrom(base, trained, config);
    for (const [name, tensor] of oracle) {
      const source = /\.attn\.c_(attn|proj)\./.test(name) ? trained : base;
      expect(tensor.data, name).toEqual(source.get(name)!.data);
    }
  });
});

describe('attention-weighted bigrams', () => {
  it('adds each query\'s attention at (key token, query token), averaged over heads', () => {
    // one sequence of tokens [5, 7, 5], two heads, T = 3; rows of probs are queries, columns keys
    const head0 = [1, 0, 0, /**/ 0.25, 0.75, 0, /**/ 0.5, 0.25, 0.25];
    const head1 = [1, 0, 0, /**/ 0.75, 0.25, 0, /**/ 0, 1, 0];
    const probs = Float32Array.from([...head0, ...head1]);
    const index = new Int32Array(10).fill(-1);
    index[5] = 0; // token 5 -> row/column 0
    index[7] = 1; // token 7 -> row/column 1
    const out = new Float64Array(4);
    accumulateAttentionBigrams(out, 2, index, [probs], [5, 7, 5], 1, 2, 3);
    // (earlier token, later token), each term the mean over heads:
    //   query 0 (5): key 0 (5) 1                         -> (5,5) += 1
    //   query 1 (7): key 0 (5) 0.5, key 1 (7) 0.5        -> (5,7) += 0.5, (7,7) += 0.5
    //   query 2 (5): key 0 (5) 0.25, key 1 (7) 0.625, key 2 (5) 0.125
    //                                                    -> (5,5) += 0.375, (7,5) += 0.625
    expect(Array.from(out)).toEqual([1.375, 0.5, 0.625, 0.5]);
    // the total is one per query position (softmax rows sum to one)
    expect(out.reduce((s, x) => s + x, 0)).toBe(3);
    // a token outside the index is left out
    index[7] = -1;
    const restricted = new Float64Array(1);
    accumulateAttentionBigrams(restricted, 1, index, [probs], [5, 7, 5], 1, 2, 3);
    expect(restricted[0]).toBe(1.375);
  });

  it('adds several layers at once as it adds them one at a time', () => {
    const probs = (seed: number) => Float32Array.from({ length: 2 * 4 * 4 }, (_, i) => ((i * 7 + seed * 13) % 11) / 16);
    const layers = [probs(1), probs(2), probs(3)];
    const index = Int32Array.from([0, 1, -1, 2]);
    const tokens = [3, 0, 1, 0];
    const oneByOne = new Float64Array(9);
    for (const layer of layers) accumulateAttentionBigrams(oneByOne, 3, index, [layer], tokens, 1, 2, 4);
    const together = new Float64Array(9);
    accumulateAttentionBigrams(together, 3, index, layers, tokens, 1, 2, 4);
    // sixteenths sum exactly, so the order of the additions does not show
    expect(Array.from(together)).toEqual(Array.from(oneByOne));
    expect(together.some((x) => x > 0)).toBe(true);
  });
});
