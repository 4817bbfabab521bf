import { describe, it, expect } from 'vitest';
import { checkConsistency } from '../../src/claims/consistency.js';
import { parsePrinted } from '../../src/claims/numbers.js';

describe('printed numbers', () => {
  it('reads precision, thousands separators and percent', () => {
    expect(parsePrinted('0.0014')).toMatchObject({ value: 0.0014, halfUnit: 0.00005 });
    expect(parsePrinted('15,007')).toMatchObject({ value: 15007, halfUnit: 0.5 });
    const p = parsePrinted('70.7%');
    expect(p.value).toBeCloseTo(0.707, 12);
    expect(p.halfUnit).toBeCloseTo(0.0005, 12);
    expect(parsePrinted('-0.968').value).toBe(-0.968);
  });
});

describe('consistency checks over printed rounding', () => {
  it('accepts arithmetic that holds within rounding', () => {
    expect(checkConsistency('exp(L) == P', { L: '9.62', P: '15007' }).holds).toBe(true);
    // (82.0 - 79.9) / 79.9 = 2.63%, but the inputs' rounding reaches 2.75%: 2.7 is not contradicted
    expect(checkConsistency('(a - b) / b * 100 == g', { a: '82.0', b: '79.9', g: '2.7' }).holds).toBe(true);
  });

  it('rejects arithmetic that fails everywhere within rounding', () => {
    expect(checkConsistency('a * b == c', { a: '32', b: '256', c: '8,448' }).holds).toBe(false);
    const r = checkConsistency('exp(L) == P', { L: '9.62', P: '15,500' });
    expect(r.holds).toBe(false);
    expect(r.detail).toContain('exp(L)');
  });

  it('judges orderings and predicates on lists', () => {
    expect(checkConsistency('increasing(v)', { v: ['5.83', '9.31', '11.73', '13.70', '13.04'] }).holds).toBe(false);
    expect(checkConsistency('increasing(v)', { v: ['5.83', '9.31', '11.73', '13.70'] }).holds).toBe(true);
    expect(checkConsistency('sum(p < 0.05) == n', { p: ['0.009', '0.070', '0.046'], n: '2' }).holds).toBe(true);
    expect(checkConsistency('max(v) < 0.012', { v: ['0.009', '0.0120'] }).holds).toBe(true); // 0.0120 may be 0.01195
    expect(checkConsistency('max(v) < 0.012', { v: ['0.009', '0.013'] }).holds).toBe(false);
  });

  it('treats a value at a strict bound as not contradicted only through rounding', () => {
    expect(checkConsistency('x < 0.0014', { x: '0.0014' }).holds).toBe(true);
    expect(checkConsistency('x > 0.93', { x: '0.930' }).holds).toBe(true);
    expect(checkConsistency('x > 0.93', { x: '0.9300000' }).holds).toBe(true);
    expect(checkConsistency('x > 1', { x: '0.9' }).holds).toBe(false);
  });

  it('refuses expressions that are not relations or predicates', () => {
    expect(() => checkConsistency('a + b', { a: '1', b: '2' })).toThrow(/relation/);
  });
});
