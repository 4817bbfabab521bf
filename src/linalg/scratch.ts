/**
 * Work arrays kept between calls. A fresh typed array is expensive on the machines this runs on:
 * the OS hands out each new 4 KiB page zero-filled on first touch, which measured 5-15 us per
 * page on the 2-core benchmark machine (1-4 ms per MiB), and V8 frees large backing stores only
 * after a garbage collection, so a solver that allocates its workspace on every call pays that on
 * every call (for a 15007 x 256 SVD, most of the time went there). take() hands out a zeroed
 * array from a per-thread pool; give() returns it for the next take() of a similar size.
 *
 * Sizes are rounded up to classes 2^(k/4) apart (at most 19% unused), and at most
 * RETAINED_BYTES per thread and kind are kept; beyond that give() lets the array go.
 * An array must not be used after it was given back; arrays handed to worker threads must be
 * shared ones (take(length, true)), given back only after runParts has returned.
 */

const RETAINED_BYTES = 256 * 1024 * 1024;
/** Below this many doubles a plain allocation is cheap (V8's own heap or malloc's free lists). */
const MIN_POOLED = 2048;

interface Pool {
  free: Map<number, Float64Array[]>;
  bytes: number;
}

/** Buffers made by take(): only those are pooled. */
const ours = new WeakSet<ArrayBufferLike>();

const pools: { plain: Pool; shared: Pool } = {
  plain: { free: new Map(), bytes: 0 },
  shared: { free: new Map(), bytes: 0 },
};

/** The smallest class size (doubles) >= length. */
function classSize(length: number): number {
  const k = Math.ceil(4 * Math.log2(length));
  let size = Math.ceil(2 ** (k / 4));
  if (size < length) size = length; // rounding of the power
  return size;
}

/** A zeroed array of `length` doubles (shared memory if `shared`), from the pool when possible. */
export function take(length: number, shared = false): Float64Array {
  if (length < MIN_POOLED) return shared ? new Float64Array(new SharedArrayBuffer(Math.max(8, 8 * length))).subarray(0, length) : new Float64Array(length);
  const pool = shared ? pools.shared : pools.plain;
  const size = classSize(length);
  const list = pool.free.get(size);
  const whole = list?.pop();
  if (whole) {
    pool.bytes -= whole.byteLength;
    const view = whole.subarray(0, length);
    view.fill(0);
    return view;
  }
  const buffer = shared ? new SharedArrayBuffer(8 * size) : new ArrayBuffer(8 * size);
  ours.add(buffer);
  return new Float64Array(buffer, 0, length);
}

/** Returns arrays from take() to the pool (others, and views of them, are ignored). */
export function give(...arrays: (Float64Array | null | undefined)[]): void {
  for (const array of arrays) {
    if (!array || array.byteOffset !== 0 || !ours.has(array.buffer)) continue;
    const size = array.buffer.byteLength / 8;
    const pool = array.buffer instanceof SharedArrayBuffer ? pools.shared : pools.plain;
    if (pool.bytes + array.buffer.byteLength > RETAINED_BYTES) continue;
    const whole = new Float64Array(array.buffer);
    let list = pool.free.get(size);
    if (!list) pool.free.set(size, (list = []));
    if (list.some((x) => x.buffer === array.buffer)) throw new Error('scratch: an array was given back twice');
    list.push(whole);
    pool.bytes += array.buffer.byteLength;
  }
}

/** An allocator for code that takes one (allocatePanels, alloc parameters): arrays from take(). */
export function taker(shared: boolean): (length: number) => Float64Array {
  return (length) => take(length, shared);
}
