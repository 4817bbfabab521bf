import { describe, expect, it } from 'vitest';
import { fromRows, transpose, zeros } from '../../src/linalg/matrix.js';
import { gaussianMatrix } from '../../src/linalg/random.js';
import { singularValues, svd } from '../../src/linalg/svd.js';
import { householderQR, thinQ, upperTriangle } from '../../src/linalg/qr.js';
import { matmulFast } from '../../src/linalg/kernels.js';
import { maxAbsDiff, orthogonalityError, reconstructionError, withSingularValues } from './helpers.js';

const TOL = 1e-10;

function expectValidSvd(a: ReturnType<typeof gaussianMatrix>): ReturnType<typeof svd> {
  const r = svd(a);
  const k = Math.min(a.rows, a.cols);
  expect(r.U.rows).toBe(a.rows);
  expect(r.U.cols).toBe(k);
  expect(r.V.rows).toBe(a.cols);
  expect(r.V.cols).toBe(k);
  expect(r.S.length).toBe(k);
  for (let i = 1; i < k; i++) expect(r.S[i]).toBeLessThanOrEqual(r.S[i - 1]);
  expect(r.S[k - 1]).toBeGreaterThanOrEqual(0);
  expect(reconstructionError(a, r.U, r.S, r.V)).toBeLessThan(TOL);
  expect(orthogonalityError(r.U)).toBeLessThan(TOL);
  expect(orthogonalityError(r.V)).toBeLessThan(TOL);
  return r;
}

describe('svd', () => {
  // square, slightly tall (direct bidiagonalization), tall (QR first), wide (transpose), tiny
  for (const [m, n] of [[60, 60], [70, 50], [150, 130], [200, 40], [40, 130], [1, 1], [1, 5], [5, 1], [2, 2]]) {
    it(`decomposes a Gaussian ${m}x${n} matrix`, () => {
      const a = gaussianMatrix(m, n, m * 31 + n);
      const r = expectValidSvd(a);
      expect(maxAbsDiff(singularValues(a), r.S)).toBeLessThan(1e-12 * r.S[0]);
    });
  }

  for (const [m, n] of [[80, 80], [150, 40], [40, 90]]) {
    it(`keeps U, V orthogonal and recovers the values at condition number 1e12 (${m}x${n})`, () => {
      const k = Math.min(m, n);
      const s = Array.from({ length: k }, (_, i) => 10 ** (-12 * i / (k - 1)));
      const a = withSingularValues(m, n, s, 7);
      const r = expectValidSvd(a);
      // Backward stability: absolute errors ~ eps * sigma_max, so only compare absolutely.
      expect(maxAbsDiff(r.S, s)).toBeLessThan(1e-13);
    });
  }

  it('finds a known diagonal spectrum, sorted, with signs moved into the vectors', () => {
    const a = fromRows([
      [0, 0, -3],
      [0, 5, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    const r = expectValidSvd(a);
    expect(maxAbsDiff(r.S, [5, 3, 1])).toBeLessThan(1e-15);
  });

  it('handles rank deficiency and repeated values', () => {
    const s = [4, 4, 4, 2, 2, 0, 0, 0];
    const a = withSingularValues(30, 20, s, 3); // rank 5 of 20
    const r = expectValidSvd(a);
    const expected = [...s, ...new Array(12).fill(0)];
    expect(maxAbsDiff(r.S, expected)).toBeLessThan(1e-13);
  });

  it('handles the zero matrix', () => {
    const r = expectValidSvd(zeros(6, 4) as ReturnType<typeof gaussianMatrix>);
    expect(Array.from(r.S)).toEqual([0, 0, 0, 0]);
  });

  it('gives the transposed factors for the transpose', () => {
    const a = gaussianMatrix(30, 12, 5);
    expect(maxAbsDiff(svd(transpose(a)).S, svd(a).S)).toBeLessThan(1e-12);
  });
});

describe('svd at 1e-12', () => {
  // Every path (direct, QR first, TSQR, transpose) and the wasm kernels' edges (odd widths,
  // several 32-column panels): ||A - U S V^T|| / ||A|| and ||U^T U - I||, ||V^T V - I|| < 1e-12.
  const STRICT = 1e-12;
  function expectStrict(a: ReturnType<typeof gaussianMatrix>): ReturnType<typeof svd> {
    const r = svd(a);
    expect(reconstructionError(a, r.U, r.S, r.V)).toBeLessThan(STRICT);
    expect(orthogonalityError(r.U)).toBeLessThan(STRICT);
    expect(orthogonalityError(r.V)).toBeLessThan(STRICT);
    for (let i = 1; i < r.S.length; i++) expect(r.S[i]).toBeLessThanOrEqual(r.S[i - 1]);
    return r;
  }
  const scaled = (a: ReturnType<typeof gaussianMatrix>, factor: number) => ({ ...a, data: a.data.map((x) => x * factor) });

  for (const [m, n] of [[161, 161], [201, 150], [400, 97], [1000, 60], [97, 233], [1, 200], [200, 1], [1, 1]]) {
    it(`Gaussian ${m}x${n}`, () => {
      const a = gaussianMatrix(m, n, 3 * m + n);
      const r = expectStrict(a);
      expect(maxAbsDiff(singularValues(a), r.S)).toBeLessThan(1e-12 * r.S[0]);
    });
  }

  it('rank-deficient, repeated and graded spectra (161x131)', () => {
    const k = 131;
    const rankDeficient = Array.from({ length: k }, (_, i) => (i < 40 ? 1 + (i % 3) : 0));
    const graded = Array.from({ length: k }, (_, i) => 10 ** (-15 * i / (k - 1)));
    for (const s of [rankDeficient, graded]) {
      const a = withSingularValues(161, k, s, 4);
      const r = expectStrict(a);
      expect(maxAbsDiff(r.S, [...s].sort((x, y) => y - x))).toBeLessThan(1e-13);
    }
  });

  it('tiny and huge scales (1e-150, 1e150) give the scaled factorization', () => {
    const a = gaussianMatrix(90, 70, 8);
    const reference = svd(a).S;
    for (const factor of [1e-150, 1e150]) {
      const r = expectStrict(scaled(a, factor));
      expect(maxAbsDiff(r.S.map((x) => x / factor), reference)).toBeLessThan(1e-12 * reference[0]);
    }
  });

  it('zero matrices of every orientation', () => {
    for (const [m, n] of [[70, 70], [150, 40], [40, 150], [1, 9], [9, 1]]) {
      const r = svd(zeros(m, n));
      expect(Array.from(r.S).every((x) => x === 0)).toBe(true);
      expect(orthogonalityError(r.U)).toBeLessThan(STRICT);
      expect(orthogonalityError(r.V)).toBeLessThan(STRICT);
    }
  });
});

describe('householderQR', () => {
  it('factors A = Q R with orthonormal Q and upper-triangular R, across several panels', () => {
    const a = gaussianMatrix(150, 70, 11); // 70 columns = three panels of 32
    const qr = householderQR(a);
    const q = thinQ(qr);
    const r = upperTriangle(qr);
    expect(orthogonalityError(q)).toBeLessThan(TOL);
    const qrProduct = matmulFast(q, r);
    expect(maxAbsDiff(qrProduct.data, a.data)).toBeLessThan(1e-12);
    for (let i = 0; i < 70; i++) for (let j = 0; j < i; j++) expect(r.data[i * 70 + j]).toBe(0);
  });
});

describe('products', () => {
  it('matmulFast, matmulTransA, matmulTransB and matmulTransASymmetric agree with the textbook product', async () => {
    const { matmul } = await import('../../src/linalg/matrix.js');
    const { matmulTransA, matmulTransB, matmulTransASymmetric } = await import('../../src/linalg/kernels.js');
    const a = gaussianMatrix(150, 70, 1); // sizes that leave edges in the 4x4 blocking
    const b = gaussianMatrix(70, 43, 2);
    const reference = matmul(a, b);
    expect(maxAbsDiff(matmulFast(a, b).data, reference.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmulTransA(transpose(a), b).data, reference.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmulTransB(a, transpose(b)).data, reference.data)).toBeLessThan(1e-12);
    // Q^T (S Q) for symmetric S is symmetric
    const g = gaussianMatrix(90, 90, 3);
    const s = matmul(g, transpose(g));
    const q = gaussianMatrix(90, 70, 4);
    const sq = matmul(s, q);
    const full = matmul(transpose(q), sq);
    const half = matmulTransASymmetric(q, sq);
    expect(maxAbsDiff(half.data, full.data)).toBeLessThan(1e-9 * Math.max(...full.data.map(Math.abs)));
    expect(half.data[3 * 70 + 65]).toBe(half.data[65 * 70 + 3]);
  });
});
