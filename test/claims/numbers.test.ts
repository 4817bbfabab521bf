import { describe, expect, it } from 'vitest';
import { formatDelta, formatNumber, formatOutput, formatTolerance, parsePrinted } from '../../src/claims/numbers.js';

describe('formatNumber', () => {
  it('shows at most 4 significant digits without trailing zeros', () => {
    expect(formatNumber(0.70710678)).toBe('0.7071');
    expect(formatNumber(2.003)).toBe('2.003');
    expect(formatNumber(31.7)).toBe('31.7');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });
  it('writes the typographic minus, in e-notation too', () => {
    expect(formatNumber(-0.5)).toBe('−0.5');
    expect(formatNumber(-15007)).toBe('−15,007');
    expect(formatNumber(1.23456e-7)).toBe('1.235e−7');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });
  it('prints whole numbers in full and tiny or huge ones in e-notation', () => {
    expect(formatNumber(15007)).toBe('15,007');
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(2.5e20)).toBe('2.5e20');
    expect(formatNumber(NaN)).toBe('NaN');
  });
  it('takes more digits where asked, still with separators', () => {
    expect(formatNumber(0.70710678, 6)).toBe('0.707107');
    expect(formatNumber(1234.56789, 6)).toBe('1,234.57');
    expect(formatNumber(123456.7, 6)).toBe('123,457');
  });
  it('reads back what it writes', () => {
    for (const x of [-0.5479, 15007, -1234, 0.0014]) expect(parsePrinted(formatNumber(x)).value).toBe(x);
  });
});

describe('deltas, tolerances and outputs', () => {
  it('signs a delta and words a tolerance', () => {
    expect(formatDelta(0.0123)).toBe('+0.0123');
    expect(formatDelta(-2)).toBe('−2');
    expect(formatDelta(0)).toBe('0');
    expect(formatTolerance(0.005)).toBe('tol ±0.005');
  });
  it('shortens long arrays and names their length', () => {
    expect(formatOutput([2, 2, 2, 2, 2, 2, 2, 2])).toBe('[2, 2, 2, … ×8]');
    expect(formatOutput([1, 2.5])).toBe('[1, 2.5]');
    expect(formatOutput(null)).toBe('—');
  });
});
