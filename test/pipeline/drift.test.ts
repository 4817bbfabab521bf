import { describe, it, expect } from 'vitest';
import { makeLock, compareWithLock } from '../../src/pipeline/drift.js';
import type { PaperResult, RunInfo, ClaimResult } from '../../src/claims/types.js';

const claim = (id: string, regenerated: number | number[] | null, verdict: ClaimResult['verdict'], tolerance: number | null): ClaimResult => ({
  id,
  paper: 'p',
  quote: 'q',
  source: { section: '1' },
  test: { kind: 'untestable', reason: 'r' },
  paperValue: '1',
  regenerated,
  delta: null,
  tolerance,
  null: null,
  verdict,
  reason: '',
  analysis: null,
});

const results = (): PaperResult[] => [
  {
    id: 'p',
    title: 'P',
    analyses: [],
    file: 'f',
    summary: 's',
    toleranceRule: 't',
    interpretations: [],
    figures: [],
    claims: [claim('a', 0.7071, 'reproduced', 0.0005), claim('b', [2, 2, 2], 'trivial', null), claim('c', null, 'pending', null)],
  },
];
const run = { profile: 'ci', corpus: 'brown' } as RunInfo;

describe('drift gate', () => {
  it('an unchanged run passes', () => {
    expect(compareWithLock(results(), makeLock(results(), run))).toEqual([]);
  });

  it('a tampered number in the lock fails, naming from, to and tolerance', () => {
    const lock = makeLock(results(), run);
    lock.claims['p/a'].regenerated = 0.7081;
    const d = compareWithLock(results(), lock);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ claim: 'p/a', from: '0.7081', to: '0.7071', why: 'moved beyond tolerance' });
  });

  it('a move within the claim tolerance passes; lists use a tight numerical tolerance', () => {
    const lock = makeLock(results(), run);
    lock.claims['p/a'].regenerated = 0.7074;
    expect(compareWithLock(results(), lock)).toEqual([]);
    lock.claims['p/b'].regenerated = [2, 2, 2.001];
    expect(compareWithLock(results(), lock).map((x) => x.claim)).toEqual(['p/b']);
  });

  it('a changed verdict, a new claim and a removed claim fail', () => {
    const lock = makeLock(results(), run);
    lock.claims['p/c'].verdict = 'reproduced';
    lock.claims['p/gone'] = { verdict: 'consistent', regenerated: null, tolerance: null };
    delete lock.claims['p/a'];
    const why = compareWithLock(results(), lock).map((x) => `${x.claim}:${x.why}`).sort();
    expect(why).toEqual(['p/a:new claim', 'p/c:verdict changed', 'p/gone:claim removed']);
  });
});
