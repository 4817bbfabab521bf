/**
 * The source a stage runs, followed through imports: a stage's key includes the hash of every
 * file its declaring module imports (transitively), so editing one analysis recomputes that
 * analysis and nothing else, and no folder list can go stale.
 *
 * Followed: `import ... from`, `export ... from`, side-effect imports, dynamic `import('...')`, CommonJS `require('...')` and
 * `new URL('...', import.meta.url)` (worker scripts). Not followed: `import type` and
 * `export type`, which cannot change what runs. A bare specifier (a package) counts by its name
 * and installed version; `node:` built-ins not at all. Nor does this engine (src/stages): how
 * stages are keyed and stored does not change what a stage computes, and the store's entries
 * carry their own format version.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './hash.js';

/** The project root: src/stages/../.. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENGINE_DIR = dirname(fileURLToPath(import.meta.url));

export interface SourceHash {
  /** one hash of everything below */
  digest: string;
  /** file (relative to the project root) or package@version -> its content hash (12 hex digits) */
  files: Record<string, string>;
}

const IMPORT_FROM = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?[^;=()'"]*?\bfrom\s+['"]([^'"]+)['"]/g;
const BARE_IMPORT = /(?:^|[\n;])\s*import\s+['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const REQUIRE = /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
const URL_REFERENCE = /new\s+URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;

/** The specifiers a source file's code (not its types) depends on. */
export function importedSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
  const found: string[] = [];
  for (const m of code.matchAll(IMPORT_FROM)) if (!m[2]) found.push(m[3]);
  for (const re of [BARE_IMPORT, DYNAMIC_IMPORT, REQUIRE, URL_REFERENCE]) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

function resolveLocal(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function packageVersion(fromFile: string, specifier: string): string {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  try {
    const require = createRequire(fromFile);
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string };
    return `${name}@${pkg.version ?? 'unknown'}`;
  } catch {
    return `${name}@unresolved`; // a package that hides its package.json still counts by name
  }
}

const closures = new Map<string, SourceHash>();

/** Forget the hashes computed so far (they are kept for the life of the process; tests edit files). */
export function forgetSourceHashes(): void {
  closures.clear();
}

/** The source hash of a module (a file path or an import.meta.url) and everything it imports. */
export function sourceHash(module: string): SourceHash {
  const root = module.startsWith('file:') ? fileURLToPath(module) : resolve(module);
  const known = closures.get(root);
  if (known) return known;
  const files: Record<string, string> = {};
  const pending = [root];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file);
    files[relative(PROJECT_ROOT, file)] = sha256(text).slice(0, 12);
    if (!/\.(ts|js|cjs|mjs)$/.test(file)) continue;
    for (const spec of importedSpecifiers(text.toString('utf8'))) {
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = resolveLocal(file, spec);
        if (target && dirname(target) === ENGINE_DIR) continue;
        if (target) pending.push(target);
        else throw new Error(`source hash: ${relative(PROJECT_ROOT, file)} imports ${spec}, which was not found`);
      } else {
        const pkg = packageVersion(file, spec);
        files[pkg] = pkg;
      }
    }
  }
  const sorted = Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]]));
  const result = { digest: sha256(JSON.stringify(sorted)).slice(0, 16), files: sorted };
  closures.set(root, result);
  return result;
}
