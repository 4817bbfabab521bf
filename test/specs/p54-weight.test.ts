/**
 * The Paper 54 and weight-from-pr specs load, reference only declared analyses and outputs, and
 * every consistency expression and predicate evaluates (so a typo fails here, not in a report).
 */
import { describe, expect, it } from 'vitest';
import { PaperSpec } from '../../src/claims/schema.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import { checkConsistency, math } from '../../src/claims/consistency.js';
import p54 from '../../papers/p54-attention-view.js';
import weightFromPr from '../../papers/weight-from-pr.js';

const outputsByAnalysis = new Map<string, Record<string, string>>([...ANALYSES].map(([name, d]) => [name, d.outputs]));

describe.each([
  ['p54-attention-view', p54],
  ['weight-from-pr', weightFromPr],
])('spec %s', (id, raw) => {
  const parsed = PaperSpec.safeParse(raw);

  it('validates against the schema', () => {
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data?.id).toBe(id);
  });

  it('references only declared analyses and outputs', () => {
    const spec = parsed.data!;
    const refs = [
      ...spec.claims.flatMap((c) => (c.analysis ? [{ where: c.id, ...c.analysis }] : [])),
      ...spec.figures.flatMap((f) => (f.kind === 'series' ? [{ where: f.id, ...f.analysis }] : [])),
    ];
    const unknown = refs
      .filter((r) => !(outputsByAnalysis.get(r.name) && r.output in outputsByAnalysis.get(r.name)!))
      .map((r) => `${r.where}: ${r.name}.${r.output}`);
    expect(unknown).toEqual([]);
  });

  it('evaluates every consistency check', () => {
    const failures: string[] = [];
    for (const c of parsed.data!.claims) {
      if (c.test.kind !== 'consistency') continue;
      try {
        checkConsistency(c.test.expr, c.test.vars);
      } catch (e) {
        failures.push(`${c.id}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('has predicates that give true or false on a per-layer list', () => {
    const layers = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    for (const c of parsed.data!.claims) {
      if (c.test.kind !== 'predicate') continue;
      expect(typeof math.evaluate(c.test.expr, { x: layers }), c.id).toBe('boolean');
    }
  });

  it('gives every value claim a paper number the engine can parse', () => {
    for (const c of parsed.data!.claims) {
      if (c.test.kind === 'value') expect(Number.isFinite(Number(c.test.paper.replace(/[,%]/g, ''))), c.id).toBe(true);
    }
  });
});

describe('consistency verdicts on the papers\' own arithmetic', () => {
  // A few checks whose outcome follows from hand arithmetic; they pin the expressions' meaning.
  const verdict = (spec: unknown, id: string) => {
    const c = PaperSpec.parse(spec).claims.find((x) => x.id === id)!;
    if (c.test.kind !== 'consistency') throw new Error(`${id} is not a consistency claim`);
    return checkConsistency(c.test.expr, c.test.vars).holds;
  };

  it('ppl = exp(loss) holds for CT+SFT (exp(4.41) = 82.3 within rounding of 82.0)', () => {
    expect(verdict(p54, 'c-t1.1-ctsft-ppl-exp-loss')).toBe(true);
  });

  it('V norm at layer 7 (13.04) below layer 6 (13.70) contradicts "grows monotonically"', () => {
    expect(verdict(p54, 'c-inv2-v-monotonic')).toBe(false);
  });

  it('32 eigenvectors x 256 dims = 8,192, not 8,448', () => {
    expect(verdict(weightFromPr, 'c-basis-params')).toBe(false);
  });

  it('10,393,152 / (10,393,152 + 1,484,736) = 87.5%', () => {
    expect(verdict(weightFromPr, 'c-derivable-87.5')).toBe(true);
  });
});
