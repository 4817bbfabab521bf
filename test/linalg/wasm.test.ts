import { describe, expect, it } from 'vitest';
import { wasmKernels } from '../../src/linalg/wasm.js';
import { RotationLog, applyRotationsToColumns, applyRotationsToColumnsJs } from '../../src/linalg/rotations.js';
import { createRng, gaussianMatrix } from '../../src/linalg/random.js';

describe('wasm kernels', () => {
  it('compile on this Node (WebAssembly SIMD128)', () => {
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
});
