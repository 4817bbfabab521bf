/**
 * The specs of Papers 56, 57 and 57b load against the analysis catalog, and their consistency checks
 * judge the papers' own numbers as the spec notes say: the listed checks fail, every other one holds.
 */
import { describe, it, expect } from 'vitest';
import { validateSpec } from '../../src/claims/load.js';
import { checkConsistency } from '../../src/claims/consistency.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import p56 from '../../papers/p56-recursive-crystallization.js';
import p57 from '../../papers/p57-asymmetry-injection.js';
import p57b from '../../papers/p57b-pr-spreading.js';

/** Contradictions in the papers' own numbers, each explained in its claim's note. */
const EXPECTED_INCONSISTENT: Record<string, string[]> = {
  'p56-recursive-crystallization': [
    'vocab-vs-p54-unique-tokens',
    'l2-mse-magnitude-table',
    'six-of-nine-significant-table',
    'mu-ev-significant-all-table',
    'energy-concavity.tok-emb',
    'center-formula-6.1-slope',
    'center-formula-6.1-intercept',
    'center-formula-6.1-vs-centers',
    'center-formula-6.2-vs-centers',
    'center-formula-6.1-vs-6.2',
    'center-r2-above-0.93-table',
    'half-of-l1-is-centers',
    'summary-l1-mse-mean',
    'summary-sft-cosine-mean',
  ],
  'p57-asymmetry-injection': [
    'layer0-closest',
    'p54-energy-quote-low',
    'p54-energy-quote-high',
    'layers-vs-p54-skew-low',
    'random-init-vs-uniform',
    'random-init-vs-p51',
  ],
  'p57b-pr-spreading': [
    'p57-corpus-pr-quote',
    'p57-trained-pr-quote',
    'cosine-0.907-vs-p57',
    'loss-100-vs-p57',
    'loss-100-vs-p51-full',
    'single-direction-vs-p56',
  ],
};

describe.each([
  ['p56-recursive-crystallization', p56],
  ['p57-asymmetry-injection', p57],
  ['p57b-pr-spreading', p57b],
])('%s', (id, raw) => {
  const spec = validateSpec(raw, `${id}.ts`, ANALYSES);

  it('validates against the schema and the analysis catalog', () => {
    expect(spec.id).toBe(id);
  });

  it('flags exactly the expected contradictions among its consistency checks', () => {
    const inconsistent = spec.claims
      .filter((c) => c.test.kind === 'consistency')
      .filter((c) => c.test.kind === 'consistency' && !checkConsistency(c.test.expr, c.test.vars).holds)
      .map((c) => c.id);
    expect(inconsistent.sort()).toEqual([...EXPECTED_INCONSISTENT[id]].sort());
  });

  it('quotes every value claim with a printed number that parses', () => {
    for (const c of spec.claims) {
      if (c.test.kind === 'value') expect(c.test.rule.length, c.id).toBeGreaterThan(0);
      if (c.test.kind === 'untestable') expect(c.analysis, c.id).toBeUndefined();
    }
  });
});
