/**
 * Implicit-shift Golub-Kahan QR on an upper bidiagonal matrix (the LINPACK dsvdc iteration, as
 * in JAMA). svd.ts uses it for singular values alone; bidiagonal-dc.ts uses it, with the
 * rotations recorded, for the small leaf problems of divide and conquer.
 */
import { type RotationLog } from './rotations.js';

/**
 * sqrt(a^2 + b^2) to within an ulp or so. Math.hypot takes any number of arguments and is several
 * times slower in V8; the bidiagonal QR calls this twice per rotation. Outside the range where the
 * squares can neither overflow nor lose everything to underflow it defers to Math.hypot.
 */
function hypot(a: number, b: number): number {
  const sum = a * a + b * b;
  return sum > 1e-290 && sum < 1e290 ? Math.sqrt(sum) : Math.hypot(a, b);
}

/**
 * Implicit-shift QR on the upper bidiagonal (s, e) until e vanishes (LINPACK dsvdc as in JAMA):
 * find negligible elements, deflate or split, otherwise chase a bulge with the Wilkinson-like
 * shift from the trailing 2x2 of B^T B. s ends up holding signed singular values, unsorted.
 */
export function bidiagonalQR(s: Float64Array, e: Float64Array, log: { left: RotationLog; right: RotationLog } | null): void {
  const n = s.length;
  const eps = Number.EPSILON;
  const tiny = 2 ** -966;
  let p = n;
  let sweeps = 0;
  e[n - 1] = 0;
  while (p > 0) {
    if (++sweeps > 100 * n + 100) throw new Error('svd: bidiagonal QR did not converge');
    // Largest k < p - 1 with negligible e[k] (or -1).
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    let kase: 1 | 2 | 3 | 4;
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    if (kase === 1) {
      // s[p-1] is negligible: chase e[p-2] up and out with rotations from the right.
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypot(s[j], f);
        const cs = t === 0 ? 1 : s[j] / t;
        const sn = t === 0 ? 0 : f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        log?.right.push(j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // s[k-1] is negligible: split, chasing e[k-1] along the row with rotations from the left.
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypot(s[j], f);
        const cs = t === 0 ? 1 : s[j] / t;
        const sn = t === 0 ? 0 : f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
        log?.left.push(j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // One QR step on the block k..p-1 with a shift from its trailing 2x2.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot(f, g);
        let cs = t === 0 ? 1 : f / t;
        let sn = t === 0 ? 0 : g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        log?.right.push(j, j + 1, cs, sn);
        t = hypot(f, g);
        cs = t === 0 ? 1 : f / t;
        sn = t === 0 ? 0 : g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        log?.left.push(j, j + 1, cs, sn);
      }
      e[p - 2] = f;
    } else {
      // s[p-1] has converged.
      p--;
    }
  }
}
