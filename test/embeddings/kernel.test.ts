import { describe, expect, it } from 'vitest';
import { fromRows, zeros } from '../../src/linalg/matrix.js';
import { createRng } from '../../src/linalg/random.js';
import {
  circularConvolveRows,
  circularConvolveRowsDirect,
  kernelGains,
  makeKernel,
  mobius,
} from '../../src/embeddings/kernel.js';

function randomMatrix(rows: number, cols: number, seed: number) {
  const rng = createRng(seed);
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('mobius', () => {
  it('matches the first values of the Möbius function', () => {
    const first = Array.from({ length: 12 }, (_, i) => mobius(i + 1));
    expect(first).toEqual([1, -1, -1, 0, -1, 1, -1, 0, 0, 1, -1, 0]);
    expect(mobius(30)).toBe(-1); // 2 * 3 * 5
    expect(mobius(49)).toBe(0);
  });
});

describe('makeKernel', () => {
  it('builds unit-norm kernels of the requested length', () => {
    for (const name of ['mobius', 'gaussian', 'identity'] as const) {
      const k = makeKernel(name, 64);
      expect(k.length).toBe(64);
      expect(Math.hypot(...k)).toBeCloseTo(1, 12);
    }
  });

  it('makes the Möbius kernel proportional to mu(n)/n', () => {
    const k = makeKernel('mobius', 16);
    for (let j = 0; j < 16; j++) expect(k[j] / k[0]).toBeCloseTo(mobius(j + 1) / (j + 1), 12);
  });

  it('makes a circularly symmetric Gaussian kernel', () => {
    const k = makeKernel('gaussian', 32, { gaussianWidth: 3 });
    for (let j = 1; j < 32; j++) expect(k[j]).toBeCloseTo(k[32 - j], 14);
    expect(k[0]).toBe(Math.max(...k));
  });
});

describe('circularConvolveRows', () => {
  it('agrees with the direct O(d^2) sum for power-of-two widths (FFT path)', () => {
    for (const d of [2, 4, 8, 64, 256]) {
      const x = randomMatrix(5, d, d);
      const k = makeKernel('mobius', d);
      const fast = circularConvolveRows(x, k);
      const direct = circularConvolveRowsDirect(x, k);
      expect(maxAbsDiff(fast.data, direct.data)).toBeLessThan(1e-12);
    }
  });

  it('falls back to the direct sum when d is not a power of two', () => {
    const x = randomMatrix(3, 12, 7);
    const k = makeKernel('gaussian', 12);
    expect(maxAbsDiff(circularConvolveRows(x, k).data, circularConvolveRowsDirect(x, k).data)).toBe(0);
  });

  it('computes a hand-checkable circular convolution', () => {
    // [1, 2, 3, 4] convolved with [0, 1, 0, 0] is a circular shift right by one.
    const x = fromRows([[1, 2, 3, 4]]);
    const shift = new Float64Array([0, 1, 0, 0]);
    expect(Array.from(circularConvolveRows(x, shift).data)).toEqual([4, 1, 2, 3]);
    // with [1, 1, 0, 0]: w[j] = x[j] + x[j - 1]
    const w = circularConvolveRows(x, new Float64Array([1, 1, 0, 0]));
    expect(Array.from(w.data).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([5, 3, 5, 7]);
  });

  it('rejects a kernel of the wrong length', () => {
    expect(() => circularConvolveRows(zeros(2, 8), new Float64Array(4))).toThrow(/kernel length/);
  });
});

describe('kernelGains', () => {
  it('gives the singular values of the circulant matrix, each m paired with d - m', () => {
    const d = 8;
    const k = makeKernel('mobius', d);
    // Rows of circ(k) are the identity convolved with k; its Gram matrix's eigenvalues are |fft(k)|^2.
    const identityRows = zeros(d, d);
    for (let i = 0; i < d; i++) identityRows.data[i * d + i] = 1;
    const circulant = circularConvolveRowsDirect(identityRows, k);
    const gains = kernelGains(k);
    // circ(k) applied to the Fourier mode m scales it by the gain: check ||C v||/||v|| for cos and sin.
    for (let m = 0; m <= d / 2; m++) {
      for (const phase of [0, Math.PI / 2]) {
        const v = Array.from({ length: d }, (_, j) => Math.cos((2 * Math.PI * m * j) / d + phase));
        const norm = Math.hypot(...v);
        if (norm < 1e-9) continue;
        const cv = Array.from({ length: d }, (_, j) => v.reduce((s, vi, i) => s + vi * circulant.data[i * d + j], 0));
        expect(Math.hypot(...cv) / norm).toBeCloseTo(gains[m], 10);
      }
    }
  });
});
