/**
 * A tiny synchronous thread pool for the big dense kernels. The linear-algebra API stays
 * synchronous: the caller and the worker threads take the parts of a task from a shared counter,
 * and the caller blocks on Atomics.wait until the workers are done. Operands live in
 * SharedArrayBuffers.
 *
 * Results never depend on the number of threads: callers split work into parts whose arithmetic
 * is identical wherever it runs (rows of a product, columns of a rotation sequence, halves of a
 * TSQR), and which thread runs which part changes nothing (test/linalg/parallel.test.ts checks
 * bit-identical results).
 *
 * Threads: LINALG_THREADS (default: available cores, at most 8); 1 disables the pool. Workers
 * start lazily on first use, in the background: until they are up, all parts run on the caller.
 */
import { Worker } from 'node:worker_threads';
import { configuredThreads } from '../core/threads.js';
import { TASKS, type TaskName } from './tasks.js';

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function isShared(x: Float64Array): boolean {
  return x.buffer instanceof SharedArrayBuffer;
}

/** A shared copy of x (or x itself if it is already shared). */
export function toShared(x: Float64Array): Float64Array {
  if (isShared(x)) return x;
  const copy = sharedFloat64(x.length);
  copy.set(x);
  return copy;
}

interface PoolWorker {
  worker: Worker;
  /** [0] = 1 once the worker has loaded its modules */
  ready: Int32Array;
  /** [0] flips to 1 when the current task is done, [1] = 1 if it failed */
  done: Int32Array;
}

let pool: PoolWorker[] | null = null;

function startPool(): PoolWorker[] {
  const workers: PoolWorker[] = [];
  const count = configuredThreads() - 1;
  // A CommonJS bootstrap registers tsx in the worker itself: ESM loader flags are not inherited
  // reliably by worker threads (Node 20), and vitest's loader is not present there at all.
  const url = new URL('./worker-entry.cjs', import.meta.url);
  for (let i = 0; i < count; i++) {
    try {
      const ready = new Int32Array(new SharedArrayBuffer(4));
      const done = new Int32Array(new SharedArrayBuffer(8));
      const worker = new Worker(url, { workerData: { ready, done } });
      worker.unref(); // never keep the process alive
      worker.on('error', () => {
        // A broken worker is dropped; its parts will run on the caller from now on.
        Atomics.store(ready, 0, 0);
        Atomics.store(done, 1, 1);
        Atomics.store(done, 0, 1);
        Atomics.notify(done, 0);
      });
      workers.push({ worker, ready, done });
    } catch {
      break;
    }
  }
  return workers;
}

/** Workers that have started (between tasks they are idle). */
function readyWorkers(): PoolWorker[] {
  pool ??= startPool();
  return pool.filter((w) => Atomics.load(w.ready, 0) === 1);
}

/** Starts the pool now and waits (up to timeoutMs) until it is ready; optional warm-up. */
export function warmUpThreads(timeoutMs = 10000): number {
  pool ??= startPool();
  const deadline = Date.now() + timeoutMs;
  for (const w of pool) {
    while (Atomics.load(w.ready, 0) !== 1 && Date.now() < deadline) Atomics.wait(w.ready, 0, 0, 50);
  }
  return readyWorkers().length + 1;
}

/**
 * Runs TASKS[name](parts[i]) for every i and returns when all are done. The caller and the ready
 * workers take parts from a shared counter until none are left, so a thread that the OS
 * schedules late (on a busy machine) simply takes fewer parts. Give a few parts per thread
 * (see partCount); every part must write its own, disjoint output.
 */
export function runParts<N extends TaskName>(name: N, parts: Parameters<(typeof TASKS)[N]>[0][]): void {
  const task = TASKS[name] as (args: unknown) => void;
  const helpers = parts.length > 1 ? readyWorkers().slice(0, availableThreads() - 1) : [];
  if (helpers.length === 0) {
    for (const part of parts) task(part);
    return;
  }
  const counter = new Int32Array(new SharedArrayBuffer(4));
  for (const w of helpers) {
    Atomics.store(w.done, 0, 0);
    Atomics.store(w.done, 1, 0);
    w.worker.postMessage({ name, parts, counter });
  }
  for (let i = Atomics.add(counter, 0, 1); i < parts.length; i = Atomics.add(counter, 0, 1)) task(parts[i]);
  let failed = false;
  for (const w of helpers) {
    while (Atomics.load(w.done, 0) === 0) Atomics.wait(w.done, 0, 0, 1000);
    if (Atomics.load(w.done, 1) === 1) failed = true;
  }
  if (failed) throw new Error(`linalg: a worker thread failed on task ${name} (its error is printed above)`);
}

/** How many parts to cut a job into for `threads` threads: a few each, for load balancing. */
export function partCount(threads: number): number {
  return threads > 1 ? 4 * threads : 1;
}

let threadLimit = Infinity;

/** Caps the threads used from now on (1 = caller only); for tests that compare thread counts. */
export function limitThreads(max: number): void {
  threadLimit = Math.max(1, max);
}

/** Number of threads a task can use right now (1 = the caller only). */
export function availableThreads(): number {
  if (threadLimit === 1) return 1;
  return Math.min(threadLimit, readyWorkers().length + 1);
}

export { TASKS };
