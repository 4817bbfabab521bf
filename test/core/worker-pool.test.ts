import { describe, expect, it } from 'vitest';
import { configuredThreads as poolThreads } from '../../src/core/threads.js';
import { runInWorker } from '../../src/core/worker-pool.js';

const fixture = new URL('./worker-pool-fixture.ts', import.meta.url).href;

describe('runInWorker', () => {
  it('returns what the function returns, structured-cloned (typed arrays included)', async () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i / 7);
    const expected = values.reduce((s, v) => s + v * v, 0);
    const r = await runInWorker<{ sum: number; thread: number }>(fixture, 'sumOfSquares', [values]);
    expect(r.sum).toBe(expected);
    if (poolThreads() > 1) expect(r.thread).not.toBe(0);
  });

  it('runs jobs side by side and keeps each result with its job', async () => {
    const jobs = Array.from({ length: 6 }, (_, i) => runInWorker<{ value: number; thread: number }>(fixture, 'slowEcho', [i, 150]));
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5]);
    if (poolThreads() > 1) expect(new Set(results.map((r) => r.thread)).size).toBeGreaterThan(1);
  });

  it("rejects with the worker's error, naming the function and module, and the pool carries on", async () => {
    await expect(runInWorker(fixture, 'fails', ['cake'])).rejects.toThrow(/fails in .*worker-pool-fixture\.ts: Error: no cake here/);
    const after = await runInWorker<{ sum: number }>(fixture, 'sumOfSquares', [Float64Array.of(3, 4)]);
    expect(after.sum).toBe(25);
  });
});
