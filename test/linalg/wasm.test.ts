import { describe, expect, it } from 'vitest';
import { wasmKernels } from '../../src/linalg/wasm.js';
import { RotationLog, applyRotationsToColumns, applyRotationsToColumnsJs } from '../../src/linalg/rotations.js';
import { createRng, gaussianMatrix } from '../../src/linalg/random.js';
import { gemmNT } from '../../src/linalg/gemm.js';

describe('wasm kernels', () => {
  it.skipIf(process.env.LINALG_WASM === '0')('compile on this Node (WebAssembly SIMD128)', () => {
    expect(wasmKernels()).not.toBeNull();
  });

  it('apply rotation chains and single rotations bit-identically to the JS loops', () => {
    const rows = 90;
    const cols = 77;
    const rng = createRng(5);
    const log = new RotationLog();
    for (let sweep = 0; sweep < 60; sweep++) {
      const k = Math.floor(rng.uniform() * (rows - 2));
      const p = k + 1 + Math.floor(rng.uniform() * (rows - 1 - k));
      for (let j = k; j < p; j++) {
        const t = 6.3 * rng.uniform();
        log.push(j, j + 1, Math.cos(t), Math.sin(t));
      }
      if (sweep % 7 === 0) log.push(2, 40 + sweep % 30, 0.6, 0.8); // kase 1 / 2 style single rotations
    }
    const r = log.arrays();
    const a = gaussianMatrix(rows, cols, 9).data;
    const expected = Float64Array.from(a);
    applyRotationsToColumnsJs(r, expected, cols, 0, cols);
    // column ranges of odd and even widths, narrower and wider than the 8-column blocks
    const actual = Float64Array.from(a);
    for (const [c0, c1] of [[0, 1], [1, 10], [10, 11], [11, 44], [44, 77]]) applyRotationsToColumns(r, actual, cols, c0, c1);
    expect(Array.from(actual)).toEqual(Array.from(expected));
  });

  // m, n, k with edges in every blocking (4-row panels, 4-column blocks, 128/256 blocks, k chunks),
  // and skinny A with long k (computed as C^T += B A^T)
  for (const [m, n, k] of [[5, 9, 400], [37, 29, 45], [130, 270, 33], [261, 10, 256], [33, 300, 700], [9, 6, 900]]) {
    it(`computes gemmNT bit-identically to the in-order dot products (${m}x${n}, k = ${k})`, () => {
      const lda = k + 3;
      const ldb = k + 5;
      const ldc = n + 1;
      const a = gaussianMatrix(m, lda, 1).data;
      const b = gaussianMatrix(n, ldb, 2).data;
      const c = gaussianMatrix(m, ldc, 3).data;
      const expected = Float64Array.from(c);
      // C += alpha (sum over each 256-long chunk of k, in order)
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          for (let p0 = 0; p0 < k; p0 += 256) {
            let sum = 0;
            for (let p = p0; p < Math.min(k, p0 + 256); p++) sum += a[1 + i * lda + p] * b[2 + j * ldb + p];
            expected[i * ldc + j] += -0.5 * sum;
          }
        }
      }
      gemmNT(m, n, k, -0.5, a, 1, lda, b, 2, ldb, 1, c, 0, ldc);
      expect(Array.from(c)).toEqual(Array.from(expected));
    });
  }
});
