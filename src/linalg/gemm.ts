/**
 * The serial dense product kernel. Everything fast in src/linalg funnels into gemmNT, which
 * computes C = beta C + alpha A B^T with both A and B read along contiguous rows (dot-product
 * form). A 4x4 block of C is accumulated in 16 local variables, so each loaded element of A or B
 * is used four times; this runs at about 4 GFLOP/s in V8 against about 1 GFLOP/s for the
 * textbook i-k-j loop. The k dimension is cut into chunks so that a chunk of B stays in cache.
 *
 * Large products run in the f64x2 kernel of wasm.ts instead (about 2-3x faster): blocks of A, B
 * and C are copied into scratch memory, the kernel adds alpha A B^T to C for one k chunk, and C
 * is copied back. Both paths compute every C entry as C + alpha (sum over the chunk, in order from p = 0),
 * so they agree bit for bit and the choice between them (by size) never changes a result.
 */
import { wasmKernels, type WasmKernels } from './wasm.js';

/** Length of the k chunks: a 256-row block of B times 256 doubles is 512 KiB. */
const K_CHUNK = 256;

/**
 * C[i, j] = beta C[i, j] + alpha sum_p A[i, p] B[j, p] for i < m, j < n, p < k, with
 * A[i, p] = a[aOff + i lda + p], B[j, p] = b[bOff + j ldb + p], C[i, j] = c[cOff + i ldc + j].
 * beta = 0 overwrites C (its old contents, even NaN, are ignored).
 */
export function gemmNT(
  m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number,
  beta: number, c: Float64Array, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const row = cOff + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[row + j] *= beta;
  }
  const wasm = m >= 4 && n >= 4 && m * n * k >= WASM_MIN_WORK ? wasmKernels() : null;
  // The kernel packs B element by element (n k per chunk) but copies A and C by rows: for a
  // skinny A and long k (W = V^T Y in householder.ts) it is cheaper to compute C^T += alpha B A^T
  // on a transposed copy of C (same sums in the same order, so the same result).
  if (wasm && m >= 8 && n * k > 2 * m * n + m * k) {
    const ct = new Float64Array(n * m); // C^T (n, m)
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) ct[j * m + i] = c[cOff + i * ldc + j];
    for (let p0 = 0; p0 < k; p0 += K_CHUNK) {
      wasmChunk(wasm, n, m, Math.min(K_CHUNK, k - p0), alpha, b, bOff + p0, ldb, a, aOff + p0, lda, ct, 0, m);
    }
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[cOff + i * ldc + j] = ct[j * m + i];
    return;
  }
  gemmChunks(n >= 8 ? wasm : null, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

function gemmChunks(
  wasm: WasmKernels | null, m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number,
  c: Float64Array, cOff: number, ldc: number,
): void {
  for (let p0 = 0; p0 < k; p0 += K_CHUNK) {
    const kc = Math.min(K_CHUNK, k - p0);
    if (wasm) wasmChunk(wasm, m, n, kc, alpha, a, aOff + p0, lda, b, bOff + p0, ldb, c, cOff, ldc);
    else gemmChunk(m, n, kc, alpha, a, aOff + p0, lda, b, bOff + p0, ldb, c, cOff, ldc);
  }
}

/** Products below this many multiply-adds stay in JS (packing costs more than it saves). */
const WASM_MIN_WORK = 16_384;
/** Columns of C per packed block of B^T (with K_CHUNK: 512 KiB) and rows per block of A. */
const WASM_COLS = 256;
const WASM_ROWS = 128;

/**
 * gemmChunk through the wasm kernel, block by block: rows of A and C are copied into scratch
 * memory as they are (memcpy), B is packed transposed, the kernel adds alpha A B^T to the copy of
 * C, and its rows are copied back. Rows and columns beyond the edges compute garbage from
 * whatever the scratch holds there and are never copied back.
 */
function wasmChunk(
  wasm: WasmKernels, m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number,
  c: Float64Array, cOff: number, ldc: number,
): void {
  // Scratch (doubles): B^T block (k, WASM_COLS), A rows (WASM_ROWS, k), C rows (WASM_ROWS, WASM_COLS).
  const bBase = 0;
  const aBase = k * WASM_COLS;
  const cBase = aBase + WASM_ROWS * k;
  const heap = wasm.heap(cBase + WASM_ROWS * WASM_COLS);
  wasm.scratchOwner = null;
  for (let j0 = 0; j0 < n; j0 += WASM_COLS) {
    const nc = Math.min(WASM_COLS, n - j0);
    const ncPadded = Math.ceil(nc / 4) * 4;
    // B^T, four rows of B at a time so that each pass writes runs of four adjacent doubles.
    let j = 0;
    for (; j + 3 < nc; j += 4) {
      const s0 = bOff + (j0 + j) * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
      for (let p = 0, dst = bBase + j; p < k; p++, dst += ncPadded) {
        heap[dst] = b[s0 + p];
        heap[dst + 1] = b[s1 + p];
        heap[dst + 2] = b[s2 + p];
        heap[dst + 3] = b[s3 + p];
      }
    }
    for (; j < nc; j++) {
      const src = bOff + (j0 + j) * ldb;
      for (let p = 0; p < k; p++) heap[bBase + p * ncPadded + j] = b[src + p];
    }
    for (let i0 = 0; i0 < m; i0 += WASM_ROWS) {
      const mc = Math.min(WASM_ROWS, m - i0);
      for (let i = 0; i < mc; i++) {
        const aRow = aOff + (i0 + i) * lda;
        heap.set(a.subarray(aRow, aRow + k), aBase + i * k);
        const cRow = cOff + (i0 + i) * ldc + j0;
        heap.set(c.subarray(cRow, cRow + nc), cBase + i * ncPadded);
      }
      wasm.gemmBlocks(8 * aBase, 8 * k, 8 * bBase, ncPadded, k, 8 * cBase, 8 * ncPadded, Math.ceil(mc / 4), alpha);
      for (let i = 0; i < mc; i++) {
        const row = cBase + i * ncPadded;
        c.set(heap.subarray(row, row + nc), cOff + (i0 + i) * ldc + j0);
      }
    }
  }
}

/** C += alpha A B^T over one k chunk; 4x4 register blocks, scalar loops on the edges. */
function gemmChunk(
  m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number,
  b: Float64Array, bOff: number, ldb: number,
  c: Float64Array, cOff: number, ldc: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bOff + j * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const x2 = a[a2 + p];
        const x3 = a[a3 + p];
        let y = b[b0 + p];
        s00 += x0 * y; s10 += x1 * y; s20 += x2 * y; s30 += x3 * y;
        y = b[b1 + p];
        s01 += x0 * y; s11 += x1 * y; s21 += x2 * y; s31 += x3 * y;
        y = b[b2 + p];
        s02 += x0 * y; s12 += x1 * y; s22 += x2 * y; s32 += x3 * y;
        y = b[b3 + p];
        s03 += x0 * y; s13 += x1 * y; s23 += x2 * y; s33 += x3 * y;
      }
      let r = cOff + i * ldc + j;
      c[r] += alpha * s00; c[r + 1] += alpha * s01; c[r + 2] += alpha * s02; c[r + 3] += alpha * s03;
      r += ldc;
      c[r] += alpha * s10; c[r + 1] += alpha * s11; c[r + 2] += alpha * s12; c[r + 3] += alpha * s13;
      r += ldc;
      c[r] += alpha * s20; c[r + 1] += alpha * s21; c[r + 2] += alpha * s22; c[r + 3] += alpha * s23;
      r += ldc;
      c[r] += alpha * s30; c[r + 1] += alpha * s31; c[r + 2] += alpha * s32; c[r + 3] += alpha * s33;
    }
  }
  // Edges: the last m % 4 rows (all columns) and the last n % 4 columns (first m4 rows).
  for (let i = 0; i < m; i++) {
    const jStart = i < m4 ? n4 : 0;
    const ai = aOff + i * lda;
    for (let j = jStart; j < n; j++) {
      const bj = bOff + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[cOff + i * ldc + j] += alpha * s;
    }
  }
}

