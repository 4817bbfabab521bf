/**
 * Each claim knows the line of its spec that states it: its literal (`id: '...'`), or the row of
 * the table it was generated from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpecs } from '../../src/claims/load.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import { Claim } from '../../src/claims/schema.js';
import { claimLine, codeLines } from '../../src/claims/spec-lines.js';

/** A spec in miniature: a table with two identical rows, a claim literal and a figure naming a claim. */
const SPEC_TEXT = `
// 'b0-mlp0' in a comment: '0.000378'
const L1 = {
  'b0-mlp0': ['262,144', '0.000378'],
  'b3-mlp0': ['262,144', '0.000378'],
};
const L2 = {
  'b0-mlp0': ['2,427'],
};
const claims = [
  { id: 'gap', quote: 'Gap 2.7%', test: { kind: 'consistency', expr: 'a == b', vars: { a: '0.000378' } } },
];
const figures = [{ id: 'f', claims: ['gap', 'l1-mse.b3-mlp0'] }];
`;

const claim = (id: string, quote: string, test: unknown) => Claim.parse({ id, quote, source: { section: '1' }, test, ...(['value', 'bound', 'range', 'predicate'].includes((test as { kind: string }).kind) ? { analysis: { name: 'a', output: 'x' } } : {}) });
const lineText = (line: number | null) => (line === null ? null : SPEC_TEXT.split('\n')[line - 1].trim());

describe('claimLine', () => {
  const lines = codeLines(SPEC_TEXT);

  it('finds a claim literal by its id, not a figure that names it', () => {
    expect(lineText(claimLine(claim('gap', 'Gap 2.7%', { kind: 'untestable', reason: 'r' }), lines))).toMatch(/^\{ id: 'gap'/);
  });

  it('finds a generated claim by the row key in its id among identical rows', () => {
    const c = claim('l1-mse.b3-mlp0', 'blocks.3.mlp.0 262,144 0.000378', { kind: 'value', paper: '0.000378', rule: 'r' });
    expect(lineText(claimLine(c, lines))).toBe("'b3-mlp0': ['262,144', '0.000378'],");
  });

  it('prefers the row whose cells the quote repeats over another table with the same key', () => {
    const c = claim('l2-params.b0-mlp0', 'blocks.0.mlp.0 2,427x', { kind: 'consistency', expr: 'a / 108 == b', vars: { a: '262,144', b: '2,427' } });
    expect(lineText(claimLine(c, lines))).toBe("'b0-mlp0': ['2,427'],");
  });

  it('gives no line to a claim that shares nothing with the file', () => {
    expect(claimLine(claim('other', 'nothing here', { kind: 'untestable', reason: 'r' }), lines)).toBeNull();
  });
});

describe('the specs in papers/', async () => {
  const specs = await loadSpecs('papers', ANALYSES);

  it('give every claim a line that holds its id or a cell of its table row', () => {
    for (const { spec, file } of specs) {
      const text = readFileSync(`papers/${file}`, 'utf8').split('\n');
      for (const c of spec.claims) {
        expect(c.specLine?.file, c.id).toBe(`papers/${file}`);
        const line = text[c.specLine!.line - 1];
        const numbers = c.test.kind === 'value' || c.test.kind === 'bound' ? [c.test.paper]
          : c.test.kind === 'range' ? [c.test.min, c.test.max]
          : c.test.kind === 'consistency' ? Object.values(c.test.vars).flat() : [];
        // the claim literal, or a row holding one of its printed numbers, or (a claim on a lost or
        // qualitative cell, with no number of its own) a row whose cells its quote repeats
        const literals = [...line.matchAll(/'([^']+)'/g)].map(([, literal]) => literal);
        const statesIt = line.includes(`id: '${c.id}'`)
          || numbers.some((n) => literals.includes(n))
          || (numbers.length === 0 && literals.some((literal) => literal.length >= 3 && c.quote.includes(literal)));
        expect(statesIt, `${file}:${c.specLine!.line} for ${c.id}: ${line.trim()}`).toBe(true);
      }
    }
  });

  it('put a table\'s claims on its rows, not on one line for the whole table', () => {
    const p57 = specs.find((s) => s.spec.id === 'p57-asymmetry-injection')!.spec;
    const rows = p57.claims.filter((c) => c.id.startsWith('spectral-cosine.')).map((c) => c.specLine!.line);
    expect(new Set(rows).size).toBe(8);
  });
});
