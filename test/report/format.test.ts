import { describe, expect, it } from 'vitest';
import { formatDeltaCell, formatNullSummary, formatWhere } from '../../src/report/format.js';
import { csvField, groupClaimsIntoTables } from '../../src/report/tables.js';
import { escapeMarkdown } from '../../src/report/markdown.js';
import { siteTarget } from '../../src/report/site.js';
import { claims } from './fixture.js';

describe('table helpers', () => {
  it('summarizes a null control with its passing count', () => {
    expect(formatNullSummary(claims[0].null)).toBe('5.1 ± 0.36 (0/3 pass)');
    expect(formatNullSummary(claims[2].null)).toBe('[0.002, 0.0013, 0.002, … ×8] ± up to 0.0008 (3/3 pass)');
  });
  it('says where a claim stands', () => {
    expect(formatWhere({ section: '3.1', row: 'Layer 0', column: 'PR' })).toBe('§3.1 · row\u00a0Layer\u00a00 · col\u00a0PR');
  });
  it('writes the delta cell with the same tolerance wording as the claim reasons', () => {
    expect(formatDeltaCell({ ...claims[0], delta: -0.54791, tolerance: 0.005 })).toBe('−0.5479 (tol\u00a0±0.005)');
    expect(formatDeltaCell({ ...claims[0], delta: null, tolerance: null })).toBe('—');
  });
  it('groups claims by table, then by section, in order of appearance', () => {
    const tables = groupClaimsIntoTables(claims);
    expect(tables.map((t) => [t.slug, t.claims.length])).toEqual([
      ['table-1', 4],
      ['table-2', 3],
      ['section-5-2', 2],
    ]);
  });
  it('quotes CSV fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
  it('escapes Markdown punctuation in quoted text', () => {
    expect(escapeMarkdown('a|b *c* _d_ <e> $f$\nnext')).toBe('a\\|b \\*c\\* \\_d\\_ \\<e\\> \\$f\\$ next');
  });
  it('maps report links into the site', () => {
    expect(siteTarget('p/report.md', '../index.md')).toBe('site/index.html');
    expect(siteTarget('index.md', 'p/report.md')).toBe('site/p.html');
    expect(siteTarget('p/report.md', 'figures/a.svg')).toBe('site/p/figures/a.svg');
    expect(siteTarget('p/report.md', 'https://example.org')).toBeNull();
    // a claim's spec line, outside outDir: still relative to outDir, never folded into site/
    expect(siteTarget('p/report.md', '../../../papers/a.ts#L3')).toBe('../../papers/a.ts#L3');
  });
});
