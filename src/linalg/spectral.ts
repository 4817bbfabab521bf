/**
 * Spectral statistics over singular values (or any non-negative spectrum) and a few vector
 * statistics that the analyses share. Definitions follow DESIGN.md "Interpretations":
 * p_i = s_i / sum(s) over values sorted descending; effective rank = exp(entropy of p);
 * participation ratio = (sum s^2)^2 / sum s^4; top-k energy = sum of the k largest s^2 / total.
 */
import { type Matrix, transpose } from './matrix.js';
import { matmulFast } from './kernels.js';
import { singularValues } from './svd.js';

export type Vector = Float64Array | readonly number[];

function sortedDescending(s: Vector): Float64Array {
  return Float64Array.from(s).sort().reverse();
}

function absSortedDescending(s: Vector): Float64Array {
  return Float64Array.from(s, Math.abs).sort().reverse();
}

function sumOf(x: Vector, f: (v: number) => number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += f(x[i]);
  return total;
}

/** (sum s^2)^2 / sum s^4: the number of components that carry the energy; 1 <= PR <= n. */
export function participationRatio(s: Vector): number {
  const s2 = sumOf(s, (v) => v * v);
  const s4 = sumOf(s, (v) => v * v * v * v);
  return s4 === 0 ? 0 : (s2 * s2) / s4;
}

/** p_i = s_i / sum(s) over the values sorted descending (a probability vector). */
export function spectralProfile(s: Vector): Float64Array {
  const sorted = sortedDescending(s);
  const total = sumOf(sorted, Math.abs);
  if (total === 0) return sorted; // all zeros: no mass to distribute
  return sorted.map((v) => Math.abs(v) / total);
}

/** exp(-sum p_i log p_i) of the spectral profile (0 log 0 = 0); between 1 and n. */
export function effectiveRank(s: Vector): number {
  const p = spectralProfile(s);
  let entropy = 0;
  for (const pi of p) if (pi > 0) entropy -= pi * Math.log(pi);
  return Math.exp(entropy);
}

/** Share of the total energy sum s^2 held by the k largest values. */
export function topKEnergy(s: Vector, k: number): number {
  const sorted = absSortedDescending(s);
  const total = sumOf(sorted, (v) => v * v);
  if (total === 0) return 0;
  let top = 0;
  for (let i = 0; i < Math.min(k, sorted.length); i++) top += sorted[i] * sorted[i];
  return top / total;
}

/** Smallest number of leading components whose s^2 reach `fraction` of the total energy. */
export function energyDims(s: Vector, fraction: number): number {
  const sorted = absSortedDescending(s);
  const total = sumOf(sorted, (v) => v * v);
  if (total === 0) return 0;
  let running = 0;
  for (let i = 0; i < sorted.length; i++) {
    running += sorted[i] * sorted[i];
    // A relative slack so that fraction = 1 is reached despite rounding in the running sum.
    if (running >= fraction * total * (1 - 1e-12)) return i + 1;
  }
  return sorted.length;
}

/** Guard added to every probability in klDivergence so that a zero in q does not give Infinity. */
export const KL_EPSILON = 1e-12;

/**
 * KL(p || q) = sum p_i log(p_i / q_i) in nats. p and q are compared index by index (pass two
 * spectral profiles of the same length); both are renormalized after adding KL_EPSILON to every
 * entry, which changes a finite result by O(n * 1e-12) and keeps a zero q_i finite.
 */
export function klDivergence(p: Vector, q: Vector): number {
  if (p.length !== q.length) throw new Error(`klDivergence: lengths ${p.length} and ${q.length} differ`);
  const pTotal = sumOf(p, (v) => v + KL_EPSILON);
  const qTotal = sumOf(q, (v) => v + KL_EPSILON);
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] + KL_EPSILON) / pTotal;
    const qi = (q[i] + KL_EPSILON) / qTotal;
    kl += pi * Math.log(pi / qi);
  }
  return kl;
}

/**
 * Expected singular values (descending, length min(rows, cols)) of a rows x cols matrix with
 * i.i.d. N(0, 1) entries, from the Marchenko-Pastur law: with N = max, n = min and c = n / N,
 * the eigenvalues x of W^T W / N follow the density sqrt((b - x)(x - a)) / (2 pi c x) on
 * [a, b] = [(1 - sqrt c)^2, (1 + sqrt c)^2]. The i-th largest singular value is taken at the
 * mid-point quantile: s_i = sqrt(N * F^-1(1 - (i - 1/2) / n)). F is integrated numerically
 * after substituting x = a + (b - a)(1 - cos t) / 2, which removes the square-root endpoints
 * (and the 1/sqrt(x) pole when c = 1), so a trapezoid rule on t is accurate to ~1e-8.
 * Deterministic; for finite n the true expectations differ at the edges by O(n^(-2/3)).
 */
export function marchenkoPasturReference(rows: number, cols: number): Float64Array {
  const N = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  if (n === 0) return new Float64Array(0);
  const c = n / N;
  const a = (1 - Math.sqrt(c)) ** 2;
  const b = (1 + Math.sqrt(c)) ** 2;
  const half = (b - a) / 2;
  const xAt = (t: number): number => a + half * (1 - Math.cos(t));
  // density(x) dx in terms of t: half^2 sin^2 t / (2 pi c x(t)) dt
  const integrand = (t: number): number => {
    const x = xAt(t);
    const sin = Math.sin(t);
    if (x === 0) return half * half / (2 * Math.PI * c * half); // limit at t = 0 when a = 0
    return (half * half * sin * sin) / (2 * Math.PI * c * x);
  };
  const steps = 20000;
  const cdf = new Float64Array(steps + 1);
  const dt = Math.PI / steps;
  let previous = integrand(0);
  for (let k = 1; k <= steps; k++) {
    const current = integrand(k * dt);
    cdf[k] = cdf[k - 1] + 0.5 * (previous + current) * dt;
    previous = current;
  }
  const total = cdf[steps]; // 1 up to quadrature error; normalize so quantiles are exact in t
  const result = new Float64Array(n);
  let k = 0;
  for (let i = n - 1; i >= 0; i--) {
    // ascending quantile for the (i+1)-th largest value
    const q = ((n - i - 0.5) / n) * total;
    while (k < steps && cdf[k + 1] < q) k++;
    const frac = (q - cdf[k]) / (cdf[k + 1] - cdf[k] || 1);
    const x = xAt((k + frac) * dt);
    result[i] = Math.sqrt(N * x);
  }
  return result;
}

/** Arithmetic mean; NaN for an empty vector. */
export function mean(xs: Vector): number {
  return sumOf(xs, (v) => v) / xs.length;
}

/** Pearson correlation coefficient; NaN when either vector is constant. */
export function pearson(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new Error(`pearson: lengths ${a.length} and ${b.length} differ`);
  const n = a.length;
  const meanA = sumOf(a, (v) => v) / n;
  const meanB = sumOf(b, (v) => v) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - meanA;
    const db = b[i] - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Cosine similarity a.b / (|a| |b|); NaN when either vector is zero. */
export function cosine(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths ${a.length} and ${b.length} differ`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/**
 * Principal angles (radians, ascending) between the column spaces of U1 (n, k1) and U2 (n, k2),
 * both with orthonormal columns: acos of the singular values of U1^T U2. min(k1, k2) angles.
 * Angles below ~1e-8 are not resolved (acos near 1 loses half the digits).
 */
export function subspaceAngles(u1: Matrix, u2: Matrix): Float64Array {
  if (u1.rows !== u2.rows) throw new Error(`subspaceAngles: ${u1.rows} and ${u2.rows} rows differ`);
  const overlap = matmulFast(transpose(u1), u2); // (k1, k2)
  const cosines = singularValues(overlap); // descending, so the angles come out ascending
  return cosines.map((c) => Math.acos(Math.min(1, Math.max(-1, c))));
}

/** sum |Re lambda| / sum |lambda| over eigenvalues given as real and imaginary parts. */
export function realEigenvalueMass(re: Vector, im: Vector): number {
  if (re.length !== im.length) throw new Error('realEigenvalueMass: re and im lengths differ');
  let real = 0;
  let total = 0;
  for (let i = 0; i < re.length; i++) {
    real += Math.abs(re[i]);
    total += Math.hypot(re[i], im[i]);
  }
  return total === 0 ? 0 : real / total;
}

/**
 * Two-sided p-value of a Pearson correlation r over n pairs: t = r sqrt((n-2)/(1-r^2)) has a
 * Student t distribution with n - 2 degrees of freedom under the null, and
 * P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2) (regularized incomplete beta).
 */
export function pearsonPValue(r: number, n: number): number {
  if (n < 3) throw new Error(`pearsonPValue: needs at least 3 pairs, got ${n}`);
  if (Number.isNaN(r)) return NaN;
  const df = n - 2;
  const r2 = Math.min(1, r * r);
  if (r2 === 1) return 0;
  // df / (df + t^2) with t^2 = df r^2 / (1 - r^2) simplifies to 1 - r^2.
  return regularizedIncompleteBeta(1 - r2, df / 2, 0.5);
}

/** ln Gamma(x) for x > 0 (Lanczos approximation, g = 7, ~15 digits). */
export function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = coefficients[0];
  for (let i = 1; i < 9; i++) sum += coefficients[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz), using the
 * symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    // even step
    let numerator = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    fraction *= d * c;
    // odd step
    numerator = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (Math.exp(logFront) * fraction) / a;
}
