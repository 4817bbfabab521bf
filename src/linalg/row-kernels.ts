/**
 * Row-streaming block products on matrices held in shared WebAssembly memory: the kernels of the
 * top-k solvers (lanczos.ts, topk.ts). A matrix A (rows, cols), row-major, is combined with a
 * small block of c vectors in one of four ways:
 *
 *   gram:       Y = A^T (A X)       X (cols, c)  -> Y (cols, c)
 *   forward:    T = A X, or W -= A X          X (cols, c)  -> T, W (rows, c)
 *   transposed: Y = A^T T           T (rows, c)  -> Y (cols, c)
 *   project:    W -= A X, Y = A^T W (both)
 *
 * Why: these products (A^T A X for the SVD of a dense A, V^T W and W - V C for the Lanczos
 * basis V) do only c multiply-adds per element of A, and in separate GEMMs a JS loop runs them
 * well below memory speed. Here R rows of A (R = 4 for c <= 4, else 2) are read
 * once; t_r = a_r X is held in f64x2 registers, then y_j += a_rj t_r over the same rows, still in
 * cache. So gram passes over A once for both halves, with no second, transposed copy of A.
 *
 * Threads: the matrix and the block live in a shared WebAssembly.Memory; the caller and every
 * worker (parallel.ts) instantiate the kernels on that memory and run them in place, without
 * copying A. The rows are cut into parts by a rule that depends on the row count only (at most
 * 16 parts of 64 or more rows); each part writes its own rows of T or W, or its own partial Y,
 * and the partial Ys are added in part order. Every sum runs in a fixed order, so results do not
 * depend on the number of threads.
 *
 * Without WebAssembly threads or SIMD (or with LINALG_WASM=0) the same products run as JS loops
 * on an ordinary array, with the same arithmetic in the same order (lanes of f64x2 are plain
 * IEEE mul and add, no fused multiply-add): the results are bit-identical either way
 * (test/linalg/row-kernels.test.ts).
 *
 * Kernels (byte addresses into the shared memory; b even, 2 <= b <= 8):
 *   k{mode}_{b}(a, lda, rows, cols, x, out, ldo, w) with A (rows, cols) at a (row stride lda),
 *     modes 0 gram (X (cols, b) at x, partial Y (cols, b) at out, += ), 1 forward (T at out, row
 *     stride ldo), 2 forward-subtract (W at out -= A X), 3 transposed (T (rows, b) at x, partial
 *     Y at out, +=), 4 project (W (rows, b) at w -= A X, then partial Y += A^T W at out). X, T, W
 *     and Y rows are b doubles apart (except T for ldo).
 */
import { threadId } from 'node:worker_threads';
import { runParts } from './parallel.js';

const I32 = 0x7f;
const V128 = 0x7b;

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function s32(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** One function body over i32 parameters; locals from local(). (A subset of the builder in wasm.ts.) */
class Fn {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];
  constructor(readonly params: number) {}
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }
  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(i: number): this { return this.op(0x20, ...u32(i)); }
  set(i: number): this { return this.op(0x21, ...u32(i)); }
  i32(value: number): this { return this.op(0x41, ...s32(value)); }
  add(): this { return this.op(0x6a); }
  mul(): this { return this.op(0x6c); }
  and(): this { return this.op(0x71); }
  divU(): this { return this.op(0x6e); }
  shl(): this { return this.op(0x74); }
  increment(i: number, step: number): this { return this.get(i).i32(step).add().set(i); }
  /** i += step for a step held in local s */
  incrementBy(i: number, s: number): this { return this.get(i).get(s).add().set(i); }
  loadSplat(offset = 0): this { return this.op(0x2b, 3, ...u32(offset), 0xfd, ...u32(0x14)); }
  load128(offset = 0): this { return this.op(0xfd, ...u32(0x00), 4, ...u32(offset)); }
  store128(offset = 0): this { return this.op(0xfd, ...u32(0x0b), 4, ...u32(offset)); }
  addF64x2(): this { return this.op(0xfd, ...u32(0xf0)); }
  subF64x2(): this { return this.op(0xfd, ...u32(0xf1)); }
  mulF64x2(): this { return this.op(0xfd, ...u32(0xf2)); }
  zeroV128(): this { return this.op(0xfd, ...u32(0x0c), ...new Array(16).fill(0)); }
  /** while (i < limit) { body(); i += step } (unsigned compare) */
  whileLess(i: number, limit: number, step: number, body: () => void): this {
    this.op(0x02, 0x40, 0x03, 0x40);
    this.get(i).get(limit).op(0x4f).op(0x0d, 1);
    body();
    this.increment(i, step);
    return this.op(0x0c, 0, 0x0b, 0x0b);
  }
  encode(): number[] {
    const locals = [...u32(this.localTypes.length), ...this.localTypes.flatMap((t) => [1, t])];
    const body = [...locals, ...this.code, 0x0b];
    return [...u32(body.length), ...body];
  }
}

/** Rows per register pass for b vectors: R b / 2 accumulators, at most 8. */
function rowsPerPass(b: number): number {
  return b <= 4 ? 4 : 2;
}

const GRAM = 0;
const FORWARD = 1;
const SUBTRACT = 2;
const TRANSPOSED = 3;
const PROJECT = 4;
type Mode = typeof GRAM | typeof FORWARD | typeof SUBTRACT | typeof TRANSPOSED | typeof PROJECT;

/**
 * Even block widths up to this have a kernel; wider blocks are cut into these. (Per column,
 * 8-wide blocks ran 1.4x as fast as 16-wide ones, which hold one row per pass, for gram and
 * 1.6x for forward: 4000 x 4000, 2 threads.)
 */
const MAX_BLOCK = 8;

/**
 * Columns of A per loop step: two for narrow blocks (the loop's own instructions are a large
 * share there: 35% faster at b = 4), one for wider ones (two were 40% slower at b = 8, measured
 * on the 2-core benchmark machine).
 */
function unrollFor(b: number): number {
  return b <= 4 ? 2 : 1;
}

function kernel(b: number, mode: Mode): Fn {
  const f = new Fn(8);
  const UNROLL = unrollFor(b);
  const [a, lda, rows, cols, x, out, ldo, w] = [0, 1, 2, 3, 4, 5, 6, 7];
  const vecs = b / 2;
  const R = rowsPerPass(b);
  const r = f.local(I32);
  const fullRows = f.local(I32);
  const j = f.local(I32);
  const width = f.local(I32); // 8 cols
  const pairedWidth = f.local(I32); // 8 (cols rounded down to a multiple of UNROLL)
  const xp = f.local(I32);
  const op = f.local(I32);
  const tp = f.local(I32); // transposed: the current rows of T; project: of W
  const step = f.local(I32); // 8 b
  const aRow = f.local(I32);
  const row = Array.from({ length: R }, () => f.local(I32));
  const acc = Array.from({ length: R }, () => Array.from({ length: vecs }, () => f.local(V128)));
  const xv = Array.from({ length: vecs }, () => f.local(V128));
  const s = Array.from({ length: R }, () => f.local(V128));
  const yv = f.local(V128);
  const ptr = Array.from({ length: R }, () => f.local(I32)); // row k at column j
  const end = f.local(I32); // row 0 at pairedWidth, then at width

  const pass = (count: number): void => {
    f.get(aRow).set(row[0]);
    for (let k = 1; k < count; k++) f.get(row[k - 1]).get(lda).add().set(row[k]);
    if (mode === TRANSPOSED) {
      for (let k = 0; k < count; k++) {
        for (let h = 0; h < vecs; h++) f.get(tp).load128(16 * h).set(acc[k][h]);
        f.incrementBy(tp, step);
      }
    } else {
      // t_k = sum_j a_kj x_j, j from 0
      for (let k = 0; k < count; k++) for (let h = 0; h < vecs; h++) f.zeroV128().set(acc[k][h]);
      f.get(x).set(xp);
      for (let k = 0; k < count; k++) f.get(row[k]).set(ptr[k]);
      const multiply = (unroll: number) => () => {
        for (let q = 0; q < unroll; q++) {
          for (let h = 0; h < vecs; h++) f.get(xp).load128(16 * h + 8 * b * q).set(xv[h]);
          for (let k = 0; k < count; k++) {
            f.get(ptr[k]).loadSplat(8 * q).set(s[0]);
            for (let h = 0; h < vecs; h++) f.get(acc[k][h]).get(s[0]).get(xv[h]).mulF64x2().addF64x2().set(acc[k][h]);
          }
        }
        f.get(xp).i32(8 * b * unroll).add().set(xp);
        for (let k = 1; k < count; k++) f.increment(ptr[k], 8 * unroll);
      };
      f.get(row[0]).get(pairedWidth).add().set(end);
      f.whileLess(ptr[0], end, 8 * UNROLL, multiply(UNROLL));
      f.get(row[0]).get(width).add().set(end);
      f.whileLess(ptr[0], end, 8, multiply(1));
    }
    if (mode === PROJECT) {
      // w_k <- w_k - t_k, kept in the accumulators for the update below
      for (let k = 0; k < count; k++) {
        for (let h = 0; h < vecs; h++) {
          f.get(tp).load128(16 * h).get(acc[k][h]).subF64x2().set(acc[k][h]);
          f.get(tp).get(acc[k][h]).store128(16 * h);
        }
        f.incrementBy(tp, step);
      }
    }
    if (mode === GRAM || mode === TRANSPOSED || mode === PROJECT) {
      // y_j = ((y_j + a_0j t_0) + a_1j t_1) + ...: one row after the other
      f.get(out).set(op);
      for (let k = 0; k < count; k++) f.get(row[k]).set(ptr[k]);
      const update = (unroll: number) => () => {
        for (let q = 0; q < unroll; q++) {
          for (let k = 0; k < count; k++) f.get(ptr[k]).loadSplat(8 * q).set(s[k]);
          for (let h = 0; h < vecs; h++) {
            const offset = 16 * h + 8 * b * q;
            f.get(op).load128(offset).set(yv);
            for (let k = 0; k < count; k++) f.get(yv).get(s[k]).get(acc[k][h]).mulF64x2().addF64x2().set(yv);
            f.get(op).get(yv).store128(offset);
          }
        }
        f.get(op).i32(8 * b * unroll).add().set(op);
        for (let k = 1; k < count; k++) f.increment(ptr[k], 8 * unroll);
      };
      f.get(row[0]).get(pairedWidth).add().set(end);
      f.whileLess(ptr[0], end, 8 * UNROLL, update(UNROLL));
      f.get(row[0]).get(width).add().set(end);
      f.whileLess(ptr[0], end, 8, update(1));
    } else {
      for (let k = 0; k < count; k++) {
        for (let h = 0; h < vecs; h++) {
          if (mode === SUBTRACT) f.get(op).get(op).load128(16 * h).get(acc[k][h]).subF64x2().store128(16 * h);
          else f.get(op).get(acc[k][h]).store128(16 * h);
        }
        f.incrementBy(op, ldo);
      }
    }
    for (let k = 0; k < count; k++) f.incrementBy(aRow, lda);
  };

  f.get(cols).i32(3).shl().set(width);
  f.get(cols).i32(-UNROLL).and().i32(3).shl().set(pairedWidth);
  f.i32(8 * b).set(step);
  f.get(rows).i32(R).divU().i32(R).mul().set(fullRows);
  f.get(a).set(aRow);
  f.get(out).set(op);
  if (mode === PROJECT) f.get(w).set(tp);
  else f.get(x).set(tp);
  f.i32(0).set(r);
  f.whileLess(r, fullRows, R, () => pass(R));
  if (R > 1) f.whileLess(r, rows, 1, () => pass(1));
  return f;
}

function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}
function vector(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}
function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

const WIDTHS = Array.from({ length: MAX_BLOCK / 2 }, (_, i) => 2 * (i + 1));
const MODES: Mode[] = [GRAM, FORWARD, SUBTRACT, TRANSPOSED, PROJECT];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const functions: [string, Fn][] = MODES.flatMap((mode) => WIDTHS.map((b): [string, Fn] => [`k${mode}_${b}`, kernel(b, mode)]));
  const types = [[0x60, ...u32(8), ...new Array(8).fill(I32), 0]];
  // imported memory: shared (limits flag 3: minimum and maximum), any size
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x03, ...u32(1), ...u32(65536)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map(() => u32(0)))),
    ...section(7, vector(functions.map(([fname], i) => [...name(fname), 0x00, ...u32(i)]))),
    ...section(10, vector(functions.map(([, fn]) => fn.encode()))),
  ]);
}

type Kernel = (a: number, lda: number, rows: number, cols: number, x: number, out: number, ldo: number, w: number) => void;

let compiled: WebAssembly.Module | null | undefined;
/**
 * Kernels instantiated on the latest spaces, by space id. A worker receives a new Memory object
 * with every message, so it keys by id; two entries cover a top-k solve (A and the basis).
 */
const instances = new Map<number, Record<string, Kernel>>();
const CACHED_INSTANCES = 2;
let spacesMade = 0;
/** Unique across the threads that make spaces (the pool's owner can be a job worker). */
const spaceId = (): number => threadId * 2 ** 32 + ++spacesMade;

/** The compiled kernels, or null where shared memory or SIMD is missing (or LINALG_WASM=0). */
function rowModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (process.env.LINALG_WASM === '0') return null;
  try {
    const module = new WebAssembly.Module(moduleBytes());
    new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) } });
    compiled = module;
  } catch {
    compiled = null;
  }
  return compiled;
}

function kernelsOn(space: SharedSpace): Record<string, Kernel> {
  let k = instances.get(space.id);
  if (!k) {
    k = new WebAssembly.Instance(rowModule()!, { env: { memory: space.memory } }).exports as unknown as Record<string, Kernel>;
    instances.set(space.id, k);
    if (instances.size > CACHED_INSTANCES) instances.delete(instances.keys().next().value!);
  }
  return k;
}

/**
 * What every part of one product refers to: one object, so that a message to a worker carries
 * the memory once (sending it with each of 16 parts made a round trip 4x slower).
 */
interface SharedSpace {
  memory: WebAssembly.Memory;
  id: number;
}

/** One part of a product: rows of A (the task that parallel.ts runs). Offsets and strides in doubles. */
export interface RowPart {
  /** the shared memory, or null for the JS loops on `heap` */
  space: SharedSpace | null;
  heap: Float64Array;
  mode: Mode;
  b: number;
  a: number;
  lda: number;
  rows: number;
  cols: number;
  x: number;
  out: number;
  ldo: number;
  /** project: this part's rows of W */
  w: number;
}

export function runRowPart(p: RowPart): void {
  if (p.mode === GRAM || p.mode === TRANSPOSED || p.mode === PROJECT) (p.space ? new Float64Array(p.space.memory.buffer) : p.heap).fill(0, p.out, p.out + p.cols * p.b);
  if (p.space) kernelsOn(p.space)[`k${p.mode}_${p.b}`](8 * p.a, 8 * p.lda, p.rows, p.cols, 8 * p.x, 8 * p.out, 8 * p.ldo, 8 * p.w);
  else rowPartJs(p);
}

/** The kernels' arithmetic in JS, in the same order. */
function rowPartJs(p: RowPart): void {
  const { heap, mode, b, a, lda, rows, cols, x, out, ldo, w } = p;
  const t = new Float64Array(b);
  for (let r = 0; r < rows; r++) {
    const ar = a + r * lda;
    if (mode === TRANSPOSED) {
      for (let c = 0; c < b; c++) t[c] = heap[x + r * b + c];
    } else {
      t.fill(0);
      for (let j = 0; j < cols; j++) {
        const s = heap[ar + j];
        const xj = x + j * b;
        for (let c = 0; c < b; c++) t[c] += s * heap[xj + c];
      }
    }
    if (mode === PROJECT) {
      for (let c = 0; c < b; c++) t[c] = heap[w + r * b + c] -= t[c];
    }
    if (mode === GRAM || mode === TRANSPOSED || mode === PROJECT) {
      for (let j = 0; j < cols; j++) {
        const s = heap[ar + j];
        const yj = out + j * b;
        for (let c = 0; c < b; c++) heap[yj + c] += s * t[c];
      }
    } else {
      const o = out + r * ldo;
      for (let c = 0; c < b; c++) heap[o + c] = mode === SUBTRACT ? heap[o + c] - t[c] : t[c];
    }
  }
}

/** A matrix in a RowSpace: `rows` rows of `cols` doubles, row i at offset + i ld. */
export interface RowMatrix {
  offset: number;
  ld: number;
  rows: number;
  cols: number;
}

/** Most parts, and fewest rows per part (a multiple of every rowsPerPass). */
const MAX_PARTS = 16;
const MIN_PART_ROWS = 64;
/** Below this many multiply-adds a product stays on the caller (the parts are the same). */
const PARALLEL_MIN_WORK = 1 << 20;
/** Bytes of wasm memory we ask for at most (wasm32 addresses 4 GiB). */
const MAX_WASM_BYTES = 2 ** 31;

/**
 * Memories of released spaces, for reuse. The first write to fresh memory costs far more than
 * the copy itself on some machines (page faults: 0.4 s for 128 MB on the 2-core benchmark VM,
 * against 8 ms to write it again), and a top-k SVD of a dense matrix needs a copy of it. Two are
 * kept (a solve uses two spaces: the matrix and the Lanczos basis), up to SPARE_MAX_BYTES in
 * all; reuse does not change results (every byte a product reads was written for it first).
 */
const spares: WebAssembly.Memory[] = [];
const SPARE_MAX_BYTES = 2 ** 30;

function takeMemory(pages: number): WebAssembly.Memory {
  // the smallest spare that is large enough
  let best = -1;
  for (let i = 0; i < spares.length; i++) {
    const size = spares[i].buffer.byteLength;
    if (size >= pages * 65536 && (best < 0 || size < spares[best].buffer.byteLength)) best = i;
  }
  if (best >= 0) return spares.splice(best, 1)[0];
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

function keepMemory(memory: WebAssembly.Memory): void {
  spares.push(memory);
  spares.sort((x, y) => y.buffer.byteLength - x.buffer.byteLength);
  // keep the largest ones that fit the budget, at most two
  let bytes = 0;
  const kept = spares.filter((m) => (bytes += m.buffer.byteLength) <= SPARE_MAX_BYTES).slice(0, 2);
  spares.length = 0;
  spares.push(...kept);
}

/** Rows [first, first + rows) of each part: depends on the row count only. */
function partition(rows: number): { first: number; rows: number }[] {
  const count = Math.max(1, Math.min(MAX_PARTS, Math.floor(rows / MIN_PART_ROWS)));
  const perPart = Math.ceil(rows / count / 4) * 4;
  const parts = [];
  for (let first = 0; first < rows; first += perPart) parts.push({ first, rows: Math.min(perPart, rows - first) });
  return parts;
}

/**
 * Memory for row products: `doubles` for the caller's matrices at offsets 0 .., then scratch for
 * blocks and partial results sized for matrices of up to maxRows x maxCols.
 */
export class RowSpace {
  /** the whole memory as doubles; the caller's matrices live in [0, doubles) */
  readonly heap: Float64Array;
  /** whether the wasm kernels run here */
  get usesWasm(): boolean {
    return this.space !== null;
  }
  private readonly space: SharedSpace | null;
  private readonly xAt: number;
  private readonly wAt: number;
  private readonly outAt: number;

  /** `wasm: false` runs the JS loops even where the kernels are available (for tests). */
  constructor(doubles: number, maxRows: number, maxCols: number, wasm = true) {
    this.xAt = doubles;
    this.wAt = this.xAt + Math.max(maxRows, maxCols) * MAX_BLOCK;
    this.outAt = this.wAt + maxRows * MAX_BLOCK;
    const total = RowSpace.doubles(doubles, maxRows, maxCols);
    if (wasm && RowSpace.wasm(doubles, maxRows, maxCols)) {
      const memory = takeMemory(Math.ceil((total * 8) / 65536));
      this.space = { memory, id: spaceId() };
      this.heap = new Float64Array(memory.buffer);
    } else {
      this.space = null;
      this.heap = new Float64Array(total);
    }
  }

  /**
   * Done with this space: its memory may serve the next one (see takeMemory). The space must not
   * be used afterwards.
   */
  release(): void {
    if (this.space) keepMemory(this.space.memory);
  }

  /** Whether a space of this size runs the wasm kernels (else the JS loops). */
  static wasm(doubles: number, maxRows: number, maxCols: number): boolean {
    return RowSpace.doubles(doubles, maxRows, maxCols) * 8 <= MAX_WASM_BYTES && rowModule() !== null;
  }

  private static doubles(doubles: number, maxRows: number, maxCols: number): number {
    return doubles + (Math.max(maxRows, maxCols) + maxRows + Math.max(maxRows, MAX_PARTS * maxCols)) * MAX_BLOCK;
  }

  /** A X for X (a.cols, c) row-major; with `subtract`, W -= A X for W (a.rows, c) instead (in place). */
  forward(a: RowMatrix, x: Float64Array, c: number, w?: Float64Array): Float64Array {
    const result = w ?? new Float64Array(a.rows * c);
    this.chunks(c, (c0, cw, b) => {
      this.pack(x, a.cols, c, c0, cw, b, this.xAt);
      if (w) this.pack(w, a.rows, c, c0, cw, b, this.outAt);
      this.run(w ? SUBTRACT : FORWARD, a, b, this.xAt, (p) => this.outAt + p.first * b, b);
      this.unpack(this.outAt, a.rows, b, result, c, c0, cw);
    });
    return result;
  }

  /**
   * W -= A X, then A^T W (the updated W): one Gram-Schmidt step and the projections of the next,
   * in one sweep over A. W (a.rows, c) is updated in place; the results are those of forward
   * (subtract) followed by transposed, bit for bit.
   */
  project(a: RowMatrix, x: Float64Array, c: number, w: Float64Array): Float64Array {
    const result = new Float64Array(a.cols * c);
    this.chunks(c, (c0, cw, b) => {
      this.pack(x, a.cols, c, c0, cw, b, this.xAt);
      this.pack(w, a.rows, c, c0, cw, b, this.wAt);
      const parts = this.run(PROJECT, a, b, this.xAt, (_, index) => this.outAt + index * a.cols * b, 0);
      this.unpack(this.wAt, a.rows, b, w, c, c0, cw);
      this.sumPartials(parts, a.cols, b, result, c, c0, cw);
    });
    return result;
  }

  /** A^T T for T (a.rows, c) row-major. */
  transposed(a: RowMatrix, t: Float64Array, c: number): Float64Array {
    return this.reduced(TRANSPOSED, a, t, a.rows, c);
  }

  /** A^T (A X) for X (a.cols, c) row-major. */
  gram(a: RowMatrix, x: Float64Array, c: number): Float64Array {
    return this.reduced(GRAM, a, x, a.cols, c);
  }

  private reduced(mode: Mode, a: RowMatrix, input: Float64Array, inputRows: number, c: number): Float64Array {
    const result = new Float64Array(a.cols * c);
    const n = a.cols;
    this.chunks(c, (c0, cw, b) => {
      this.pack(input, inputRows, c, c0, cw, b, this.xAt);
      const parts = this.run(mode, a, b, this.xAt, (_, index) => this.outAt + index * n * b, 0);
      this.sumPartials(parts, n, b, result, c, c0, cw);
    });
    return result;
  }

  /** Y = (Y_0 + Y_1) + Y_2 + ..., in part order, into columns c0 .. c0 + cw - 1 of result (n, c) */
  private sumPartials(parts: number, n: number, b: number, result: Float64Array, c: number, c0: number, cw: number): void {
    const heap = this.heap;
    const sum = heap.slice(this.outAt, this.outAt + n * b);
    for (let p = 1; p < parts; p++) {
      const base = this.outAt + p * n * b;
      for (let i = 0; i < n * b; i++) sum[i] += heap[base + i];
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < cw; j++) result[i * c + c0 + j] = sum[i * b + j];
  }

  /** Column chunks of at most MAX_BLOCK, each padded to an even width b. */
  private chunks(c: number, body: (c0: number, cw: number, b: number) => void): void {
    for (let c0 = 0; c0 < c; c0 += MAX_BLOCK) {
      const cw = Math.min(MAX_BLOCK, c - c0);
      body(c0, cw, cw + (cw % 2));
    }
  }

  /** src (rows, c) columns c0 .. c0 + cw - 1 into the heap at `at` as (rows, b), zero-padded */
  private pack(src: Float64Array, rows: number, c: number, c0: number, cw: number, b: number, at: number): void {
    const heap = this.heap;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cw; j++) heap[at + i * b + j] = src[i * c + c0 + j];
      if (b > cw) heap[at + i * b + cw] = 0;
    }
  }

  private unpack(at: number, rows: number, b: number, dst: Float64Array, c: number, c0: number, cw: number): void {
    const heap = this.heap;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cw; j++) dst[c0 + i * c + j] = heap[at + i * b + j];
  }

  /** Runs the parts of one product; returns their number. */
  private run(mode: Mode, a: RowMatrix, b: number, x: number, out: (p: { first: number }, index: number) => number, ldo: number): number {
    const parts: RowPart[] = partition(a.rows).map((p, index) => ({
      space: this.space, heap: this.heap, mode, b,
      a: a.offset + p.first * a.ld, lda: a.ld, rows: p.rows, cols: a.cols,
      x: mode === TRANSPOSED ? x + p.first * b : x,
      out: out(p, index), ldo, w: this.wAt + p.first * b,
    }));
    if (this.space && parts.length > 1 && a.rows * a.cols * b >= PARALLEL_MIN_WORK) {
      // workers get the memory, not the heap view (it would be a copy of a plain array)
      runParts('rows', parts.map((p) => ({ ...p, heap: EMPTY })));
    } else {
      for (const p of parts) runRowPart(p);
    }
    return parts.length;
  }
}

const EMPTY = new Float64Array(0);
