/**
 * Loads and validates paper specs. Everything that can be wrong with a spec is caught here, before
 * any stage runs, with the file and the field named: schema errors (zod), unknown analyses or
 * outputs, params an analysis does not take or values it does not accept (its params schema).
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PaperSpec } from './schema.js';
import { locateClaims } from './spec-lines.js';
import type { AnalysisDef, Params } from '../analyses/types.js';
import { paramProblems } from '../analyses/params.js';
import { UserError } from '../core/errors.js';

export interface LoadedSpec {
  spec: PaperSpec;
  /** the file it came from, for messages */
  file: string;
}

function fieldPath(path: PropertyKey[], spec: unknown): string {
  // "claims[3].test.paper", with the claim's id when there is one, so the reader finds it by search
  let node: unknown = spec;
  let out = '';
  for (const p of path) {
    out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[p] : undefined;
    if (typeof p === 'number' && node && typeof node === 'object' && 'id' in node) out += `(${String((node as { id: unknown }).id)})`;
  }
  return out || '(top level)';
}

export function validateSpec(raw: unknown, file: string, analyses: Map<string, AnalysisDef>): PaperSpec {
  const parsed = PaperSpec.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${fieldPath(i.path, raw)}: ${i.message}`);
    throw new UserError(`paper spec ${file} is invalid:\n${issues.join('\n')}`);
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const checkRef = (where: string, ref: { name: string; output: string; params?: Params }) => {
    const def = analyses.get(ref.name);
    if (!def) {
      problems.push(`  ${where}.name: unknown analysis "${ref.name}" (known: ${[...analyses.keys()].join(', ')})`);
      return;
    }
    if (!(ref.output in def.outputs)) {
      problems.push(`  ${where}.output: analysis "${ref.name}" has no output "${ref.output}" (it has: ${Object.keys(def.outputs).join(', ')})`);
    }
    // checked only: the spec keeps its params as written (the run keys its cache by them)
    for (const problem of paramProblems(def.params, ref.params)) problems.push(`  ${where}.${problem}`);
  };
  spec.claims.forEach((c, i) => {
    if (c.analysis) checkRef(`claims[${i}](${c.id}).analysis`, c.analysis);
  });
  spec.figures.forEach((f, i) => {
    if (f.kind === 'series') checkRef(`figures[${i}](${f.id}).analysis`, f.analysis);
  });
  if (problems.length) throw new UserError(`paper spec ${file} is invalid:\n${problems.join('\n')}`);
  return spec;
}

/** Every *.ts in the papers folder whose default export is a spec. */
export async function loadSpecs(papersDir: string, analyses: Map<string, AnalysisDef>): Promise<LoadedSpec[]> {
  if (!existsSync(papersDir)) throw new UserError(`papers folder ${papersDir}: not found`);
  const files = readdirSync(papersDir).filter((f) => f.endsWith('.ts')).sort();
  const loaded: LoadedSpec[] = [];
  const ids = new Map<string, string>();
  for (const f of files) {
    const file = join(papersDir, f);
    let mod: { default?: unknown };
    try {
      mod = await import(pathToFileURL(resolve(file)).href);
    } catch (e) {
      throw new UserError(`paper spec ${file} could not be loaded: ${(e as Error).message}`);
    }
    if (mod.default === undefined) throw new UserError(`paper spec ${file}: no default export (export default definePaper({...}))`);
    const spec = locateClaims(validateSpec(mod.default, file, analyses), file);
    const other = ids.get(spec.id);
    if (other) throw new UserError(`paper spec ${file}: id "${spec.id}" is already used by ${other}`);
    ids.set(spec.id, file);
    loaded.push({ spec, file: basename(file) });
  }
  if (loaded.length === 0) throw new UserError(`papers folder ${papersDir}: no paper specs (*.ts) found`);
  return loaded;
}

/** Paper ids from --paper: exact ids or unique prefixes. */
export function selectPapers(all: LoadedSpec[], wanted: string[]): LoadedSpec[] {
  if (wanted.length === 0) return all;
  const ids = all.map((l) => l.spec.id);
  return wanted.map((w) => {
    const exact = all.find((l) => l.spec.id === w);
    if (exact) return exact;
    const matches = all.filter((l) => l.spec.id.startsWith(w));
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) throw new UserError(`--paper ${w}: no such paper (known: ${ids.join(', ')})`);
    throw new UserError(`--paper ${w}: ambiguous, matches ${matches.map((m) => m.spec.id).join(', ')}`);
  });
}
