import { afterAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { bidiagonalSvd, LEAF_SIZE } from '../../src/linalg/bidiagonal-dc.js';
import { bidiagonalQR } from '../../src/linalg/bidiagonal-qr.js';
import { createRng } from '../../src/linalg/random.js';
import { limitThreads, warmUpThreads } from '../../src/linalg/parallel.js';

/** Relative errors of the divide-and-conquer SVD of the bidiagonal (d, e). */
function errors(d: Float64Array, e: Float64Array): { reconstruction: number; orthU: number; orthV: number; values: number; s: Float64Array } {
  const n = d.length;
  const r = bidiagonalSvd(d, e);
  // ||B - sum_i s_i u_i v_i^T||_F / ||B||_F, on B / max|B| (no overflow at huge scales)
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(d[i]), i < n - 1 ? Math.abs(e[i]) : 0);
  big ||= 1;
  let norm = 0;
  for (let i = 0; i < n; i++) norm += (d[i] / big) ** 2 + (i < n - 1 ? (e[i] / big) ** 2 : 0);
  norm = Math.sqrt(norm) || 1;
  let rec = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let x = (a === b ? d[a] : b === a + 1 ? e[a] : 0) / big;
      for (let i = 0; i < n; i++) x -= (r.s[i] / big) * r.ut[i * n + a] * r.vt[i * n + b];
      rec += x * x;
    }
  }
  const orth = (q: Float64Array): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let t = 0; t < n; t++) dot += q[i * n + t] * q[j * n + t];
        sum += (dot - (i === j ? 1 : 0)) ** 2;
      }
    }
    return Math.sqrt(sum);
  };
  // the QR iteration's values, for comparison (on B / max|B|, its working range)
  const s = d.map((x) => x / big);
  const f = e.map((x) => x / big);
  bidiagonalQR(s, f, null);
  const reference = Float64Array.from(s, (x) => Math.abs(x) * big).sort().reverse();
  let values = 0;
  for (let i = 0; i < n; i++) values = Math.max(values, Math.abs(r.s[i] - reference[i]));
  for (let i = 0; i < n; i++) {
    expect(r.s[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(r.s[i]).toBeLessThanOrEqual(r.s[i - 1]);
  }
  const scale = reference[0] || 1;
  return { reconstruction: Math.sqrt(rec) / norm, orthU: orth(r.ut), orthV: orth(r.vt), values: values / scale, s: r.s };
}

function expectAccurate(d: Float64Array, e: Float64Array): Float64Array {
  const r = errors(d, e);
  expect(r.reconstruction).toBeLessThan(1e-13);
  expect(r.orthU).toBeLessThan(1e-12);
  expect(r.orthV).toBeLessThan(1e-12);
  expect(r.values).toBeLessThan(1e-13);
  return r.s;
}

function uniform(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

describe('bidiagonalSvd (divide and conquer)', () => {
  afterAll(() => limitThreads(Infinity));

  it('random bidiagonals of every size 1..30 (leaves, then the first merges)', () => {
    for (let n = 1; n <= 30; n++) expectAccurate(uniform(n, n), uniform(n, 100 + n));
  });

  it('random bidiagonals with several levels of merges', () => {
    for (const n of [51, 77, 128, 200]) expectAccurate(uniform(n, 7 * n), uniform(n, 7 * n + 1));
  });

  it('the bidiagonal of a Gaussian matrix (values spread like chi variables)', () => {
    const n = 160;
    const rng = createRng(5);
    const d = Float64Array.from({ length: n }, (_, i) => Math.sqrt(n - i) * (1 + 0.1 * rng.uniform()));
    const e = Float64Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(1, n - i - 1)) * (1 + 0.1 * rng.uniform()));
    expectAccurate(d, e);
  });

  it('graded: d and e from 1 down to 1e-15', () => {
    const n = 120;
    const graded = Float64Array.from({ length: n }, (_, i) => 10 ** ((-15 * i) / (n - 1)));
    expectAccurate(graded, graded.slice());
    // and the reverse grading
    const reversed = graded.slice().reverse();
    expectAccurate(reversed, reversed.slice());
  });

  it('clustered values (d = 1 + 1e-14 i, tiny e): deflation of near-equal values', () => {
    const n = 90;
    const d = Float64Array.from({ length: n }, (_, i) => 1 + 1e-14 * i);
    const e = uniform(n, 3).map((x) => 1e-9 * x);
    expectAccurate(d, e);
  });

  it('zero singular values: zero diagonal entries, and the zero matrix', () => {
    const n = 80;
    const d = uniform(n, 11).map((x, i) => (i % 7 === 3 ? 0 : x));
    const s = expectAccurate(d, uniform(n, 12));
    expect(s[n - 1]).toBeLessThan(1e-14 * s[0]);
    const zero = bidiagonalSvd(new Float64Array(n), new Float64Array(n));
    expect(Array.from(zero.s).every((x) => x === 0)).toBe(true);
    expectAccurate(new Float64Array(n), new Float64Array(n));
  });

  it('exactly repeated values: a pair rotated together in the top merge, and d = const, e = 0', () => {
    // n = 61: the top merge's upper child is rows 0..29 (30 x 31), the lower rows 31..60. Row 29
    // is e_30^T (d[29] = 0, e[28] = 0, e[29] = 1) and row 31 is e_31^T (d[31] = 1, e[31] = 0):
    // both children have the singular value 1 with z != 0 (alpha = d[30], beta = e[30]), so the
    // merge rotates the two columns into one and deflates the other; 1 stays a singular value.
    const n = 61;
    const d = uniform(n, 21);
    const e = uniform(n, 22);
    d[29] = 0;
    e[28] = 0;
    e[29] = 1;
    d[31] = 1;
    e[31] = 0;
    d[30] = 0.5;
    e[30] = 0.7;
    const pair = expectAccurate(d, e);
    expect(Array.from(pair).some((x) => Math.abs(x - 1) < 1e-14)).toBe(true);
    // the constant bidiagonal d = e = 1 (distinct but smoothly spaced values)
    expectAccurate(new Float64Array(150).fill(1), new Float64Array(150).fill(1));
    // exactly repeated values with e = 0: every z vanishes
    const s = expectAccurate(new Float64Array(64).fill(2), new Float64Array(64));
    expect(Array.from(s).every((x) => x === 2)).toBe(true);
  });

  it('tiny and huge scales give the scaled values (down to 1e-300, below the QR iteration\'s own range)', () => {
    const n = 70;
    const d = uniform(n, 31);
    const e = uniform(n, 32);
    const reference = bidiagonalSvd(d, e).s;
    for (const factor of [1e-300, 1e-200, 1e200, 1e300]) {
      const s = expectAccurate(d.map((x) => x * factor), e.map((x) => x * factor));
      for (let i = 0; i < n; i++) expect(Math.abs(s[i] / factor - reference[i])).toBeLessThan(1e-13 * reference[0]);
    }
  });

  it('is deterministic and independent of the thread count', () => {
    const n = 4 * LEAF_SIZE * 4; // large enough for the parallel products of the top merges
    const d = uniform(n, 41);
    const e = uniform(n, 42);
    if (availableParallelism() > 1) warmUpThreads();
    limitThreads(Infinity);
    const parallel = bidiagonalSvd(d, e);
    limitThreads(1);
    const serial = bidiagonalSvd(d, e);
    limitThreads(Infinity);
    expect(Array.from(parallel.s)).toEqual(Array.from(serial.s));
    expect(Array.from(parallel.ut)).toEqual(Array.from(serial.ut));
    expect(Array.from(parallel.vt)).toEqual(Array.from(serial.vt));
    const again = bidiagonalSvd(d, e);
    expect(Array.from(again.ut)).toEqual(Array.from(serial.ut));
  });
});
