/**
 * An asynchronous pool of worker threads for coarse, independent jobs: "call export F of module M
 * with these arguments" (arguments and result are structured-cloned). The analyses use it to run
 * separate fits (a weight matrix, each null draw) side by side; linalg/parallel.ts is the other
 * pool, synchronous and fine-grained, for the parts of one dense kernel.
 *
 * A job's result is whatever the function returns there, so results do not depend on the number
 * of threads; callers collect them in their own order. Threads: LINALG_THREADS, else the
 * available cores (at most 8); with one thread jobs run on the caller, one after another. Workers
 * start on the first job and hold the process open only while they have work.
 */
import { Worker } from 'node:worker_threads';
import { configuredThreads } from './threads.js';
import { fileURLToPath } from 'node:url';

interface Job {
  id: number;
  module: string;
  exportName: string;
  args: unknown[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  job: Job | null;
}

let workers: PoolWorker[] | null = null;
const queue: Job[] = [];
let nextId = 0;

/**
 * `module`'s export `exportName`, called with `args` in a worker thread; `module` is the file URL
 * of the module (its `import.meta.url`). The function may be async.
 */
export function runInWorker<T>(module: string, exportName: string, args: unknown[]): Promise<T> {
  if (configuredThreads() <= 1) return runHere(module, exportName, args) as Promise<T>;
  return new Promise<T>((resolve, reject) => {
    queue.push({ id: nextId++, module, exportName, args, resolve: resolve as (value: unknown) => void, reject });
    dispatch();
  });
}

async function runHere(module: string, exportName: string, args: unknown[]): Promise<unknown> {
  const loaded = (await import(module)) as Record<string, (...a: unknown[]) => unknown>;
  return loaded[exportName](...args);
}

function dispatch(): void {
  workers ??= Array.from({ length: configuredThreads() }, startWorker);
  for (const w of workers) {
    if (w.job !== null || queue.length === 0) continue;
    const job = queue.shift()!;
    w.job = job;
    w.worker.ref(); // a job in flight keeps the process alive
    w.worker.postMessage({ id: job.id, module: fileURLToPath(job.module), exportName: job.exportName, args: job.args });
  }
}

function startWorker(): PoolWorker {
  // The CommonJS bootstrap registers tsx in the thread (as linalg's workers do).
  const worker = new Worker(new URL('./worker-pool-entry.cjs', import.meta.url));
  const entry: PoolWorker = { worker, job: null };
  worker.unref();
  worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const job = entry.job!;
    entry.job = null;
    worker.unref();
    if (message.error !== undefined) job.reject(new Error(message.error));
    else job.resolve(message.result);
    dispatch();
  });
  worker.on('error', (error) => {
    // A worker that dies takes its job with it; the others carry on with the queue.
    const job = entry.job;
    entry.job = null;
    workers = workers!.filter((w) => w !== entry);
    job?.reject(error);
    if (workers.length === 0) workers = null;
    dispatch();
  });
  return entry;
}
