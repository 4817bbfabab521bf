/** Jobs for test/core/worker-pool.test.ts, run in the pool's worker threads. */
import { threadId } from 'node:worker_threads';

export function sumOfSquares(values: Float64Array): { sum: number; thread: number } {
  let sum = 0;
  for (const v of values) sum += v * v;
  return { sum, thread: threadId };
}

export async function slowEcho<T>(value: T, ms: number): Promise<{ value: T; thread: number }> {
  const end = Date.now() + ms;
  while (Date.now() < end); // busy: holds its thread like a fit does
  return { value, thread: threadId };
}

export function fails(what: string): never {
  throw new Error(`no ${what} here`);
}
