/**
 * WebAssembly SIMD128 kernels, assembled here from readable instructions (no toolchain, no
 * binary blobs): V8 runs scalar JS loops at about one multiply-add per cycle, while f64x2 lanes
 * do two. Each thread (the caller and every worker, see parallel.ts) compiles the module once at
 * load time (synchronously: Node allows that for any size) and owns a private scratch memory;
 * callers copy their operands in, call a kernel, and copy the result out (gemm.ts, rotations.ts),
 * or keep a working copy there for a whole factorization (svd.ts, householder.ts: above
 * KERNEL_SCRATCH_DOUBLES).
 *
 * rotationChain, gemmBlocks and matvecTransposed perform, lane by lane, exactly the scalar
 * operations of the JS loops they replace (no fused multiply-add, same order), so those results
 * are bit-identical to the JS fallback; matvec sums even and odd columns in separate lanes, so
 * the factorizations that use it differ from the fallback in the last bits. The fallback runs
 * only where WebAssembly SIMD is missing, or with LINALG_WASM=0. Every thread runs the same code
 * either way, so results never depend on the number of threads.
 *
 * Kernels (byte addresses into the scratch memory; all sizes in bytes unless noted):
 *   rotationChain(row, count, cos, sin, ld, wide, width): a chain of `count` Givens rotations on
 *     rows (0,1), (1,2), ... starting at `row` (row stride ld), on the first `width` bytes of
 *     each row; `wide` = width rounded down to 64 (the part done eight doubles at a time).
 *   gemmBlocks(a, lda, b, n, k, c, ldc, rowBlocks, alpha): C += alpha A B^T for A (4 rowBlocks,
 *     k) at a (row stride lda), B^T packed as (k, n) at b with n (doubles) a multiple of 4, and C
 *     (4 rowBlocks, n) at c (row stride ldc). Each C entry gets C + alpha (sum_p a_p b_p, summed
 *     in order from 0); 4 x 4 blocks of C are held in eight f64x2 registers.
 *   matvecTransposed(a, ld, rows, width, v, y): y += A^T v for A (rows, width / 8) at a (row
 *     stride ld), width a multiple of 16; four rows per pass, y[c] += ((v0 A0c + v1 A1c) + v2 A2c)
 *     + v3 A3c, as in the JS loop it replaces.
 *   matvec(a, ld, rows, width, u, x): x = A u for the same A; even and odd columns are summed in
 *     the two lanes and added at the end.
 *   subtractScaled(a, ld, rows, width, s, v): A(r, :) -= s[r] v for the same A (a rank-one update).
 */

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

/** Unsigned LEB128. */
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

/** Signed LEB128 (for i32.const). */
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

/** One function body: parameters are locals 0..params-1 (i32 unless typed); more come from local(). */
class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];
  readonly paramTypes: number[];
  constructor(readonly params: number, lastParamType = I32) {
    this.paramTypes = [...new Array(params - 1).fill(I32), lastParamType];
  }

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
  sub(): this { return this.op(0x6b); }
  and(): this { return this.op(0x71); }
  shl(): this { return this.op(0x74); }
  mul(): this { return this.op(0x6c); }
  /** local i += step */
  increment(i: number, step: number): this { return this.get(i).i32(step).add().set(i); }
  /** f64.load at (address on the stack) + offset, then splat into both lanes */
  loadSplat(offset = 0): this { return this.op(0x2b, 3, ...u32(offset), 0xfd, ...u32(0x14)); }
  load128(offset = 0): this { return this.op(0xfd, ...u32(0x00), 3, ...u32(offset)); }
  store128(offset = 0): this { return this.op(0xfd, ...u32(0x0b), 3, ...u32(offset)); }
  addF64x2(): this { return this.op(0xfd, ...u32(0xf0)); }
  subF64x2(): this { return this.op(0xfd, ...u32(0xf1)); }
  mulF64x2(): this { return this.op(0xfd, ...u32(0xf2)); }
  /** f64x2.splat of the f64 on the stack */
  splat(): this { return this.op(0xfd, ...u32(0x14)); }
  /** f64x2.extract_lane */
  lane(index: number): this { return this.op(0xfd, ...u32(0x21), index); }
  addF64(): this { return this.op(0xa0); }
  storeF64(offset = 0): this { return this.op(0x39, 3, ...u32(offset)); }
  zeroV128(): this { return this.op(0xfd, ...u32(0x0c), ...new Array(16).fill(0)); }

  /** while (i < limit) { body(); i += step } for i32 locals (unsigned compare) */
  whileLess(i: number, limit: number, step: number, body: () => void): this {
    this.op(0x02, 0x40, 0x03, 0x40); // block, loop
    this.get(i).get(limit).op(0x4f).op(0x0d, 1); // i >= limit: leave the block
    body();
    this.increment(i, step);
    return this.op(0x0c, 0, 0x0b, 0x0b); // br loop, end loop, end block
  }

  encode(): number[] {
    const locals = [...u32(this.localTypes.length), ...this.localTypes.flatMap((t) => [1, t])];
    const body = [...locals, ...this.code, 0x0b];
    return [...u32(body.length), ...body];
  }
}

function rotationChain(): FunctionBuilder {
  const f = new FunctionBuilder(7);
  const [row, count, cos, sin, ld, wide, width] = [0, 1, 2, 3, 4, 5, 6];
  const t = f.local(I32);
  const r0 = f.local(I32);
  const q = f.local(I32);
  const end = f.local(I32);
  const c = f.local(V128);
  const s = f.local(V128);
  const y = f.local(V128);
  const x = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.get(count).i32(3).shl().set(end);

  // Columns t..t+8*lanes carried down the chain in registers x: each row is read and written once.
  const sweep = (lanes: number): void => {
    f.get(row).get(t).add().set(r0);
    for (let k = 0; k < lanes; k++) f.get(r0).load128(16 * k).set(x[k]);
    f.i32(0).set(q);
    f.whileLess(q, end, 8, () => {
      f.get(cos).get(q).add().loadSplat().set(c);
      f.get(sin).get(q).add().loadSplat().set(s);
      f.get(r0).get(ld).add().set(r0); // r0 now points at the next row; the previous is r0 - ld
      for (let k = 0; k < lanes; k++) {
        f.get(r0).load128(16 * k).set(y);
        // previous row <- c x + s y
        f.get(r0).get(ld).sub();
        f.get(c).get(x[k]).mulF64x2().get(s).get(y).mulF64x2().addF64x2().store128(16 * k);
        // x <- c y - s x
        f.get(c).get(y).mulF64x2().get(s).get(x[k]).mulF64x2().subF64x2().set(x[k]);
      }
    });
    for (let k = 0; k < lanes; k++) f.get(r0).get(x[k]).store128(16 * k);
  };
  f.i32(0).set(t);
  f.whileLess(t, wide, 64, () => sweep(4));
  f.whileLess(t, width, 16, () => sweep(1));
  return f;
}

function gemmBlocks(): FunctionBuilder {
  const f = new FunctionBuilder(9, F64);
  const [a, lda, b, n, k, c, ldc, rowBlocks, alpha] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const block = f.local(I32);
  const rowBytes = f.local(I32);
  const j = f.local(I32);
  const p = f.local(I32);
  const bp = f.local(I32);
  const aRow = f.local(I32); // row 0 of the current 4-row block of A
  const cRow = f.local(I32); // row 0 of the current 4-row block of C
  const rows = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)]; // A rows at column p
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const av = f.local(V128);
  const scale = f.local(V128);
  // acc[r][h]: the sums for C[r, j + 2h .. j + 2h + 1] of the current 4 x 4 block
  const acc = [0, 1, 2, 3].map(() => [f.local(V128), f.local(V128)]);
  f.get(alpha).splat().set(scale);
  f.get(n).i32(3).shl().set(rowBytes);
  f.get(a).set(aRow);
  f.get(c).set(cRow);
  f.i32(0).set(block);
  f.whileLess(block, rowBlocks, 1, () => {
    f.i32(0).set(j);
    f.whileLess(j, rowBytes, 32, () => {
      for (const pair of acc) for (const v of pair) f.zeroV128().set(v);
      f.get(aRow).set(rows[0]);
      for (let r = 1; r < 4; r++) f.get(rows[r - 1]).get(lda).add().set(rows[r]);
      f.get(b).get(j).add().set(bp);
      f.i32(0).set(p);
      f.whileLess(p, k, 1, () => {
        f.get(bp).load128(0).set(b0);
        f.get(bp).load128(16).set(b1);
        for (let r = 0; r < 4; r++) {
          f.get(rows[r]).loadSplat().set(av);
          f.get(acc[r][0]).get(av).get(b0).mulF64x2().addF64x2().set(acc[r][0]);
          f.get(acc[r][1]).get(av).get(b1).mulF64x2().addF64x2().set(acc[r][1]);
          f.increment(rows[r], 8);
        }
        f.get(bp).get(rowBytes).add().set(bp);
      });
      // C += alpha acc
      for (let r = 0; r < 4; r++) {
        for (let h = 0; h < 2; h++) {
          f.get(cRow).get(ldc).i32(r).mul().add().get(j).add(); // address
          f.get(cRow).get(ldc).i32(r).mul().add().get(j).add().load128(16 * h);
          f.get(scale).get(acc[r][h]).mulF64x2().addF64x2().store128(16 * h);
        }
      }
    });
    f.get(aRow).get(lda).i32(2).shl().add().set(aRow);
    f.get(cRow).get(ldc).i32(2).shl().add().set(cRow);
  });
  return f;
}

function matvecTransposed(): FunctionBuilder {
  const f = new FunctionBuilder(6);
  const [a, ld, rows, width, v, y] = [0, 1, 2, 3, 4, 5];
  const r = f.local(I32);
  const rows4 = f.local(I32);
  const c = f.local(I32);
  const vp = f.local(I32);
  const row = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const scale = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.get(rows).i32(-4).and().set(rows4);
  f.get(a).set(row[0]);
  f.get(v).set(vp);
  f.i32(0).set(r);
  f.whileLess(r, rows4, 4, () => {
    for (let k = 1; k < 4; k++) f.get(row[k - 1]).get(ld).add().set(row[k]);
    for (let k = 0; k < 4; k++) f.get(vp).loadSplat(8 * k).set(scale[k]);
    f.i32(0).set(c);
    f.whileLess(c, width, 16, () => {
      f.get(y).get(c).add(); // store address
      f.get(y).get(c).add().load128();
      for (let k = 0; k < 4; k++) {
        f.get(scale[k]).get(row[k]).get(c).add().load128().mulF64x2();
        if (k > 0) f.addF64x2();
      }
      f.addF64x2().store128();
    });
    f.get(row[3]).get(ld).add().set(row[0]);
    f.increment(vp, 32);
  });
  f.whileLess(r, rows, 1, () => {
    f.get(vp).loadSplat().set(scale[0]);
    f.i32(0).set(c);
    f.whileLess(c, width, 16, () => {
      f.get(y).get(c).add();
      f.get(y).get(c).add().load128();
      f.get(scale[0]).get(row[0]).get(c).add().load128().mulF64x2();
      f.addF64x2().store128();
    });
    f.get(row[0]).get(ld).add().set(row[0]);
    f.increment(vp, 8);
  });
  return f;
}

function matvec(): FunctionBuilder {
  const f = new FunctionBuilder(6);
  const [a, ld, rows, width, u, x] = [0, 1, 2, 3, 4, 5];
  const r = f.local(I32);
  const rows4 = f.local(I32);
  const c = f.local(I32);
  const xp = f.local(I32);
  const row = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const acc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const uc = f.local(V128);
  const pass = (count: number): void => {
    for (let k = 1; k < count; k++) f.get(row[k - 1]).get(ld).add().set(row[k]);
    for (let k = 0; k < count; k++) f.zeroV128().set(acc[k]);
    f.i32(0).set(c);
    f.whileLess(c, width, 16, () => {
      f.get(u).get(c).add().load128().set(uc);
      for (let k = 0; k < count; k++) f.get(acc[k]).get(row[k]).get(c).add().load128().get(uc).mulF64x2().addF64x2().set(acc[k]);
    });
    for (let k = 0; k < count; k++) f.get(xp).get(acc[k]).lane(0).get(acc[k]).lane(1).addF64().storeF64(8 * k);
    f.get(row[count - 1]).get(ld).add().set(row[0]);
    f.increment(xp, 8 * count);
  };
  f.get(rows).i32(-4).and().set(rows4);
  f.get(a).set(row[0]);
  f.get(x).set(xp);
  f.i32(0).set(r);
  f.whileLess(r, rows4, 4, () => pass(4));
  f.whileLess(r, rows, 1, () => pass(1));
  return f;
}

function subtractScaled(): FunctionBuilder {
  const f = new FunctionBuilder(6);
  const [a, ld, rows, width, scales, v] = [0, 1, 2, 3, 4, 5];
  const r = f.local(I32);
  const row = f.local(I32);
  const sp = f.local(I32);
  const c = f.local(I32);
  const scale = f.local(V128);
  f.get(a).set(row);
  f.get(scales).set(sp);
  f.i32(0).set(r);
  f.whileLess(r, rows, 1, () => {
    f.get(sp).loadSplat().set(scale);
    f.i32(0).set(c);
    f.whileLess(c, width, 16, () => {
      f.get(row).get(c).add(); // address
      f.get(row).get(c).add().load128();
      f.get(scale).get(v).get(c).add().load128().mulF64x2().subF64x2().store128();
    });
    f.get(row).get(ld).add().set(row);
    f.increment(sp, 8);
  });
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

/** The module: imports env.memory, exports the kernels, all of them (i32...) -> (). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const functions: [string, FunctionBuilder][] = [
    ['rotationChain', rotationChain()], ['gemmBlocks', gemmBlocks()], ['matvecTransposed', matvecTransposed()], ['matvec', matvec()],
    ['subtractScaled', subtractScaled()],
  ];
  const types = functions.map(([, f]) => [0x60, ...u32(f.params), ...f.paramTypes, 0]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // memory, min 1 page
    ...section(3, vector(functions.map((_, i) => u32(i)))),
    ...section(7, vector(functions.map(([fname], i) => [...name(fname), 0x00, ...u32(i)]))),
    ...section(10, vector(functions.map(([, f]) => f.encode()))),
  ]);
}

/**
 * Doubles at the start of the scratch memory that the gemm and rotation calls use as they like
 * (gemm.ts needs 256 x 256 + 2 x 128 x 256); a workspace that must survive such calls (the
 * bidiagonalization's matrix, svd.ts) lives above. Scratch that is big enough never grows, so
 * views into it stay valid while no caller asks for more.
 */
export const KERNEL_SCRATCH_DOUBLES = 131_072;

export interface WasmKernels {
  rotationChain(row: number, count: number, cos: number, sin: number, ld: number, wide: number, width: number): void;
  gemmBlocks(a: number, lda: number, b: number, n: number, k: number, c: number, ldc: number, rowBlocks: number, alpha: number): void;
  matvecTransposed(a: number, ld: number, rows: number, width: number, v: number, y: number): void;
  matvec(a: number, ld: number, rows: number, width: number, u: number, x: number): void;
  subtractScaled(a: number, ld: number, rows: number, width: number, scales: number, v: number): void;
  /** The scratch memory as doubles, at least `doubles` long (grows it when needed; re-fetch after). */
  heap(doubles: number): Float64Array;
  /**
   * Whoever last left data in the scratch memory for a later call (rotations.ts keeps the
   * rotation coefficients there across the parts of a task); every other user sets it to null.
   */
  scratchOwner: object | null;
}

let kernels: WasmKernels | null | undefined;

/** This thread's kernels, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
export function wasmKernels(): WasmKernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  if (process.env.LINALG_WASM === '0') return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), { env: { memory } });
    const exports = instance.exports as unknown as Omit<WasmKernels, 'heap'>;
    let view = new Float64Array(memory.buffer);
    kernels = {
      rotationChain: exports.rotationChain,
      gemmBlocks: exports.gemmBlocks,
      matvecTransposed: exports.matvecTransposed,
      matvec: exports.matvec,
      scratchOwner: null,
      subtractScaled: exports.subtractScaled,
      heap(doubles: number): Float64Array {
        const bytes = doubles * 8;
        if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
        if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
        return view;
      },
    };
  } catch {
    kernels = null;
  }
  return kernels;
}
