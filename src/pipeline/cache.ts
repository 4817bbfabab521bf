/**
 * Content-addressed stage cache (DVC-style): a stage's output is stored under a key that hashes the
 * stage name, its parameters, the keys of its inputs and the source code of the folders it runs.
 * Change any of those and the key changes, so a stale result is never reused; an interrupted run
 * finds every stage it finished and resumes from there. Writes go to a temporary name and are
 * renamed into place, so a killed run never leaves a half-written entry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../core/files.js';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const codeHashes = new Map<string, string>();

/** Hash of every source file under the given src/ folders (e.g. ['corpus', 'linalg']). */
export function codeHash(folders: string[]): string {
  const id = folders.join(',');
  const known = codeHashes.get(id);
  if (known) return known;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) h.update(relative(SRC_ROOT, path)).update(readFileSync(path));
    }
  };
  for (const f of [...folders].sort()) walk(join(SRC_ROOT, f));
  const digest = h.digest('hex').slice(0, 16);
  codeHashes.set(id, digest);
  return digest;
}

export function hashKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

/** Typed arrays travel as raw little-endian files beside a JSON manifest. */
type TypedArray = Float64Array | Int32Array;
const MARK = '__typedArray';

export class StageCache {
  hits = 0;
  misses = 0;
  constructor(readonly dir: string) {}

  private path(stage: string, key: string): string {
    return join(this.dir, `${stage}-${key}`);
  }

  has(stage: string, key: string): boolean {
    return existsSync(`${this.path(stage, key)}.json`);
  }

  async getOrCompute<T>(stage: string, key: string, compute: () => Promise<T>): Promise<T> {
    const base = this.path(stage, key);
    if (existsSync(`${base}.json`)) {
      this.hits++;
      return this.read<T>(base);
    }
    this.misses++;
    const value = await compute();
    mkdirSync(this.dir, { recursive: true });
    this.write(base, value);
    return value;
  }

  private write(base: string, value: unknown): void {
    let n = 0;
    const json = JSON.stringify(value, (_k, v) => {
      if (v instanceof Float64Array || v instanceof Int32Array) {
        const file = `${base}.${n++}.bin`;
        writeFileAtomic(file, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
        return { [MARK]: v instanceof Float64Array ? 'f64' : 'i32', file: file.slice(this.dir.length + 1) };
      }
      if (typeof v === 'number' && !Number.isFinite(v)) return { [MARK]: 'num', value: String(v) };
      return v;
    });
    writeFileAtomic(`${base}.json`, json); // the manifest last: it marks the entry complete
  }

  private read<T>(base: string): T {
    return JSON.parse(readFileSync(`${base}.json`, 'utf8'), (_k, v) => {
      if (v && typeof v === 'object' && MARK in v) {
        if (v[MARK] === 'num') return Number(v.value);
        const buf = readFileSync(join(this.dir, v.file));
        const bytes = new Uint8Array(buf.byteLength);
        bytes.set(buf);
        return (v[MARK] === 'f64' ? new Float64Array(bytes.buffer) : new Int32Array(bytes.buffer)) as TypedArray;
      }
      return v;
    }) as T;
  }
}
