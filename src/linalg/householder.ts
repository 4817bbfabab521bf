/**
 * Blocked Householder QR on raw arrays (shared by qr.ts and the worker threads).
 *
 * Layout: the n columns of the (m, n) matrix are stored as ROWS of `columns` (n x m, i.e. the
 * column-major matrix), so that every column is contiguous. Panels of PANEL_WIDTH columns are
 * factored one reflector at a time; the trailing columns are then updated with the compact WY
 * form Q_panel = I - V T V^T (LAPACK dlarft), which turns most of the work into gemmNT.
 * After factorColumns, entries 0..j of column j hold R[0..j, j] and entries j+1.. hold the tail
 * of reflector j (whose entry j is an implicit 1).
 */
import { gemmNT } from './gemm.js';
import { KERNEL_SCRATCH_DOUBLES, wasmKernels, type WasmKernels } from './wasm.js';

export const PANEL_WIDTH = 32;

export interface PanelArrays {
  /** first column of the panel */
  j0: number;
  /** number of columns in the panel */
  width: number;
  /** (width, m - j0): reflector p as a row, zero before position p, 1 at p */
  v: Float64Array;
  /** (m - j0, width): the same, transposed */
  vt: Float64Array;
  /** (width, width) upper triangular: Q_panel = I - V T V^T */
  t: Float64Array;
}

/** Storage for the panels of an (m, n) factorization; `alloc` may hand out shared memory. */
export function allocatePanels(m: number, n: number, alloc: (length: number) => Float64Array): PanelArrays[] {
  const panels: PanelArrays[] = [];
  for (let j0 = 0; j0 < n; j0 += PANEL_WIDTH) {
    const width = Math.min(PANEL_WIDTH, n - j0);
    const length = m - j0;
    panels.push({ j0, width, v: alloc(width * length), vt: alloc(length * width), t: alloc(width * width) });
  }
  return panels;
}

/**
 * In-place QR of `columns` (n rows of length m, m >= n). tau[j] is reflector j's scale; `panels`
 * (from allocatePanels) receive V, V^T and T. `updateTrailing(panel, first, end)` must apply
 * Q_panel^T to columns first..end-1; the default does it here, qr.ts passes a parallel one.
 */
export function factorColumns(
  columns: Float64Array, m: number, n: number, tau: Float64Array, panels: PanelArrays[],
  updateTrailing: (panel: PanelArrays, first: number, end: number) => void =
    (panel, first, end) => applyPanelsToRows([panel], m, columns, m, first, end, true),
): void {
  const wasm = wasmKernels();
  for (const panel of panels) {
    const { j0, width } = panel;
    if (wasm) {
      factorPanelWasm(wasm, columns, m, j0, width, tau);
    } else {
      for (let j = j0; j < j0 + width; j++) {
        const col = j * m;
        const { beta, tau: tj } = reflect(columns, col + j, m - j);
        tau[j] = tj;
        if (tj !== 0) reflectColumns(columns, m, col, j, j + 1, j0 + width, tj);
        columns[col + j] = beta;
      }
    }
    fillPanel(panel, columns, m, tau);
    if (j0 + width < n) updateTrailing(panel, j0 + width, n);
  }
}

/**
 * The panel loop of factorColumns on a copy of the panel's columns (entries j0..m-1) in this
 * thread's wasm memory, above the kernels' scratch: per column, the reflector's dot products
 * with the later columns (matvec) and their rank-one update (subtractScaled) run in f64x2 lanes.
 */
function factorPanelWasm(wasm: WasmKernels, columns: Float64Array, m: number, j0: number, width: number, tau: Float64Array): void {
  const length = m - j0;
  const heap = wasm.heap(KERNEL_SCRATCH_DOUBLES + width * length + width);
  wasm.scratchOwner = null;
  const block = new Float64Array(heap.buffer, 8 * KERNEL_SCRATCH_DOUBLES, width * length); // row p: column j0 + p
  const dots = new Float64Array(heap.buffer, block.byteOffset + block.byteLength, width);
  for (let p = 0; p < width; p++) block.set(columns.subarray((j0 + p) * m + j0, (j0 + p) * m + m), p * length);
  for (let p = 0; p < width; p++) {
    const v = p * length + p; // reflector p starts here (and is m - j0 - p long)
    const { beta, tau: tp } = reflect(block, v, length - p);
    tau[j0 + p] = tp;
    const rows = width - p - 1;
    if (tp !== 0 && rows > 0) {
      const first = v + length; // entry p of column p + 1
      const cols = length - p;
      const even = cols & ~1;
      wasm.matvec(block.byteOffset + 8 * first, 8 * length, rows, 8 * even, block.byteOffset + 8 * v, dots.byteOffset);
      for (let r = 0; r < rows; r++) {
        if (even < cols) dots[r] += block[first + r * length + even] * block[v + even];
        dots[r] *= tp;
      }
      wasm.subtractScaled(block.byteOffset + 8 * first, 8 * length, rows, 8 * even, dots.byteOffset, block.byteOffset + 8 * v);
      if (even < cols) for (let r = 0; r < rows; r++) block[first + r * length + even] -= dots[r] * block[v + even];
    }
    block[v] = beta;
  }
  for (let p = 0; p < width; p++) columns.set(block.subarray(p * length, p * length + length), (j0 + p) * m + j0);
}

/**
 * Applies H = I - tau v v^T (v = columns[v0 + j .. v0 + m), entries before j zero) to columns
 * first..end-1: level-2 work, done four columns per pass so that each load of v serves four.
 */
function reflectColumns(columns: Float64Array, m: number, v0: number, j: number, first: number, end: number, tau: number): void {
  let c = first;
  for (; c + 3 < end; c += 4) {
    const a0 = c * m, a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let r = j; r < m; r++) {
      const vr = columns[v0 + r];
      d0 += columns[a0 + r] * vr;
      d1 += columns[a1 + r] * vr;
      d2 += columns[a2 + r] * vr;
      d3 += columns[a3 + r] * vr;
    }
    d0 *= tau;
    d1 *= tau;
    d2 *= tau;
    d3 *= tau;
    for (let r = j; r < m; r++) {
      const vr = columns[v0 + r];
      columns[a0 + r] -= d0 * vr;
      columns[a1 + r] -= d1 * vr;
      columns[a2 + r] -= d2 * vr;
      columns[a3 + r] -= d3 * vr;
    }
  }
  for (; c < end; c++) {
    const other = c * m;
    let dot = 0;
    for (let r = j; r < m; r++) dot += columns[other + r] * columns[v0 + r];
    dot *= tau;
    for (let r = j; r < m; r++) columns[other + r] -= dot * columns[v0 + r];
  }
}

/**
 * dlarfg on x[offset .. offset + length): afterwards (I - tau v v^T) x_old = beta e_1 with v = x
 * (v[0] = 1); tau = 0 means the identity. The tail norm is computed with scaling, so no overflow.
 */
export function reflect(x: Float64Array, offset: number, length: number): { beta: number; tau: number } {
  const alpha = x[offset];
  // Plain sum of squares first; only if it over- or underflowed, again with scaling (slower: a
  // division per entry).
  let sumSquares = 0;
  for (let i = 1; i < length; i++) sumSquares += x[offset + i] * x[offset + i];
  let tailNorm = Math.sqrt(sumSquares);
  if (!(sumSquares > 1e-290 && sumSquares < 1e290)) {
    let scale = 0;
    for (let i = 1; i < length; i++) scale = Math.max(scale, Math.abs(x[offset + i]));
    let scaled = 0;
    if (scale > 0) {
      for (let i = 1; i < length; i++) {
        const v = x[offset + i] / scale;
        scaled += v * v;
      }
    }
    tailNorm = scale * Math.sqrt(scaled);
  }
  if (tailNorm === 0) {
    x[offset] = 1;
    return { beta: alpha, tau: 0 };
  }
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, tailNorm);
  const tau = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < length; i++) x[offset + i] *= inv;
  x[offset] = 1;
  return { beta, tau };
}

/** Fills all panels from reflectors already stored in `columns` (as factorColumns leaves them). */
export function fillPanels(panels: PanelArrays[], columns: Float64Array, m: number, tau: Float64Array): void {
  for (const panel of panels) fillPanel(panel, columns, m, tau);
}

/** Copies the panel's reflectors into V and V^T and builds T (dlarft, forward, columnwise). */
function fillPanel(panel: PanelArrays, columns: Float64Array, m: number, tau: Float64Array): void {
  const { j0, width, v, vt, t } = panel;
  const length = m - j0;
  v.fill(0);
  for (let p = 0; p < width; p++) {
    const src = (j0 + p) * m + j0;
    const dst = p * length;
    v[dst + p] = 1;
    for (let r = p + 1; r < length; r++) v[dst + r] = columns[src + r];
  }
  vt.fill(0);
  for (let p = 0; p < width; p++) for (let r = p; r < length; r++) vt[r * width + p] = v[p * length + r];

  // T[0:i, i] = -tau_i T[0:i, 0:i] (V[:, 0:i]^T v_i), T[i, i] = tau_i, with all the inner
  // products v_p . v_i taken at once from the Gram matrix V V^T (reflector p is zero before p).
  const gram = new Float64Array(width * width);
  gemmNT(width, width, length, 1, v, 0, length, v, 0, length, 0, gram, 0, width);
  t.fill(0);
  const z = new Float64Array(width);
  for (let i = 0; i < width; i++) {
    const ti = tau[j0 + i];
    t[i * width + i] = ti;
    if (ti === 0) continue;
    for (let p = 0; p < i; p++) z[p] = -ti * gram[p * width + i];
    for (let p = 0; p < i; p++) {
      let sum = 0;
      for (let q = p; q < i; q++) sum += t[p * width + q] * z[q];
      t[p * width + i] = sum;
    }
  }
}

/**
 * Applies Q = Q_0 Q_1 ... (transposeQ = false) or Q^T (true) from the left to the vectors stored
 * in rows rowStart..rowEnd-1 of `data` (row stride ld, m entries each). Each vector is
 * transformed independently, so any split of the rows gives identical results.
 *
 * identityRows: the caller promises that row i holds e_i (forming Q explicitly). Panel j0 then
 * cannot change rows i < j0 (their entries j0.. are zero) while the panels after it have not
 * touched them either, so those rows are skipped: about a third of the work for square Q.
 */
export function applyPanelsToRows(
  panels: PanelArrays[], m: number, data: Float64Array, ld: number, rowStart: number, rowEnd: number, transposeQ: boolean,
  identityRows = false,
): void {
  if (identityRows && transposeQ) throw new Error('applyPanelsToRows: identityRows needs Q, not Q^T');
  const count = panels.length;
  for (let step = 0; step < count; step++) {
    const panel = panels[transposeQ ? step : count - 1 - step];
    const first = identityRows ? Math.max(rowStart, panel.j0) : rowStart;
    if (rowEnd > first) applyPanel(panel, m, data, first * ld, rowEnd - first, ld, transposeQ);
  }
}

/**
 * Row ranges for forming Q from identity rows on `parts` threads with equal work: row i costs
 * about the sum of (m - j0) over the panels with j0 <= i.
 */
export function identityRowRanges(panels: PanelArrays[], m: number, rowStart: number, rowEnd: number, parts: number): [number, number][] {
  const cost = (i: number): number => panels.reduce((sum, p) => (p.j0 <= i ? sum + m - p.j0 : sum), 0);
  let total = 0;
  for (let i = rowStart; i < rowEnd; i++) total += cost(i);
  const ranges: [number, number][] = [];
  let start = rowStart;
  let running = 0;
  for (let i = rowStart; i < rowEnd && ranges.length < parts - 1; i++) {
    running += cost(i);
    if (running >= (total * (ranges.length + 1)) / parts) {
      ranges.push([start, i + 1]);
      start = i + 1;
    }
  }
  ranges.push([start, rowEnd]);
  while (ranges.length < parts) ranges.push([rowEnd, rowEnd]);
  return ranges;
}

/** y <- (I - V T V^T) y or (I - V T^T V^T) y for k vectors; only entries j0..m-1 change. */
function applyPanel(
  panel: PanelArrays, m: number, data: Float64Array, offset: number, k: number, ld: number, transposeQ: boolean,
): void {
  const { j0, width, v, vt, t } = panel;
  const length = m - j0;
  // W^T = Y^T V: (k, width), row c = the panel's coordinates of vector c
  const wt = new Float64Array(k * width);
  gemmNT(k, width, length, 1, data, offset + j0, ld, v, 0, length, 0, wt, 0, width);
  // (T W)^T = W^T T^T or (T^T W)^T = W^T T: one more product, with B = T or T^T as rows
  let tRows = t;
  if (transposeQ) {
    tRows = new Float64Array(width * width);
    for (let p = 0; p < width; p++) for (let q = 0; q < width; q++) tRows[p * width + q] = t[q * width + p];
  }
  const twt = new Float64Array(k * width);
  gemmNT(k, width, width, 1, wt, 0, width, tRows, 0, width, 0, twt, 0, width);
  // Y <- Y - V W: vector c loses sum_p W[p, c] v_p
  gemmNT(k, length, width, -1, twt, 0, width, vt, 0, width, 1, data, offset + j0, ld);
}
