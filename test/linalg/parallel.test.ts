import { afterAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { svd } from '../../src/linalg/svd.js';
import { matmulFast, matmulTransA } from '../../src/linalg/kernels.js';
import { availableThreads, limitThreads, warmUpThreads } from '../../src/linalg/parallel.js';
import { orthogonalityError, reconstructionError } from './helpers.js';

const canThread = availableParallelism() > 1 && process.env.LINALG_THREADS !== '1';

describe('thread pool', () => {
  afterAll(() => limitThreads(Infinity));

  it.runIf(canThread)('starts workers', () => {
    expect(warmUpThreads()).toBeGreaterThan(1);
    expect(availableThreads()).toBeGreaterThan(1);
  });

  // Each threaded product copies its operands into fresh shared memory (41 MB here); the workers
  // must let go of it, or 40 products keep 1.6 GB alive.
  it.runIf(canThread)('does not keep the shared copies of operands alive', async () => {
    warmUpThreads();
    const a = gaussianMatrix(20_000, 128, 1);
    const b = gaussianMatrix(20_000, 128, 2);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 40; i++) {
      matmulTransA(a, b);
      if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 0)); // let the workers run their messages
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(600e6);
  }, 60_000);

  // direct bidiagonalization, QR first, and TSQR (m >= 8n): all parallel paths
  for (const [m, n] of [[300, 250], [600, 200], [1000, 100]]) {
    it(`gives bit-identical SVDs on one thread and on all of them (${m}x${n})`, () => {
      warmUpThreads();
      const a = gaussianMatrix(m, n, m + n);
      limitThreads(Infinity);
      const parallel = svd(a);
      limitThreads(1);
      const serial = svd(a);
      limitThreads(Infinity);
      expect(Array.from(parallel.S)).toEqual(Array.from(serial.S));
      expect(Array.from(parallel.U.data)).toEqual(Array.from(serial.U.data));
      expect(Array.from(parallel.V.data)).toEqual(Array.from(serial.V.data));
      expect(reconstructionError(a, parallel.U, parallel.S, parallel.V)).toBeLessThan(1e-10);
      expect(orthogonalityError(parallel.U)).toBeLessThan(1e-10);
    });
  }

  it('gives bit-identical products', () => {
    warmUpThreads();
    const a = gaussianMatrix(203, 300, 1);
    const b = gaussianMatrix(300, 97, 2);
    const parallel = matmulFast(a, b);
    limitThreads(1);
    const serial = matmulFast(a, b);
    limitThreads(Infinity);
    expect(Array.from(parallel.data)).toEqual(Array.from(serial.data));
  });
});
