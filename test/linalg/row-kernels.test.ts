import { afterAll, describe, expect, it } from 'vitest';
import { type Matrix, transpose } from '../../src/linalg/matrix.js';
import { matmul } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { limitThreads, warmUpThreads } from '../../src/linalg/parallel.js';
import { RowSpace, type RowMatrix } from '../../src/linalg/row-kernels.js';

/** A (rows, cols) stored in a space with row stride ld >= cols (the rest of each row is garbage). */
function spaceWith(a: Matrix, ld: number, wasm: boolean): { space: RowSpace; m: RowMatrix } {
  const space = new RowSpace(a.rows * ld, a.rows, Math.max(a.cols, 40), wasm);
  for (let i = 0; i < a.rows; i++) {
    space.heap.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * ld);
    for (let j = a.cols; j < ld; j++) space.heap[i * ld + j] = 1e300; // never read
  }
  return { space, m: { offset: 0, ld, rows: a.rows, cols: a.cols } };
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

const m = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data });

describe('row kernels', () => {
  afterAll(() => limitThreads(Infinity));

  for (const [rows, cols] of [[7, 5], [130, 37], [1100, 300]]) {
    it(`match dense products, in wasm and JS alike and on any thread count (${rows}x${cols})`, () => {
      warmUpThreads();
      const a = gaussianMatrix(rows, cols, rows + cols);
      const at = transpose(a);
      const ld = cols + 3;
      const wasm = spaceWith(a, ld, true);
      const js = spaceWith(a, ld, false);
      for (const c of [1, 2, 3, 4, 5, 8, 9, 16, 21, 40]) {
        const x = gaussianMatrix(cols, c, c).data;
        const t = gaussianMatrix(rows, c, c + 1).data;
        const results = (s: { space: RowSpace; m: RowMatrix }) => {
          const w = Float64Array.from(t);
          s.space.forward(s.m, x, c, w);
          const w2 = Float64Array.from(t);
          const projected = s.space.project(s.m, x, c, w2);
          return [s.space.forward(s.m, x, c), w, s.space.transposed(s.m, t, c), s.space.gram(s.m, x, c), w2, projected];
        };
        const fromWasm = results(wasm);
        limitThreads(1);
        const serial = results(wasm);
        limitThreads(Infinity);
        const fromJs = results(js);
        // project = forward (subtract), then transposed on the updated W, bit for bit
        expect(Array.from(fromWasm[4])).toEqual(Array.from(fromWasm[1]));
        expect(Array.from(fromWasm[5])).toEqual(Array.from(wasm.space.transposed(wasm.m, fromWasm[1], c)));
        for (let r = 0; r < 6; r++) {
          expect(Array.from(fromWasm[r])).toEqual(Array.from(fromJs[r]));
          expect(Array.from(fromWasm[r])).toEqual(Array.from(serial[r]));
        }
        const ax = matmul(a, m(cols, c, x)).data;
        const scale = Math.sqrt(cols) * 5;
        expect(maxDiff(fromWasm[0], ax)).toBeLessThan(1e-13 * scale);
        const sub = Float64Array.from(t, (v, i) => v - ax[i]);
        expect(maxDiff(fromWasm[1], sub)).toBeLessThan(1e-13 * scale);
        expect(maxDiff(fromWasm[2], matmul(at, m(rows, c, t)).data)).toBeLessThan(1e-13 * Math.sqrt(rows) * 5);
        expect(maxDiff(fromWasm[3], matmul(at, m(rows, c, ax)).data)).toBeLessThan(1e-13 * scale * Math.sqrt(rows) * 25);
      }
      expect(wasm.space.usesWasm || process.env.LINALG_WASM === '0').toBe(true);
      expect(js.space.usesWasm).toBe(false);
    });
  }
});
