/**
 * Dense Float64 matrices, row-major. Every linear-algebra routine in src/linalg takes and returns
 * this shape so that stages can pass matrices around without copying between representations.
 */
export interface Matrix {
  rows: number;
  cols: number;
  /** row-major: element (i, j) is data[i * cols + j] */
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function fromRows(rows: number[][]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error(`fromRows: row ${i} has ${row.length} columns, expected ${c}`);
    m.data.set(row, i * c);
  });
  return m;
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** In 16 x 16 tiles, so that the strided side stays in cache for large matrices. */
export function transpose(m: Matrix): Matrix {
  const { rows, cols, data } = m;
  const t = zeros(cols, rows);
  const TILE = 16;
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) t.data[j * rows + i] = data[i * cols + j];
    }
  }
  return t;
}

/** C = A B, with the i-k-j loop order so that the inner loop streams rows of B and C. */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new Error(`matmul: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
  const c = zeros(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) c.data[ci + j] += aik * b.data[bk + j];
    }
  }
  return c;
}

export function frobeniusNorm(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += m.data[i] * m.data[i];
  return Math.sqrt(s);
}

/**
 * dst[j, i] = src[i, j] for the (rows, cols) block src[i, j] = src[srcOff + i srcLd + j] and
 * dst[j, i] = dst[dstOff + j dstLd + i], in 16 x 16 tiles so that both sides stay in cache.
 */
export function transposeInto(
  src: Float64Array, srcOff: number, srcLd: number, rows: number, cols: number,
  dst: Float64Array, dstOff: number, dstLd: number,
): void {
  const TILE = 16;
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const from = srcOff + i * srcLd;
        for (let j = j0; j < j1; j++) dst[dstOff + j * dstLd + i] = src[from + j];
      }
    }
  }
}
