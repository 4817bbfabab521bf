import { describe, expect, it } from 'vitest';
import { computeStatistics, corpusFromText, loadCorpus } from '../../src/corpus/index.js';
import type { CorpusStatistics } from '../../src/corpus/types.js';
import { type Matrix, matmul, transpose, zeros } from '../../src/linalg/matrix.js';
import { createRng } from '../../src/linalg/random.js';
import { symmetricEig } from '../../src/linalg/symmetric-eig.js';
import { circularConvolveRows, crystallize, makeKernel } from '../../src/embeddings/index.js';

/**
 * A small synthetic corpus with structure to embed: 48 words in 4 groups; the next word stays in
 * the current group with probability 0.8, so words of a group co-occur far more than chance.
 */
function syntheticCorpus(tokens: number, seed: number): { stats: CorpusStatistics; vocab: string[] } {
  const rng = createRng(seed);
  const groups = 4;
  const perGroup = 12;
  const words: string[] = [];
  let group = 0;
  for (let p = 0; p < tokens; p++) {
    if (rng.uniform() > 0.8) group = Math.floor(rng.uniform() * groups);
    words.push(`w${group}x${Math.floor(rng.uniform() * perGroup)}`);
  }
  const corpus = corpusFromText(words.join(' '), { vocabSize: 64, statTokens: tokens, validationTokens: 0 }, {
    name: 'synthetic',
    format: 'plain',
  });
  return { stats: computeStatistics(corpus, 16), vocab: corpus.vocab };
}

function isFiniteMatrix(m: Matrix): boolean {
  return m.data.every((x) => Number.isFinite(x));
}

/** Eigenvalues of E^T E, largest first. */
function gramEigenvalues(e: Matrix): Float64Array {
  return symmetricEig(matmul(transpose(e), e)).values;
}

describe('crystallize', () => {
  const { stats, vocab } = syntheticCorpus(6000, 5);

  it('returns finite (V, d) embeddings with unit RMS entries', () => {
    const result = crystallize(stats, { dModel: 8, seed: 1 });
    const V = stats.vocabSize;
    expect(V).toBe(49); // 48 words and the unknown token
    expect([result.embeddings.rows, result.embeddings.cols]).toEqual([V, 8]);
    expect([result.spectral.rows, result.spectral.cols]).toEqual([V, 8]);
    expect(result.kernel.length).toBe(8);
    expect(isFiniteMatrix(result.embeddings)).toBe(true);
    const ms = result.embeddings.data.reduce((s, x) => s + x * x, 0) / result.embeddings.data.length;
    expect(ms).toBeCloseTo(1, 12);
    expect(result.params.kernel).toBe('mobius');
    expect(result.params.window).toBe(2);
  });

  it('is the kernel step applied to the spectral embedding, up to the final scale', () => {
    const result = crystallize(stats, { dModel: 8, seed: 1 });
    const convolved = circularConvolveRows(result.spectral, makeKernel('mobius', 8));
    const scale = result.params.scale as number;
    for (let i = 0; i < convolved.data.length; i++) {
      expect(result.embeddings.data[i]).toBeCloseTo(scale * convolved.data[i], 10);
    }
  });

  it('is deterministic given the seed', () => {
    const a = crystallize(stats, { dModel: 8, seed: 42 });
    const b = crystallize(stats, { dModel: 8, seed: 42 });
    expect(Array.from(b.embeddings.data)).toEqual(Array.from(a.embeddings.data));
  });

  it('puts words of one group closer together than words of different groups', () => {
    const { embeddings } = crystallize(stats, { dModel: 8, seed: 1 });
    const row = (w: string) => {
      const id = vocab.indexOf(w);
      return embeddings.data.subarray(id * 8, id * 8 + 8);
    };
    const cos = (a: Float64Array, b: Float64Array) => {
      let ab = 0, aa = 0, bb = 0;
      for (let j = 0; j < a.length; j++) (ab += a[j] * b[j]), (aa += a[j] * a[j]), (bb += b[j] * b[j]);
      return ab / Math.sqrt(aa * bb);
    };
    let within = 0, across = 0;
    for (let g = 0; g < 4; g++) {
      within += cos(row(`w${g}x0`), row(`w${g}x1`));
      across += cos(row(`w${g}x0`), row(`w${(g + 1) % 4}x1`));
    }
    expect(within / 4).toBeGreaterThan(across / 4 + 0.3);
  });

  it('supports window 1, other kernels and widths that are not powers of two', () => {
    for (const opts of [
      { dModel: 12, seed: 1 },
      { dModel: 8, seed: 1, window: 1, kernel: 'gaussian' as const },
      { dModel: 8, seed: 1, kernel: 'identity' as const, alpha: 0 },
    ]) {
      const result = crystallize(stats, opts);
      expect([result.embeddings.rows, result.embeddings.cols]).toEqual([stats.vocabSize, opts.dModel]);
      expect(isFiniteMatrix(result.embeddings)).toBe(true);
    }
  });

  it('rejects options it cannot honour', () => {
    expect(() => crystallize(stats, { dModel: 8, seed: 1, window: 3 })).toThrow(/window/);
    expect(() => crystallize(stats, { dModel: 8, seed: 1, kernel: 'nope' as never })).toThrow(/kernel/);
    expect(() => crystallize(stats, { dModel: 1000, seed: 1 })).toThrow(/dModel/);
  });
});

describe('crystallize on the Brown Corpus', () => {
  // 400 words and d = 16: large enough that the eigensolver iterates rather than decomposing densely.
  const corpus = loadCorpus('brown', { vocabSize: 400, statTokens: 30_000, validationTokens: 0 });
  const stats = computeStatistics(corpus, 100);

  it('converges, stays finite and does not depend on the seed beyond the solver tolerance', () => {
    const a = crystallize(stats, { dModel: 16, seed: 1 });
    const b = crystallize(stats, { dModel: 16, seed: 2 });
    expect(a.params.eigenConverged).toBe('yes');
    expect(a.params.eigenIterations).toBeGreaterThan(0);
    expect(isFiniteMatrix(a.embeddings)).toBe(true);
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < a.embeddings.data.length; i++) {
      diff += (a.embeddings.data[i] - b.embeddings.data[i]) ** 2;
      norm += a.embeddings.data[i] ** 2;
    }
    expect(Math.sqrt(diff / norm)).toBeLessThan(1e-2);
  });
});

describe('the kernel step and paired spectra', () => {
  it('gives E^T E eigenvalues in equal pairs when D has orthogonal columns of equal norm', () => {
    // Orthonormal columns from the eigenvectors of a random symmetric matrix.
    const n = 40;
    const d = 16;
    const rng = createRng(9);
    const a = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = rng.normal();
    const { vectors } = symmetricEig(a);
    const flat = zeros(n, d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) flat.data[i * d + c] = vectors.data[i * n + c];

    const values = gramEigenvalues(circularConvolveRows(flat, makeKernel('mobius', d)));
    // Modes m and d - m share a gain: d/2 - 1 pairs plus the two unpaired modes 0 and d/2.
    const sorted = Array.from(values);
    let pairs = 0;
    for (let i = 0; i + 1 < sorted.length; i++) {
      if (Math.abs(sorted[i] - sorted[i + 1]) < 1e-9 * sorted[0]) {
        pairs++;
        i++;
      }
    }
    expect(pairs).toBe(d / 2 - 1);
  });

  it("shows the same exact pairs in crystallize's output under 'flat' weighting, and none without the kernel step", () => {
    const { stats } = syntheticCorpus(6000, 5);
    const countPairs = (values: Float64Array) => {
      let pairs = 0;
      for (let i = 0; i + 1 < values.length; i++) {
        if (Math.abs(values[i] - values[i + 1]) < 1e-9 * values[0]) (pairs++, i++);
      }
      return pairs;
    };
    const flat = crystallize(stats, { dModel: 8, seed: 1, weighting: 'flat' });
    expect(countPairs(gramEigenvalues(flat.embeddings))).toBe(3);
    const noKernel = crystallize(stats, { dModel: 8, seed: 1, kernel: 'identity' });
    expect(countPairs(gramEigenvalues(noKernel.embeddings))).toBe(0);
  });
});
