/**
 * Eigenvalues of a dense NON-symmetric real matrix: Householder reduction to upper Hessenberg
 * form, then Francis double-shift QR iterations (EISPACK orthes + hqr, following JAMA's port).
 * Complex eigenvalues come in conjugate pairs (re, +im), (re, -im), positive imaginary part first.
 * Values only; no balancing, so accuracy is ~1e-15 * ||A|| in absolute terms.
 */
import { type Matrix } from './matrix.js';

export interface Eigenvalues {
  re: Float64Array;
  im: Float64Array;
}

export function eigenvalues(a: Matrix): Eigenvalues {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`eigenvalues: matrix is ${a.rows}x${a.cols}, expected square`);
  const h = Float64Array.from(a.data); // (n, n) row-major working copy
  reduceToHessenberg(h, n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  hessenbergQR(h, n, re, im);
  return { re, im };
}

/** Householder similarity transformations, column by column (EISPACK orthes). */
function reduceToHessenberg(h: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  for (let m = 1; m < n - 1; m++) {
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(h[i * n + m - 1]);
    if (scale === 0) continue;
    let norm2 = 0;
    for (let i = n - 1; i >= m; i--) {
      ort[i] = h[i * n + m - 1] / scale;
      norm2 += ort[i] * ort[i];
    }
    let g = Math.sqrt(norm2);
    if (ort[m] > 0) g = -g;
    norm2 -= ort[m] * g;
    ort[m] -= g;

    // H <- (I - u u^T / h) H (I - u u^T / h)
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = n - 1; i >= m; i--) f += ort[i] * h[i * n + j];
      f /= norm2;
      for (let i = m; i < n; i++) h[i * n + j] -= f * ort[i];
    }
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let f = 0;
      for (let j = n - 1; j >= m; j--) f += ort[j] * h[row + j];
      f /= norm2;
      for (let j = m; j < n; j++) h[row + j] -= f * ort[j];
    }
    ort[m] *= scale;
    h[m * n + m - 1] = scale * g;
  }
}

/** Francis double-shift QR on the Hessenberg matrix (EISPACK hqr, values only). */
function hessenbergQR(H: Float64Array, nn: number, d: Float64Array, e: Float64Array): void {
  const at = (i: number, j: number): number => H[i * nn + j];
  const set = (i: number, j: number, v: number): void => {
    H[i * nn + j] = v;
  };
  let n = nn - 1;
  const low = 0;
  const eps = Number.EPSILON;
  let exshift = 0;
  let p = 0, q = 0, r = 0, s = 0, z = 0;
  let w: number, x: number, y: number;

  // Matrix norm, for the negligibility tests.
  let norm = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(at(i, j));

  let iter = 0;
  let totalIter = 0;
  while (n >= low) {
    // Look for a single small sub-diagonal element.
    let l = n;
    while (l > low) {
      s = Math.abs(at(l - 1, l - 1)) + Math.abs(at(l, l));
      if (s === 0) s = norm;
      if (Math.abs(at(l, l - 1)) < eps * s) break;
      l--;
    }

    if (l === n) {
      // One root found.
      set(n, n, at(n, n) + exshift);
      d[n] = at(n, n);
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // Two roots found.
      w = at(n, n - 1) * at(n - 1, n);
      p = (at(n - 1, n - 1) - at(n, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      set(n, n, at(n, n) + exshift);
      set(n - 1, n - 1, at(n - 1, n - 1) + exshift);
      x = at(n, n);
      if (q >= 0) {
        // Real pair.
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = z !== 0 ? x - w / z : d[n - 1];
        e[n - 1] = 0;
        e[n] = 0;
      } else {
        // Complex pair.
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      // No convergence yet: form the shift.
      x = at(n, n);
      y = 0;
      w = 0;
      if (l < n) {
        y = at(n - 1, n - 1);
        w = at(n, n - 1) * at(n - 1, n);
      }
      // Wilkinson's original ad hoc shift.
      if (iter === 10) {
        exshift += x;
        for (let i = low; i <= n; i++) set(i, i, at(i, i) - x);
        s = Math.abs(at(n, n - 1)) + Math.abs(at(n - 1, n - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      // MATLAB's new ad hoc shift.
      if (iter === 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) set(i, i, at(i, i) - s);
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      if (++totalIter > 100 * nn) throw new Error('eigenvalues: Hessenberg QR did not converge');

      // Look for two consecutive small sub-diagonal elements.
      let m = n - 2;
      while (m >= l) {
        z = at(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / at(m + 1, m) + at(m, m + 1);
        q = at(m + 1, m + 1) - z - r - s;
        r = at(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(at(m, m - 1)) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(at(m - 1, m - 1)) + Math.abs(z) + Math.abs(at(m + 1, m + 1))))
        ) {
          break;
        }
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        set(i, i - 2, 0);
        if (i > m + 2) set(i, i - 3, 0);
      }

      // Double QR step on rows l..n and columns m..n.
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = at(k, k - 1);
          q = at(k + 1, k - 1);
          r = notlast ? at(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) set(k, k - 1, -s * x);
          else if (l !== m) set(k, k - 1, -at(k, k - 1));
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          // Row modification (columns k..nn-1).
          for (let j = k; j < nn; j++) {
            p = at(k, j) + q * at(k + 1, j);
            if (notlast) {
              p += r * at(k + 2, j);
              set(k + 2, j, at(k + 2, j) - p * z);
            }
            set(k, j, at(k, j) - p * x);
            set(k + 1, j, at(k + 1, j) - p * y);
          }
          // Column modification (rows 0..min(n, k+3)).
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * at(i, k) + y * at(i, k + 1);
            if (notlast) {
              p += z * at(i, k + 2);
              set(i, k + 2, at(i, k + 2) - p * r);
            }
            set(i, k, at(i, k) - p);
            set(i, k + 1, at(i, k + 1) - p * q);
          }
        }
      }
    }
  }
}
