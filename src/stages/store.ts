/**
 * The stage store: one entry per (stage, key) on disk, checksummed, so that a cached result is
 * either exactly what was written or is known to be bad.
 *
 * An entry is `<stage>-<key>.json` plus, for each typed array in the value, a raw little-endian
 * `<stage>-<key>.<n>.bin`. The JSON file's first line is a header holding the SHA-256 of the rest
 * of the file and of each .bin file; the value follows on the second line. Every file is written
 * to a temporary name and renamed into place, the JSON last, so a killed run never leaves an
 * entry that looks complete. A read that finds a checksum mismatch, a truncated file or a missing
 * .bin reports it in one line naming the file, removes the entry and returns "absent", so the
 * stage is computed again instead of failing every later run.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/files.js';
import { sha256 } from './hash.js';

type TypedArray = Float64Array | Int32Array;
const MARK = '__typedArray';
const FORMAT = 'stage-store/1';

interface Header {
  format: string;
  /** SHA-256 of the value line */
  sha256: string;
  bins: { file: string; sha256: string; bytes: number }[];
}

export class StageStore {
  /** one line per corrupt entry found (also written to the log) */
  readonly repaired: string[] = [];
  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  private base(stage: string, key: string): string {
    return join(this.dir, `${stage}-${key}`);
  }

  /** The entry's manifest path (whether or not it exists). */
  entryPath(stage: string, key: string): string {
    return `${this.base(stage, key)}.json`;
  }

  has(stage: string, key: string): boolean {
    return existsSync(this.entryPath(stage, key));
  }

  /** The stored value, or undefined when there is none or it was corrupt (then it is removed). */
  read<T>(stage: string, key: string): T | undefined {
    const path = this.entryPath(stage, key);
    if (!existsSync(path)) return undefined;
    try {
      return this.decode<T>(path);
    } catch (e) {
      const line = `cache: ${path} is corrupt (${(e as Error).message}); removed, computing it again`;
      this.repaired.push(line);
      this.log(line);
      this.remove(stage, key);
      return undefined;
    }
  }

  write(stage: string, key: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true });
    const base = this.base(stage, key);
    const bins: Header['bins'] = [];
    const body = JSON.stringify(value, (_k, v) => {
      if (v instanceof Float64Array || v instanceof Int32Array) {
        const file = `${stage}-${key}.${bins.length}.bin`;
        const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        writeFileAtomic(join(this.dir, file), bytes);
        bins.push({ file, sha256: sha256(bytes), bytes: bytes.byteLength });
        return { [MARK]: v instanceof Float64Array ? 'f64' : 'i32', file };
      }
      if (typeof v === 'number' && !Number.isFinite(v)) return { [MARK]: 'num', value: String(v) };
      return v;
    });
    const header: Header = { format: FORMAT, sha256: sha256(body), bins };
    writeFileAtomic(`${base}.json`, `${JSON.stringify(header)}\n${body}`); // last: it marks the entry complete
  }

  /** Removes an entry and its .bin files. */
  remove(stage: string, key: string): void {
    const base = this.base(stage, key);
    rmSync(`${base}.json`, { force: true });
    for (let n = 0; existsSync(`${base}.${n}.bin`); n++) rmSync(`${base}.${n}.bin`, { force: true });
  }

  private decode<T>(path: string): T {
    const text = readFileSync(path, 'utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) throw new Error('no header line');
    let header: Header;
    try {
      header = JSON.parse(text.slice(0, newline)) as Header;
    } catch {
      throw new Error('unreadable header');
    }
    if (header.format !== FORMAT) throw new Error(`unknown format ${String(header.format)}`);
    const body = text.slice(newline + 1);
    if (sha256(body) !== header.sha256) throw new Error('checksum mismatch');
    const arrays = new Map<string, Uint8Array>();
    for (const bin of header.bins) {
      const binPath = join(this.dir, bin.file);
      if (!existsSync(binPath)) throw new Error(`${bin.file} is missing`);
      const bytes = readFileSync(binPath);
      if (bytes.byteLength !== bin.bytes || sha256(bytes) !== bin.sha256) throw new Error(`${bin.file}: checksum mismatch`);
      const copy = new Uint8Array(bytes.byteLength); // aligned, owned memory for the typed array
      copy.set(bytes);
      arrays.set(bin.file, copy);
    }
    return JSON.parse(body, (_k, v) => {
      if (v && typeof v === 'object' && MARK in v) {
        if (v[MARK] === 'num') return Number(v.value);
        const bytes = arrays.get(v.file)!;
        return (v[MARK] === 'f64' ? new Float64Array(bytes.buffer) : new Int32Array(bytes.buffer)) as TypedArray;
      }
      return v;
    }) as T;
  }
}
