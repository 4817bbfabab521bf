/**
 * Singular value decomposition of an upper bidiagonal matrix B = U diag(s) V^T by divide and
 * conquer (Gu and Eisenstat 1995; the method of LAPACK's dbdsdc / dlasd0..dlasd4), written anew.
 *
 * Why: the implicit-shift QR iteration (bidiagonal-qr.ts) needs about n^2 Givens rotations, and
 * applying them to the 2n singular vectors costs ~12 n^3 flops of level-1 work. Divide and
 * conquer does most of its work in a few matrix products (gemm.ts), which run several times
 * faster per flop, and deflation often removes much of that work as well.
 *
 * The recursion. A node is a k x (k + sqre) upper bidiagonal block (sqre = 0 or 1: square, or
 * one extra column to the right). Its middle row nl splits it:
 *
 *        [ B1          0  ]     B1: nl x (nl + 1)            (a node with sqre = 1)
 *   B =  [ alpha e^T  beta f^T]  row nl: alpha = d[nl] in column nl, beta = e[nl] in column nl+1
 *        [ 0          B2  ]     B2: nr x (nr + sqre), nr = k - nl - 1
 *
 * With B1 = U1 [D1 0] V1^T and B2 = U2 [D2 0] V2^T (recursively; blocks of at most LEAF_SIZE rows
 * use the QR iteration), diag(U1, 1, U2)^T B diag(V1, V2) is, after permuting rows and columns,
 * the "broken arrow"
 *
 *   M = [ z_0  z_1 ... z_{k-1} ]    z = (alpha * last row of V1, beta * first row of V2);
 *       [      d_1             ]    d_1.. = the singular values of B1 and B2, d_0 = 0;
 *       [           ...        ]    V1's null column and (if sqre) V2's are rotated into one
 *       [              d_{k-1} ]    column 0, the other becomes the node's own null column.
 *
 * merge() then (1) deflates: z_j ~ 0 means d_j is already a singular value of M, and two nearly
 * equal d's are rotated so that one of them has z_j = 0; (2) solves the secular equation
 * 1 + rho sum_j z_j^2 / (d_j^2 - sigma^2) = 0 for the K remaining values, one root per interval
 * (secularRoot, LAPACK dlasd4's iteration), keeping d_j - sigma_i to full relative accuracy;
 * (3) recomputes z from the roots (Loewner / Gu-Eisenstat: the z for which the computed roots
 * are exact), so that the singular vectors of M, v_i ~ z_j / (d_j^2 - sigma_i^2) and
 * u_i ~ (-1, d_j z_j / (d_j^2 - sigma_i^2)), come out orthogonal to working precision;
 * (4) multiplies the children's vectors by those of M: two products for U (the rows of U1 and of
 * U2) and two for V, over only the columns that are nonzero in those rows.
 *
 * Storage: a node returns d (k), U (k x k) and V ((k + sqre) x (k + sqre)), row-major, singular
 * vectors as COLUMNS (column i pairs with d[i]; V's column k is the null vector when sqre = 1).
 * Values are returned unsorted inside the tree; bidiagonalSvd sorts them at the end.
 *
 * Threads: from PARALLEL_MIN_SIZE on, the root's two children are solved at once, one of them in
 * a worker (tasks.ts 'bidiagonalSubtree'), each serially; the top merge's products then use
 * gemmNTParallel. Work arrays come from scratch.ts (kept between calls).
 *
 * Determinism: every operation is sequential JS or gemmNT/gemmNTParallel, whose results do not
 * depend on the number of threads, and the tree is the same on any number of threads.
 */
import { bidiagonalQR } from './bidiagonal-qr.js';
import { RotationLog, applyRotationsToColumnsJs } from './rotations.js';
import { gemmNT } from './gemm.js';
import { gemmNTParallel } from './kernels.js';
import { availableThreads, runParts } from './parallel.js';
import { give, take } from './scratch.js';

/** Blocks with at most this many rows are solved by the QR iteration (LAPACK's SMLSIZ). */
export const LEAF_SIZE = 25;
const EPS = Number.EPSILON;
/** Iterations of the secular equation solver before it falls back to plain bisection. */
const FAST_ITERATIONS = 40;
const MAX_ITERATIONS = 400;
/** From this size on, the two halves of the top split are solved on two threads at once. */
const PARALLEL_MIN_SIZE = 96;

export interface BidiagonalSvd {
  /** (n) singular values, descending, non-negative */
  s: Float64Array;
  /** (n, n) row-major: row i is the i-th left singular vector (from scratch.take: may be given back) */
  ut: Float64Array;
  /** (n, n) row-major: row i is the i-th right singular vector (likewise) */
  vt: Float64Array;
}

/**
 * The SVD of the n x n upper bidiagonal matrix with diagonal d (n) and superdiagonal e
 * (e[j] = B[j, j+1], j < n - 1; e[n-1] is ignored; e may have n - 1 entries). d and e are
 * not modified.
 */
export function bidiagonalSvd(d: Float64Array, e: Float64Array): BidiagonalSvd {
  const n = d.length;
  if (n === 0) return { s: new Float64Array(0), ut: new Float64Array(0), vt: new Float64Array(0) };
  // Solved at max |entry| = 1, so that neither the QR iteration of the leaves (whose
  // negligibility tests have an absolute floor near 1e-291) nor any product over- or underflows.
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(d[i]), i < n - 1 ? Math.abs(e[i]) : 0);
  if (big === 0) big = 1;
  const threads = availableThreads();
  const node = threads > 1 && n >= PARALLEL_MIN_SIZE
    ? solveHalvesInParallel(d.map((x) => x / big), e.map((x) => x / big), n)
    : solveNode(d.map((x) => x / big), e.map((x) => x / big), 0, n, 0, threads === 1);
  for (let i = 0; i < n; i++) node.d[i] *= big;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => node.d[j] - node.d[i] || i - j);
  const s = new Float64Array(n);
  const ut = take(n * n);
  const vt = take(n * n);
  order.forEach((src, dst) => {
    s[dst] = node.d[src];
    for (let r = 0; r < n; r++) {
      ut[dst * n + r] = node.u[r * n + src];
      vt[dst * n + r] = node.v[r * n + src];
    }
  });
  give(node.u, node.v);
  return { s, ut, vt };
}

interface Node {
  /** (k) non-negative singular values, unsorted */
  d: Float64Array;
  /** (k, k) row-major, column i = left vector of d[i] */
  u: Float64Array;
  /** (k + sqre, k + sqre) row-major, column i = right vector of d[i]; column k = null vector if sqre */
  v: Float64Array;
}

/**
 * The block of rows off..off+k-1 (and columns off..off+k-1+sqre) of the whole bidiagonal.
 * serial: products on this thread only (inside a worker task, or with one thread).
 */
function solveNode(d: Float64Array, e: Float64Array, off: number, k: number, sqre: number, serial: boolean): Node {
  if (k <= LEAF_SIZE) return leaf(d, e, off, k, sqre);
  const nl = k >> 1;
  const nr = k - nl - 1;
  const left = solveNode(d, e, off, nl, 1, serial);
  const right = solveNode(d, e, off + nl + 1, nr, sqre, serial);
  return merge(left, right, nl, nr, sqre, d[off + nl], e[off + nl], serial);
}

/** One subtree as a worker task (tasks.ts): solveNode, its result copied into shared arrays. */
export interface SubtreePart {
  d: Float64Array;
  e: Float64Array;
  off: number;
  k: number;
  sqre: number;
  /** (k), (k, k) and (k + sqre, k + sqre), shared */
  outD: Float64Array;
  outU: Float64Array;
  outV: Float64Array;
}

export function solveSubtree(p: SubtreePart): void {
  const node = solveNode(p.d, p.e, p.off, p.k, p.sqre, true);
  p.outD.set(node.d);
  p.outU.set(node.u);
  p.outV.set(node.v);
  give(node.u, node.v);
}

/**
 * The root's two children on two threads (each subtree serially; the same arithmetic as
 * solveNode, so the same bits), then the top merge here with parallel products.
 */
function solveHalvesInParallel(d: Float64Array, e: Float64Array, n: number): Node {
  const nl = n >> 1;
  const nr = n - nl - 1;
  const sd = take(n, true);
  const se = take(n, true);
  sd.set(d);
  se.set(e.subarray(0, n));
  const part = (off: number, k: number, sqre: number): SubtreePart => ({
    d: sd, e: se, off, k, sqre,
    outD: take(k, true), outU: take(k * k, true), outV: take((k + sqre) * (k + sqre), true),
  });
  const parts = [part(0, nl, 1), part(nl + 1, nr, 0)];
  runParts('bidiagonalSubtree', parts);
  const [left, right] = parts.map((p): Node => ({ d: p.outD, u: p.outU, v: p.outV }));
  const node = merge(left, right, nl, nr, 0, d[nl], e[nl], false);
  give(sd, se, left.d, right.d);
  return node;
}

/**
 * A small block by the QR iteration. With sqre = 1 the block is padded to a square
 * (k+1) x (k+1) one with a zero last row (d_k = 0): the iteration's first step then chases the
 * extra column's entry out with rotations from the right only, so row k of U is untouched and
 * index k holds the zero value whose right vector is the null vector.
 */
function leaf(d: Float64Array, e: Float64Array, off: number, k: number, sqre: number): Node {
  const q = k + sqre;
  const s = new Float64Array(q);
  const f = new Float64Array(q);
  for (let i = 0; i < k; i++) s[i] = d[off + i];
  for (let i = 0; i < q - 1; i++) f[i] = e[off + i];
  const log = { left: new RotationLog(), right: new RotationLog() };
  bidiagonalQR(s, f, log);
  // Rows of ut and vt are the vectors (rotations act on rows, rotations.ts).
  const ut = new Float64Array(q * q);
  const vt = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    ut[i * q + i] = 1;
    vt[i * q + i] = 1;
  }
  applyRotationsToColumnsJs(log.left.arrays(), ut, q, 0, q);
  applyRotationsToColumnsJs(log.right.arrays(), vt, q, 0, q);
  const node: Node = { d: new Float64Array(k), u: new Float64Array(k * k), v: new Float64Array(q * q) };
  for (let i = 0; i < q; i++) {
    const flip = i < k && s[i] < 0 ? -1 : 1;
    if (i < k) node.d[i] = flip * s[i];
    for (let r = 0; r < q; r++) node.v[r * q + i] = flip * vt[i * q + r];
    if (i < k) for (let r = 0; r < k; r++) node.u[r * k + i] = ut[i * q + r];
  }
  return node;
}

/** Column kinds of the merged basis: nonzero in the rows of B1, of B2, or of both. */
const TOP = 1;
const BOTH = 2;
const BOTTOM = 3;

/**
 * Merges the children of a k x (k + sqre) node, k = nl + 1 + nr, whose middle row has alpha on
 * the diagonal and beta right of it (see the file header).
 */
function merge(
  left: Node, right: Node, nl: number, nr: number, sqre: number, alpha: number, beta: number, serial: boolean,
): Node {
  const k = nl + 1 + nr;
  const c = k + sqre; // columns of the node
  const cl = nl + 1; // columns of the left child (its V is cl x cl)
  const cr = nr + sqre; // columns of the right child

  // Scale to max |entry| = 1 (the secular equation is solved on that scale).
  let scale = Math.max(Math.abs(alpha), Math.abs(beta));
  for (let i = 0; i < nl; i++) scale = Math.max(scale, left.d[i]);
  for (let i = 0; i < nr; i++) scale = Math.max(scale, right.d[i]);
  if (scale === 0) scale = 1;
  const a = alpha / scale;
  const b = beta / scale;

  // The basis: ub (k x k) holds diag(U1, 1, U2) and vb (c x c) diag(V1, V2), both with their
  // columns in the order of M: 0 = the middle row / the null columns, then by ascending d.
  // Entries j >= 1 of z, d and kind refer to those columns.
  const cols = k - 1;
  const dj = new Float64Array(cols);
  const zj = new Float64Array(cols);
  const source = new Int32Array(cols); // < nl: left column; else nl + right column
  for (let i = 0; i < nl; i++) {
    dj[i] = left.d[i] / scale;
    zj[i] = a * left.v[nl * cl + i];
    source[i] = i;
  }
  for (let i = 0; i < nr; i++) {
    dj[nl + i] = right.d[i] / scale;
    zj[nl + i] = b * right.v[i];
    source[nl + i] = nl + i;
  }
  const sorted = Array.from({ length: cols }, (_, i) => i).sort((x, y) => dj[x] - dj[y] || x - y);

  // Work arrays come from scratch.ts (fresh pages are slow); those that reach gemmNTParallel are
  // shared when threads are available, so that it need not copy them.
  const shared = !serial && availableThreads() > 1;
  const ub = take(k * k);
  const vb = take(c * c);
  const z = new Float64Array(k);
  const dm = new Float64Array(k);
  const kind = new Uint8Array(k);
  ub[nl * k] = 1; // column 0 = e_nl
  const leftAt: number[] = []; // (j, child column) pairs, for the row-by-row copies below
  const rightAt: number[] = [];
  sorted.forEach((src, pos) => {
    const j = pos + 1;
    z[j] = zj[src];
    dm[j] = dj[src];
    kind[j] = src < nl ? TOP : BOTTOM;
    if (src < nl) leftAt.push(j, src);
    else rightAt.push(j, src - nl);
  });
  // Row by row, so that reads and writes both stay within a row of each array.
  gatherColumns(left.u, nl, nl, ub, k, 0, leftAt);
  gatherColumns(left.v, cl, cl, vb, c, 0, leftAt);
  gatherColumns(right.u, nr, nr, ub, k, nl + 1, rightAt);
  gatherColumns(right.v, cr, cr, vb, c, cl, rightAt);

  const tol = 64 * EPS * Math.max(dm[k - 1], Math.abs(a), Math.abs(b));

  // Column 0 of M: V1's null column, and V2's rotated into it when sqre = 1.
  const z0left = a * left.v[nl * cl + nl];
  if (sqre === 1) {
    const z0right = b * right.v[nr];
    let r = Math.hypot(z0left, z0right);
    let cs = 1;
    let sn = 0;
    if (r <= tol) {
      r = tol;
    } else {
      cs = z0left / r;
      sn = z0right / r;
    }
    z[0] = r;
    for (let row = 0; row < cl; row++) {
      const x = left.v[row * cl + nl];
      vb[row * c] = cs * x;
      vb[row * c + k] = -sn * x;
    }
    for (let row = 0; row < cr; row++) {
      const y = right.v[row * cr + nr];
      vb[(cl + row) * c] = sn * y;
      vb[(cl + row) * c + k] = cs * y;
    }
  } else {
    z[0] = Math.abs(z0left) <= tol ? tol : z0left;
    for (let row = 0; row < cl; row++) vb[row * c] = left.v[row * cl + nl];
  }
  kind[0] = sqre === 1 ? BOTH : TOP; // in V; in U column 0 is e_nl, handled apart

  // Deflation. kept: columns that enter the secular equation (column 0 always does).
  const kept: number[] = [0];
  const deflated: number[] = [];
  let prev = -1;
  for (let j = 1; j < k; j++) {
    if (Math.abs(z[j]) <= tol) {
      deflated.push(j);
      continue;
    }
    if (prev >= 0 && dm[j] - dm[prev] <= tol) {
      // d_prev ~ d_j: a rotation of the two columns moves all of z onto column j.
      const t = Math.hypot(z[j], z[prev]);
      const cs = z[j] / t;
      const sn = -z[prev] / t;
      z[j] = t;
      z[prev] = 0;
      rotateColumns(ub, k, k, prev, j, cs, sn);
      rotateColumns(vb, c, c, prev, j, cs, sn);
      if (kind[j] !== kind[prev]) kind[j] = BOTH;
      deflated.push(prev);
    } else if (prev >= 0) {
      kept.push(prev);
    }
    prev = j;
  }
  if (prev >= 0) kept.push(prev);

  const K = kept.length;
  const sigma = new Float64Array(K);
  const node: Node = { d: new Float64Array(k), u: take(k * k, shared), v: take(c * c, shared) };

  if (K === 1) {
    // M = [z_0] plus deflated columns: sigma = |z_0|.
    sigma[0] = Math.abs(z[0]);
    const sign = z[0] < 0 ? -1 : 1;
    node.u[nl * k] = sign;
    for (let r = 0; r < c; r++) node.v[r * c] = vb[r * c];
  } else {
    const ds = new Float64Array(K);
    const zs = new Float64Array(K);
    kept.forEach((j, i) => {
      ds[i] = dm[j];
      zs[i] = z[j];
    });
    ds[0] = 0;
    if (ds[1] <= tol / 2) ds[1] = tol / 2;
    const { um, vm } = secularVectors(ds, zs, sigma);
    combine(node, ub, vb, um, vm, kept, kind, nl, k, c, sqre, shared, serial);
    give(um, vm);
  }

  for (let i = 0; i < K; i++) node.d[i] = sigma[i] * scale;
  const moves: number[] = [];
  deflated.forEach((j, t) => {
    node.d[K + t] = dm[j] * scale;
    moves.push(K + t, j);
  });
  gatherColumns(ub, k, k, node.u, k, 0, moves);
  gatherColumns(vb, c, c, node.v, c, 0, moves);
  if (sqre === 1) for (let r = 0; r < c; r++) node.v[r * c + k] = vb[r * c + k];
  give(ub, vb, left.u, left.v, right.u, right.v);
  return node;
}

/**
 * dst[(r0 + r) ldDst + pairs[2p]] = src[r ldSrc + pairs[2p + 1]] for r < rows: columns of src
 * copied into columns of dst, row by row.
 */
function gatherColumns(src: Float64Array, rows: number, ldSrc: number, dst: Float64Array, ldDst: number, r0: number, pairs: number[]): void {
  for (let r = 0; r < rows; r++) {
    const from = r * ldSrc;
    const to = (r0 + r) * ldDst;
    for (let p = 0; p < pairs.length; p += 2) dst[to + pairs[p]] = src[from + pairs[p + 1]];
  }
}

/** Columns x, y of the (rows, ld) row-major a become (cs x + sn y, cs y - sn x). */
function rotateColumns(a: Float64Array, rows: number, ld: number, x: number, y: number, cs: number, sn: number): void {
  for (let r = 0; r < rows; r++) {
    const vx = a[r * ld + x];
    const vy = a[r * ld + y];
    a[r * ld + x] = cs * vx + sn * vy;
    a[r * ld + y] = cs * vy - sn * vx;
  }
}

/**
 * The K roots of the secular equation of M (d: K ascending, d[0] = 0, gaps > 0; z: K, no zero)
 * into sigma, and M's singular vectors: row i of um (K x K) and vm (K x K) are the left and
 * right vectors of sigma[i], entry j on basis column j.
 */
function secularVectors(d: Float64Array, z: Float64Array, sigma: Float64Array): { um: Float64Array; vm: Float64Array } {
  const K = d.length;
  let norm = 0;
  for (let j = 0; j < K; j++) norm = Math.hypot(norm, z[j]);
  const zn = new Float64Array(K);
  for (let j = 0; j < K; j++) zn[j] = z[j] / norm;
  const rho = norm * norm;
  // Row i: delta[i K + j] = d_j - sigma_i and sum[i K + j] = d_j + sigma_i, to full accuracy.
  const delta = take(K * K);
  const sum = take(K * K);
  for (let i = 0; i < K; i++) sigma[i] = secularRoot(d, zn, rho, i, delta, sum, i * K);

  // z recomputed from the roots (Loewner): the vector for which the computed sigma are exact,
  // zhat_j^2 = prod_i (sigma_i^2 - d_j^2) / prod_{i != j} (d_i^2 - d_j^2), interleaved as
  // (sigma_i^2 - d_j^2) / (d_{i or i+1}^2 - d_j^2) so that the partial products stay O(1).
  // Root by root (rows of delta and sum), the factors of every zhat_j in ascending i.
  const zhat = new Float64Array(K);
  for (let j = 0; j < K; j++) zhat[j] = delta[(K - 1) * K + j] * sum[(K - 1) * K + j];
  for (let i = 0; i < K - 1; i++) {
    const row = i * K;
    const di = d[i];
    const dnext = d[i + 1];
    for (let j = 0; j <= i; j++) zhat[j] *= (delta[row + j] * sum[row + j]) / ((d[j] - dnext) * (d[j] + dnext));
    for (let j = i + 1; j < K; j++) zhat[j] *= (delta[row + j] * sum[row + j]) / ((d[j] - di) * (d[j] + di));
  }
  for (let j = 0; j < K; j++) zhat[j] = Math.sign(z[j]) * Math.sqrt(Math.abs(zhat[j]));

  const um = take(K * K);
  const vm = take(K * K);
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let uu = 1;
    let vv = 0;
    um[row] = -1;
    for (let j = 0; j < K; j++) {
      const v = zhat[j] / (delta[row + j] * sum[row + j]);
      vm[row + j] = v;
      vv += v * v;
      if (j > 0) {
        const u = d[j] * v;
        um[row + j] = u;
        uu += u * u;
      }
    }
    const un = 1 / Math.sqrt(uu);
    const vn = 1 / Math.sqrt(vv);
    for (let j = 0; j < K; j++) {
      um[row + j] *= un;
      vm[row + j] *= vn;
    }
  }
  give(delta, sum);
  return { um, vm };
}

/**
 * node.u[:, 0..K) = ub[:, kept] um^T and node.v[:, 0..K) = vb[:, kept] vm^T, split into the rows
 * of B1 and of B2 so that each product runs only over the columns that are nonzero there.
 */
function combine(
  node: Node, ub: Float64Array, vb: Float64Array, um: Float64Array, vm: Float64Array,
  kept: number[], kind: Uint8Array, nl: number, k: number, c: number, sqre: number, shared: boolean, serial: boolean,
): void {
  const K = kept.length;
  // U: row nl is e_nl^T ub[:, kept] um^T = um[:, 0] (only column 0 is nonzero in that row).
  for (let i = 0; i < K; i++) node.u[nl * k + i] = um[i * K];
  const topU: number[] = [];
  const bottomU: number[] = [];
  for (let t = 1; t < K; t++) {
    const kd = kind[kept[t]];
    if (kd !== BOTTOM) topU.push(t);
    if (kd !== TOP) bottomU.push(t);
  }
  product(ub, k, 0, nl, kept, topU, um, K, node.u, k, shared, serial);
  product(ub, k, nl + 1, k - nl - 1, kept, bottomU, um, K, node.u, k, shared, serial);

  // V: column 0 (the null columns) is nonzero in the rows of V1, and of V2 when sqre = 1.
  const topV: number[] = [0];
  const bottomV: number[] = sqre === 1 ? [0] : [];
  for (let t = 1; t < K; t++) {
    const kd = kind[kept[t]];
    if (kd !== BOTTOM) topV.push(t);
    if (kd !== TOP) bottomV.push(t);
  }
  product(vb, c, 0, nl + 1, kept, topV, vm, K, node.v, c, shared, serial);
  product(vb, c, nl + 1, c - nl - 1, kept, bottomV, vm, K, node.v, c, shared, serial);
}

/**
 * out[r, i] = sum_{t in which} basis[r, kept[t]] m[i, t] for rows r0..r0+rows-1 and i < K: the
 * selected columns are packed so that gemmNT reads contiguous rows.
 */
function product(
  basis: Float64Array, ld: number, r0: number, rows: number, kept: number[], which: number[],
  m: Float64Array, K: number, out: Float64Array, ldOut: number, shared: boolean, serial: boolean,
): void {
  if (rows === 0) return;
  const w = which.length;
  if (w === 0) {
    for (let r = 0; r < rows; r++) out.fill(0, (r0 + r) * ldOut, (r0 + r) * ldOut + K);
    return;
  }
  const a = take(rows * w, shared); // (rows, w)
  for (let r = 0; r < rows; r++) {
    const from = (r0 + r) * ld;
    for (let t = 0; t < w; t++) a[r * w + t] = basis[from + kept[which[t]]];
  }
  const bm = take(K * w, shared); // (K, w): row i = the selected entries of vector i
  for (let i = 0; i < K; i++) for (let t = 0; t < w; t++) bm[i * w + t] = m[i * K + which[t]];
  (serial ? gemmNT : gemmNTParallel)(rows, K, w, 1, a, 0, w, bm, 0, w, 0, out, r0 * ldOut, ldOut);
  give(a, bm);
}

/**
 * Root i of 1/rho + sum_j z_j^2 / ((d_j - sigma)(d_j + sigma)) = 0 (d ascending, d_0 = 0, z unit,
 * rho > 0): sigma_i in (d_i, d_{i+1}), or in (d_{K-1}, sqrt(d_{K-1}^2 + rho)] for the last.
 * sigma is sought as origin + tau with origin the nearer pole, so that d_j - sigma =
 * (d_j - origin) - tau is exact to rounding; on return delta[off + j] = d_j - sigma and
 * sum[off + j] = d_j + sigma.
 *
 * The iteration is LAPACK dlasd4's: each step fits the two poles nearest the root by a rational
 * function matching the value and slope at the current point ("middle way" / fixed weight,
 * Ren-Cang Li), with the bracket [lower, upper] on tau kept and bisection taken whenever a step
 * leaves it. It stops when |f| is below eps times a bound on the error of evaluating f.
 */
function secularRoot(d: Float64Array, z: Float64Array, rho: number, i: number, delta: Float64Array, sum: Float64Array, off: number): number {
  const K = d.length;
  const rhoinv = 1 / rho;
  const last = i === K - 1;

  // The origin, the bracket for tau, and a first guess from the two nearest poles.
  let origin: number; // index of the pole sigma is measured from
  let lower: number;
  let upper: number;
  let tau: number;
  if (last) {
    origin = K - 1;
    const dn = d[K - 1];
    lower = 0;
    upper = rho / (dn + Math.sqrt(dn * dn + rho));
    const half = rho / 2;
    const t0 = half / (dn + Math.sqrt(dn * dn + half));
    setDifferences(d, origin, t0, delta, sum, off);
    let c = rhoinv;
    for (let j = 0; j < K - 2; j++) c += (z[j] * z[j]) / (delta[off + j] * sum[off + j]);
    const w = c + (z[K - 2] * z[K - 2]) / (delta[off + K - 2] * sum[off + K - 2]) + (z[K - 1] * z[K - 1]) / (delta[off + K - 1] * sum[off + K - 1]);
    if (w <= 0) {
      // The root is above the midpoint guess t0.
      lower = t0;
    } else {
      upper = t0;
    }
    const delsq = (dn - d[K - 2]) * (dn + d[K - 2]);
    const qa = -c * delsq + z[K - 2] * z[K - 2] + z[K - 1] * z[K - 1];
    const qb = z[K - 1] * z[K - 1] * delsq;
    const disc = Math.sqrt(qa * qa + 4 * qb * c);
    const tau2 = qa < 0 ? (2 * qb) / (disc - qa) : (qa + disc) / (2 * c);
    tau = tau2 / (dn + Math.sqrt(dn * dn + tau2));
    if (!(tau > lower && tau <= upper)) tau = (lower + upper) / 2;
  } else {
    const di = d[i];
    const dip1 = d[i + 1];
    const delsq = (dip1 - di) * (dip1 + di);
    const sq2 = Math.sqrt((di * di + dip1 * dip1) / 2);
    const mid = delsq / 2 / (di + sq2); // tau from d_i to the middle of the squares
    setDifferences(d, i, mid, delta, sum, off);
    let c = rhoinv;
    for (let j = 0; j < K; j++) if (j !== i && j !== i + 1) c += (z[j] * z[j]) / (delta[off + j] * sum[off + j]);
    const w = c + (z[i] * z[i]) / (delta[off + i] * sum[off + i]) + (z[i + 1] * z[i + 1]) / (delta[off + i + 1] * sum[off + i + 1]);
    if (w > 0) {
      // f(middle) > 0: the root is in the lower half, nearer d_i.
      origin = i;
      lower = 0;
      upper = mid;
      const qa = c * delsq + z[i] * z[i] + z[i + 1] * z[i + 1];
      const qb = z[i] * z[i] * delsq;
      const disc = Math.sqrt(Math.abs(qa * qa - 4 * qb * c));
      const tau2 = qa > 0 ? (2 * qb) / (qa + disc) : (qa - disc) / (2 * c);
      tau = tau2 / (di + Math.sqrt(di * di + tau2));
    } else {
      origin = i + 1;
      lower = -delsq / 2 / (dip1 + sq2);
      upper = 0;
      const qa = c * delsq - z[i] * z[i] - z[i + 1] * z[i + 1];
      const qb = z[i + 1] * z[i + 1] * delsq;
      const disc = Math.sqrt(Math.abs(qa * qa + 4 * qb * c));
      const tau2 = qa < 0 ? (2 * qb) / (qa - disc) : -(qa + disc) / (2 * c);
      tau = tau2 / (dip1 + Math.sqrt(Math.abs(dip1 * dip1 + tau2)));
    }
    if (!(tau >= lower && tau <= upper) || (origin === i && tau === 0) || (origin === i + 1 && tau === 0)) {
      tau = (lower + upper) / 2;
    }
  }

  const dOrigin = d[origin];
  // The two poles the model keeps: (i, i+1), or (K-2, K-1) for the last root.
  const p1 = last ? K - 2 : i;
  const p2 = last ? K - 1 : i + 1;
  const delsq = (d[p2] - d[p1]) * (d[p2] + d[p1]);
  let previousW = 0;
  let switched = false; // dlasd4's SWTCH: which fixed-weight model to use
  for (let iteration = 0; ; iteration++) {
    // f = 1/rho + psi + phi + (the origin's term) and f' = dpsi + dphi + ..., where psi sums the
    // poles below the origin and phi those above; erretm bounds the rounding error of f. The
    // differences d_j -/+ sigma are stored on the way (setDifferences, inlined).
    let psi = 0;
    let dpsi = 0;
    let erretm = 0;
    for (let j = 0; j < origin; j++) {
      const dl = d[j] - dOrigin - tau;
      const sm = d[j] + dOrigin + tau;
      delta[off + j] = dl;
      sum[off + j] = sm;
      const t = z[j] / (dl * sm);
      psi += z[j] * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    let phi = 0;
    let dphi = 0;
    for (let j = K - 1; j > origin; j--) {
      const dl = d[j] - dOrigin - tau;
      const sm = d[j] + dOrigin + tau;
      delta[off + j] = dl;
      sum[off + j] = sm;
      const t = z[j] / (dl * sm);
      phi += z[j] * t;
      dphi += t * t;
      erretm += phi;
    }
    delta[off + origin] = -tau;
    sum[off + origin] = dOrigin + dOrigin + tau;
    const tOrigin = z[origin] / (-tau * (dOrigin + dOrigin + tau));
    const own = z[origin] * tOrigin;
    const w = rhoinv + psi + phi + own;
    const dw = dpsi + dphi + tOrigin * tOrigin;
    erretm = last
      ? 8 * (-own - psi) + erretm - own + rhoinv
      : 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(own);
    if (Math.abs(w) <= EPS * erretm) break;
    if (w <= 0) lower = Math.max(lower, tau);
    else upper = Math.min(upper, tau);
    if (iteration >= MAX_ITERATIONS || upper - lower <= 2 * EPS * Math.max(Math.abs(dOrigin + tau), Number.MIN_VALUE)) break;

    const sigma = dOrigin + tau;
    let eta: number;
    if (iteration >= FAST_ITERATIONS) {
      eta = NaN; // bisection from here on
    } else {
      // In units of sigma^2: the model c + s1 / (dt1 - x) + s2 / (dt2 - x) through (0, w, dw).
      const dt1 = delta[off + p1] * sum[off + p1]; // d_p1^2 - sigma^2
      const dt2 = delta[off + p2] * sum[off + p2];
      let c: number;
      if (last) {
        // psi here holds all poles below K-1 (the origin), phi is empty.
        c = w - dt1 * dpsi - dt2 * (tOrigin * tOrigin);
      } else if (!switched) {
        c = origin === i
          ? w - dt2 * dw + delsq * (z[i] / dt1) ** 2
          : w - dt1 * dw - delsq * (z[i + 1] / dt2) ** 2;
      } else {
        const dpsiAll = origin === i ? dpsi + tOrigin * tOrigin : dpsi;
        const dphiAll = origin === i ? dphi : dphi + tOrigin * tOrigin;
        c = w - dt1 * dpsiAll - dt2 * dphiAll;
      }
      const qa = (dt1 + dt2) * w - dt1 * dt2 * dw;
      const qb = dt1 * dt2 * w;
      if (last && c < 0) c = Math.abs(c);
      if (c === 0) {
        eta = qa === 0 ? NaN : qb / qa;
      } else if (qa <= 0) {
        eta = (qa - Math.sqrt(Math.abs(qa * qa - 4 * qb * c))) / (2 * c);
      } else {
        eta = (2 * qb) / (qa + Math.sqrt(Math.abs(qa * qa - 4 * qb * c)));
      }
      if (!(w * eta < 0)) eta = -w / dw; // the model's step goes the wrong way: Newton
      eta = eta / (sigma + Math.sqrt(Math.abs(sigma * sigma + eta))); // sigma^2 step -> sigma step
    }
    let next = tau + eta;
    if (!(next > lower && next < upper)) next = (lower + upper) / 2;
    if (next === tau) break;
    if (!last && iteration > 0 && w * previousW > 0 && Math.abs(w) > Math.abs(previousW) / 10) switched = !switched;
    previousW = w;
    tau = next;
  }
  return dOrigin + tau;
}

/** delta[off + j] = (d_j - d_origin) - tau and sum[off + j] = (d_j + d_origin) + tau. */
function setDifferences(d: Float64Array, origin: number, tau: number, delta: Float64Array, sum: Float64Array, off: number): void {
  const o = d[origin];
  for (let j = 0; j < d.length; j++) {
    delta[off + j] = d[j] - o - tau;
    sum[off + j] = d[j] + o + tau;
  }
}
