/**
 * How many threads the worker pools use (linalg/parallel.ts for dense kernels, core/worker-pool.ts
 * for whole jobs): LINALG_THREADS, else the available cores, at most 8; 1 runs everything on the
 * caller.
 */
import { availableParallelism } from 'node:os';

export function configuredThreads(): number {
  const fromEnv = Number(process.env.LINALG_THREADS);
  if (Number.isFinite(fromEnv) && fromEnv >= 1) return Math.floor(fromEnv);
  return Math.min(8, availableParallelism());
}
