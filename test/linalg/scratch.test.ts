import { describe, expect, it } from 'vitest';
import { give, take } from '../../src/linalg/scratch.js';

describe('scratch arrays', () => {
  it('hands out zeroed arrays of the length asked for, reusing given-back buffers', () => {
    const a = take(10_000);
    expect(a.length).toBe(10_000);
    a.fill(7);
    give(a);
    const b = take(9_990); // the same size class
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(9_990);
    expect(b.every((x) => x === 0)).toBe(true);
    const c = take(10_000); // the pool is empty again: a new buffer
    expect(c.buffer).not.toBe(b.buffer);
    give(b, c);
  });

  it('keeps shared and plain arrays apart, ignores foreign arrays and refuses a double give', () => {
    const s = take(5_000, true);
    expect(s.buffer).toBeInstanceOf(SharedArrayBuffer);
    give(s);
    expect(take(5_000).buffer).not.toBe(s.buffer);
    expect(take(5_000, true).buffer).toBe(s.buffer);
    give(new Float64Array(5_000)); // not from take(): ignored
    const d = take(6_000);
    give(d);
    expect(() => give(d)).toThrow(/twice/);
  });
});
