import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSpec, loadSpecs, selectPapers, type LoadedSpec } from '../../src/claims/load.js';
import type { AnalysisDef } from '../../src/analyses/types.js';
import { UserError } from '../../src/core/errors.js';

const analyses = new Map<string, AnalysisDef>([
  ['corpus-summary', { name: 'corpus-summary', description: 'd', outputs: { uniqueTokens: 'n' } }],
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
