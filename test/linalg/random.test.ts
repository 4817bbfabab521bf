import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix } from '../../src/linalg/random.js';

describe('createRng', () => {
  it('is determined by its seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(first);
    expect(gaussianMatrix(3, 4, 7).data).toEqual(gaussianMatrix(3, 4, 7).data);
  });

  it('gives uniforms in [0, 1) and standard normals', () => {
    const rng = createRng(1);
    const count = 100000;
    let sum = 0;
    let sumSquares = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < count; i++) {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (let i = 0; i < count; i++) {
      const x = rng.normal();
      sum += x;
      sumSquares += x * x;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.02); // 5 standard errors
    expect(Math.abs(sumSquares / count - 1)).toBeLessThan(0.03);
    const scaled = gaussianMatrix(100, 100, 3, 0.5).data;
    const variance = scaled.reduce((s, x) => s + x * x, 0) / scaled.length;
    expect(variance).toBeCloseTo(0.25, 1);
  });
});
