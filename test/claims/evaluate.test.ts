import { describe, it, expect } from 'vitest';
import { evaluateClaim, type AnalysisOutcome } from '../../src/claims/evaluate.js';
import { Claim } from '../../src/claims/schema.js';

const claim = (test: unknown, analysis?: unknown) =>
  Claim.parse({ id: 'c1', quote: 'q', source: { section: '1' }, test, ...(analysis ? { analysis } : {}) });

const done = (outputs: Record<string, number | number[]>, nulls?: Record<string, (number | number[])[]>): AnalysisOutcome => ({
  kind: 'done',
  result: { outputs, nulls, nullDescription: 'random' },
});

describe('verdicts', () => {
  const ref = { name: 'a', output: 'x' };

  it('reproduced within half a unit of the last printed digit', () => {
    const r = evaluateClaim(claim({ kind: 'value', paper: '0.707', rule: 'r' }, ref), 'p', done({ x: 0.7074 }));
    expect(r.verdict).toBe('reproduced');
    expect(r.tolerance).toBeCloseTo(0.0005, 12);
    expect(r.delta).toBeCloseTo(0.0004, 12);
  });

  it('not reproduced outside the tolerance, and percent is read as a fraction', () => {
    const r = evaluateClaim(claim({ kind: 'value', paper: '70.7%', rule: 'r' }, ref), 'p', done({ x: 0.72 }));
    expect(r.verdict).toBe('not-reproduced');
  });

  it('words the reason with the report\'s number rules', () => {
    const r = evaluateClaim(claim({ kind: 'value', paper: '-0.5', rule: 'r' }, ref), 'p', done({ x: -1.04791 }));
    expect(r.reason).toBe('regenerated −1.048 differs from -0.5 by −0.5479 (tol ±0.05)');
    const ok = evaluateClaim(claim({ kind: 'value', paper: '15,007', rule: 'r' }, ref), 'p', done({ x: 15007.2 }));
    expect(ok.reason).toBe('regenerated 15,007 within ±0.5 of 15,007');
  });

  it('an explicit tolerance replaces the printed precision', () => {
    const c = claim({ kind: 'value', paper: '6,047', tolerance: { rel: 0.05 }, rule: 'r' }, ref);
    expect(evaluateClaim(c, 'p', done({ x: 6300 })).verdict).toBe('reproduced');
    expect(evaluateClaim(c, 'p', done({ x: 6400 })).verdict).toBe('not-reproduced');
  });

  it('trivial when the null control passes in at least half of its seeds', () => {
    const c = claim({ kind: 'bound', op: '<', paper: '0.012' }, ref);
    const r = evaluateClaim(c, 'p', done({ x: [0.001, 0.002] }, { x: [[0.003, 0.004], [0.001, 0.02], [0.005, 0.001]] }));
    expect(r.verdict).toBe('trivial');
    expect(r.null?.passing).toBe(2);
    const r2 = evaluateClaim(c, 'p', done({ x: [0.001, 0.002] }, { x: [[0.3, 0.4], [0.1, 0.02], [0.005, 0.001]] }));
    expect(r2.verdict).toBe('reproduced');
  });

  it('ranges are widened by the rounding of their ends; indices pick one element', () => {
    const c = claim({ kind: 'range', min: '19.2', max: '53.6' }, { name: 'a', output: 'x', index: 1 });
    expect(evaluateClaim(c, 'p', done({ x: [0, 53.64] })).verdict).toBe('reproduced');
    expect(evaluateClaim(c, 'p', done({ x: [0, 53.66] })).verdict).toBe('not-reproduced');
  });

  it('predicates see the regenerated value as x', () => {
    const c = claim({ kind: 'predicate', expr: 'increasing(x)' }, ref);
    expect(evaluateClaim(c, 'p', done({ x: [1, 2, 3] })).verdict).toBe('reproduced');
    expect(evaluateClaim(c, 'p', done({ x: [1, 3, 2] })).verdict).toBe('not-reproduced');
  });

  it('pending and untestable claims keep their reasons', () => {
    const c = claim({ kind: 'value', paper: '1.0', rule: 'r' }, ref);
    const r = evaluateClaim(c, 'p', { kind: 'pending', reason: 'trained models' });
    expect(r.verdict).toBe('pending');
    expect(r.reason).toContain('trained models');
    const u = evaluateClaim(claim({ kind: 'untestable', reason: 'column lost in extraction' }), 'p', null);
    expect(u).toMatchObject({ verdict: 'untestable', reason: 'column lost in extraction' });
  });

  it('consistency claims are judged on the paper numbers alone', () => {
    const c = claim({ kind: 'consistency', expr: 'a / b == r', vars: { a: '5.83', b: '16.47', r: '0.354' } });
    expect(evaluateClaim(c, 'p', null).verdict).toBe('consistent');
    const bad = claim({ kind: 'consistency', expr: 'a / b == r', vars: { a: '13.04', b: '15.66', r: '0.91' } });
    expect(evaluateClaim(bad, 'p', null).verdict).toBe('inconsistent');
  });

  it('a value test on a list without an index is an error, not a verdict', () => {
    const c = claim({ kind: 'value', paper: '1.0', rule: 'r' }, ref);
    expect(() => evaluateClaim(c, 'p', done({ x: [1, 2] }))).toThrow(/single number/);
  });
});
