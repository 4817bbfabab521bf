/**
 * The paper's tables, redrawn: claims grouped by the table they come from (claims from running
 * text are grouped per section), and each group written as a CSV with full-precision values.
 */
import type { Output } from '../analyses/types.js';
import type { ClaimResult } from '../claims/types.js';

export interface ClaimTable {
  /** file-name-safe and unique within the paper: `table-2`, `section-3-1` */
  slug: string;
  /** `Table 2` or `Section 3.1 (text)` */
  title: string;
  claims: ClaimResult[];
}

/** Lower-case letters, digits and single dashes. */
export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'untitled' : slug;
}

/** Groups in order of first appearance; claims keep the paper spec's order within a group. */
export function groupClaimsIntoTables(claims: ClaimResult[]): ClaimTable[] {
  const groups = new Map<string, ClaimTable>();
  for (const claim of claims) {
    const { table, section } = claim.source;
    const key = table !== undefined ? `table\u0000${table}` : `section\u0000${section}`;
    let group = groups.get(key);
    if (!group) {
      const title = table !== undefined ? table : `${/^\d/.test(section) ? 'Section ' : ''}${section} (text)`;
      const base = table !== undefined ? slugify(table) : `section-${slugify(section)}`;
      group = { slug: base, title, claims: [] };
      groups.set(key, group);
    }
    group.claims.push(claim);
  }
  // Two titles can slug alike ("Table 2" and "Table 2."): number the later ones.
  const used = new Set<string>();
  for (const group of groups.values()) {
    let slug = group.slug;
    for (let n = 2; used.has(slug); n++) slug = `${group.slug}-${n}`;
    group.slug = slug;
    used.add(slug);
  }
  return [...groups.values()];
}

export const CSV_COLUMNS = [
  'id',
  'section',
  'row',
  'column',
  'paper',
  'regenerated',
  'delta',
  'null_mean',
  'null_sd',
  'verdict',
  'reason',
] as const;

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Full precision, so that the CSV can be re-read without loss: `0.1`, `[1,2.5]`, `` for none. */
function csvOutput(value: Output | null): string {
  if (value === null) return '';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export function tableToCsv(table: ClaimTable): string {
  const rows = table.claims.map((claim) => [
    claim.id,
    claim.source.section,
    claim.source.row ?? '',
    claim.source.column ?? '',
    claim.paperValue,
    csvOutput(claim.regenerated),
    claim.delta === null ? '' : String(claim.delta),
    csvOutput(claim.null?.mean ?? null),
    csvOutput(claim.null?.sd ?? null),
    claim.verdict,
    claim.reason,
  ]);
  return [[...CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
