import { describe, expect, it } from 'vitest';
import { formatNullSummary, formatNumber, formatOutput, formatWhere, parsePaperNumber } from '../../src/report/format.js';
import { csvField, groupClaimsIntoTables } from '../../src/report/tables.js';
import { escapeMarkdown } from '../../src/report/markdown.js';
import { siteTarget } from '../../src/report/site.js';
import { claims } from './fixture.js';

describe('formatNumber', () => {
  it('shows at most 4 significant digits without trailing zeros', () => {
    expect(formatNumber(0.70710678)).toBe('0.7071');
    expect(formatNumber(2.003)).toBe('2.003');
    expect(formatNumber(31.7)).toBe('31.7');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0.5)).toBe('−0.5');
  });
  it('prints whole numbers in full and tiny or huge ones in e-notation', () => {
    expect(formatNumber(15007)).toBe('15,007');
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(1.23456e-7)).toBe('1.235e−7');
    expect(formatNumber(2.5e20)).toBe('2.5e20');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });
  it('shortens long arrays and names their length', () => {
    expect(formatOutput([2, 2, 2, 2, 2, 2, 2, 2])).toBe('[2, 2, 2, … ×8]');
    expect(formatOutput([1, 2.5])).toBe('[1, 2.5]');
  });
});

describe('table helpers', () => {
  it('summarizes a null control with its passing count', () => {
    expect(formatNullSummary(claims[0].null)).toBe('5.1 ± 0.36 (0/3 pass)');
    expect(formatNullSummary(claims[2].null)).toBe('[0.002, 0.0013, 0.002, … ×8] ± up to 0.0008 (3/3 pass)');
  });
  it('says where a claim stands', () => {
    expect(formatWhere({ section: '3.1', row: 'Layer 0', column: 'PR' })).toBe('§3.1 · row\u00a0Layer\u00a00 · col\u00a0PR');
  });
  it('reads percentages as fractions', () => {
    expect(parsePaperNumber('70.7%')).toBeCloseTo(0.707, 12);
    expect(parsePaperNumber('−15,007')).toBe(-15007);
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
  });
});
