import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSpec, loadSpecs, selectPapers, type LoadedSpec } from '../../src/claims/load.js';
import { z } from 'zod';
import type { AnalysisDef } from '../../src/analyses/types.js';
import { integer, noParams, oneOf } from '../../src/analyses/params.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import { UserError } from '../../src/core/errors.js';

const analyses = new Map<string, AnalysisDef>([
  ['corpus-summary', { name: 'corpus-summary', description: 'd', outputs: { uniqueTokens: 'n' }, params: noParams }],
  [
    'spectrum',
    {
      name: 'spectrum',
      description: 'd',
      outputs: { values: 'array' },
      params: z.strictObject({ product: oneOf(['QK^T', 'Q^TK']).default('QK^T'), rows: integer(1, 64) }),
    },
  ],
]);

const good = () => ({
  id: 'p1',
  title: 'T',
  file: 'x.txt',
  summary: 's',
  toleranceRule: 'half a unit',
  interpretations: [],
  claims: [
    { id: 'a', quote: 'q', source: { section: '1' }, test: { kind: 'value', paper: '6,047', rule: 'r' }, analysis: { name: 'corpus-summary', output: 'uniqueTokens' } },
    { id: 'b', quote: 'q', source: { section: '1' }, test: { kind: 'consistency', expr: 'a == b', vars: { a: '1', b: '1.0' } } },
  ],
});

/** The good spec with its first claim pointed at `analysis`. */
function withAnalysis(analysis: object) {
  const s = good();
  (s.claims[0] as Record<string, unknown>).analysis = analysis;
  return s;
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('spec validation names the file and the field', () => {
  it('accepts a good spec', () => {
    expect(validateSpec(good(), 'papers/p1.ts', analyses).claims).toHaveLength(2);
  });

  it('a missing field', () => {
    const s = good() as Record<string, unknown>;
    delete s.toleranceRule;
    expect(message(() => validateSpec(s, 'papers/p1.ts', analyses))).toMatch(/papers\/p1\.ts[\s\S]*toleranceRule/);
  });

  it('a malformed number, with the claim id', () => {
    const s = good();
    (s.claims[0].test as { paper: string }).paper = 'about six thousand';
    expect(message(() => validateSpec(s, 'papers/p1.ts', analyses))).toMatch(/claims\[0\]\(a\)\.test\.paper/);
  });

  it('an unknown analysis and an unknown output', () => {
    const s = good();
    s.claims[0].analysis = { name: 'no-such-analysis', output: 'x' };
    expect(message(() => validateSpec(s, 'papers/p1.ts', analyses))).toMatch(/claims\[0\]\(a\)\.analysis\.name: unknown analysis "no-such-analysis"/);
    s.claims[0].analysis = { name: 'corpus-summary', output: 'x' };
    expect(message(() => validateSpec(s, 'papers/p1.ts', analyses))).toMatch(/has no output "x"/);
  });

  it('a misspelled param, with the params the analysis knows', () => {
    expect(message(() => validateSpec(withAnalysis({ name: 'spectrum', output: 'values', params: { prodcut: 'Q^TK', rows: 8 } }), 'papers/p1.ts', analyses))).toBe(
      'paper spec papers/p1.ts is invalid:\n  claims[0](a).analysis.params.prodcut: unknown param (known: product, rows)',
    );
    // an analysis that takes no params takes none
    const none = withAnalysis({ name: 'corpus-summary', output: 'uniqueTokens', params: { rows: 8 } });
    expect(message(() => validateSpec(none, 'papers/p1.ts', analyses))).toMatch(/claims\[0\]\(a\)\.analysis\.params\.rows: unknown param \(it takes no params\)/);
  });

  it('an out-of-range or missing number and a choice not offered, each named', () => {
    const text = message(() => validateSpec(withAnalysis({ name: 'spectrum', output: 'values', params: { product: 'QK', rows: 65 } }), 'papers/p1.ts', analyses));
    expect(text).toMatch(/claims\[0\]\(a\)\.analysis\.params\.product must be one of QK\^T, Q\^TK, got "QK"/);
    expect(text).toMatch(/claims\[0\]\(a\)\.analysis\.params\.rows must be an integer from 1 to 64, got 65/);
    const fraction = withAnalysis({ name: 'spectrum', output: 'values', params: { rows: 2.5 } });
    expect(message(() => validateSpec(fraction, 'papers/p1.ts', analyses))).toMatch(/params\.rows must be an integer from 1 to 64, got 2\.5/);
    const missing = withAnalysis({ name: 'spectrum', output: 'values' });
    expect(message(() => validateSpec(missing, 'papers/p1.ts', analyses))).toMatch(/claims\[0\]\(a\)\.analysis\.params\.rows is required: an integer from 1 to 64/);
  });

  it("a series figure's params, with the figure id", () => {
    const s = { ...good(), figures: [{ id: 'fig', kind: 'series', title: 't', xLabel: 'x', yLabel: 'y', analysis: { name: 'spectrum', output: 'values', params: { rows: 0 } } }] };
    expect(message(() => validateSpec(s, 'papers/p1.ts', analyses))).toMatch(/figures\[0\]\(fig\)\.analysis\.params\.rows must be an integer from 1 to 64, got 0/);
  });

  it('leaves the params as the spec wrote them: defaults are not filled in', () => {
    const s = withAnalysis({ name: 'spectrum', output: 'values', params: { rows: 8 } });
    expect(validateSpec(s, 'papers/p1.ts', analyses).claims[0].analysis!.params).toEqual({ rows: 8 });
  });

  it('a duplicate claim id', () => {
    const s = good();
    s.claims[1].id = 'a';
    expect(message(() => validateSpec(s, 'papers/p1.ts', analyses))).toMatch(/duplicate claim id "a"/);
  });

  it('a spec file that does not load, or has no default export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specs-'));
    writeFileSync(join(dir, 'broken.ts'), 'export const x = ;');
    await expect(loadSpecs(dir, analyses)).rejects.toThrow(/broken\.ts could not be loaded/);
    const dir2 = mkdtempSync(join(tmpdir(), 'specs-'));
    writeFileSync(join(dir2, 'nodefault.ts'), 'export const x = 1;');
    await expect(loadSpecs(dir2, analyses)).rejects.toThrow(/no default export/);
  });
});

describe('the real specs', () => {
  it('all load against the catalog, their analysis params included', async () => {
    const loaded = await loadSpecs(join(import.meta.dirname, '../../papers'), ANALYSES);
    expect(loaded.map((l) => l.file)).toEqual([
      'p54-attention-view.ts',
      'p56-recursive-crystallization.ts',
      'p57-asymmetry-injection.ts',
      'p57b-pr-spreading.ts',
      'weight-from-pr.ts',
    ]);
  });
});

describe('paper selection', () => {
  const loaded = ['p54-attention-view', 'p56-recursive', 'p57-asymmetry', 'p57b-pr'].map(
    (id) => ({ spec: { id }, file: `${id}.ts` }) as unknown as LoadedSpec,
  );
  it('takes exact ids and unique prefixes', () => {
    expect(selectPapers(loaded, ['p54']).map((l) => l.spec.id)).toEqual(['p54-attention-view']);
    expect(selectPapers(loaded, ['p57-asymmetry']).map((l) => l.spec.id)).toEqual(['p57-asymmetry']);
    expect(selectPapers(loaded, []).length).toBe(4);
  });
  it('rejects unknown and ambiguous ids', () => {
    expect(() => selectPapers(loaded, ['p99'])).toThrow(/--paper p99: no such paper/);
    expect(() => selectPapers(loaded, ['p5'])).toThrow(/ambiguous/);
  });
});
