/**
 * Canonical JSON for committed artifacts: the same claims give the same bytes however the claims
 * engine happened to build its objects, so claims.json diffs cleanly between runs.
 */
import type { ClaimResult } from '../claims/types.js';

/**
 * Reading order for the keys whose order carries meaning (a ClaimResult reads top to bottom as in
 * its type declaration). Keys not listed here follow in alphabetical order.
 */
const KEY_ORDER: Record<string, string[]> = {
  claim: [
    'id',
    'paper',
    'quote',
    'source',
    'test',
    'paperValue',
    'regenerated',
    'delta',
    'tolerance',
    'null',
    'verdict',
    'reason',
    'analysis',
    'note',
    'specLine',
  ],
  source: ['section', 'table', 'row', 'column'],
  test: ['kind'],
  null: ['description', 'mean', 'sd', 'passing', 'samples'],
  analysis: ['name', 'output', 'index', 'params'],
  specLine: ['file', 'line'],
};

/** Rebuilds plain objects with their keys in canonical order; arrays keep their order. */
function canonical(value: unknown, role: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, ''));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const preferred = KEY_ORDER[role] ?? [];
  const keys = [
    ...preferred.filter((key) => key in record),
    ...Object.keys(record)
      .filter((key) => !preferred.includes(key))
      .sort(),
  ];
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = canonical(record[key], key);
  return out;
}

/** 2-space indent, canonical key order, trailing newline. */
export function claimsToJson(claims: ClaimResult[]): string {
  return JSON.stringify(claims.map((claim) => canonical(claim, 'claim')), null, 2) + '\n';
}

/**
 * Indented JSON that keeps short things on one line: arrays of numbers or strings, and flat
 * objects inside arrays (data rows). A figure's spec with a 4,000-point series stays a few screens
 * long instead of one number per line.
 */
export function compactJson(value: unknown): string {
  const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';
  const print = (v: unknown, indent: string, inArray: boolean): string => {
    if (isPrimitive(v)) return JSON.stringify(v) ?? 'null';
    const inner = indent + '  ';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (v.every(isPrimitive)) return `[${v.map((item) => print(item, inner, true)).join(', ')}]`;
      return `[\n${v.map((item) => inner + print(item, inner, true)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const flat = entries.every(([, item]) => isPrimitive(item) || (Array.isArray(item) && item.every(isPrimitive)));
    if (inArray && flat) return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${print(item, inner, false)}`).join(', ')}}`;
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${print(item, inner, false)}`).join(',\n')}\n${indent}}`;
  };
  return print(value, '', false) + '\n';
}
