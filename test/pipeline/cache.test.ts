import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageCache, hashKey } from '../../src/pipeline/cache.js';

describe('stage cache', () => {
  it('stores typed arrays and non-finite numbers, and computes each key once', async () => {
    const cache = new StageCache(mkdtempSync(join(tmpdir(), 'cache-')));
    let calls = 0;
    const compute = async () => {
      calls++;
      return { m: { rows: 1, cols: 3, data: new Float64Array([1, NaN, -2.5]) }, ids: new Int32Array([7, 8]), x: Infinity };
    };
    const a = await cache.getOrCompute('stage', 'k', compute);
    const b = await new StageCache(cache.dir).getOrCompute('stage', 'k', compute);
    expect(calls).toBe(1);
    expect(b.m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(b.m.data)).toEqual(Array.from(a.m.data));
    expect(Array.from(b.ids)).toEqual([7, 8]);
    expect(b.x).toBe(Infinity);
    expect(readdirSync(cache.dir).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('a failed stage leaves no entry behind', async () => {
    const cache = new StageCache(mkdtempSync(join(tmpdir(), 'cache-')));
    await expect(cache.getOrCompute('stage', 'k', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(cache.has('stage', 'k')).toBe(false);
  });

  it('keys change with any parameter', () => {
    expect(hashKey({ a: 1 })).not.toBe(hashKey({ a: 2 }));
  });
});
