/**
 * The command line as a user meets it: bad input gets one clear message naming the file and
 * field, exit code 2, and no report folder.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function reproduce(...args: string[]) {
  const r = spawnSync(TSX, ['reproduce.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const scratch = () => mkdtempSync(join(tmpdir(), 'cli-'));

describe('command line: bad input', () => {
  it('an unknown option', () => {
    const r = reproduce('--profil', 'ci');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: .*--profil/);
    expect(r.stderr).toContain('usage:');
  });

  it('an unknown profile and an unknown paper', () => {
    expect(reproduce('--profile', 'huge').stderr).toMatch(/unknown profile "huge"/);
    const r = reproduce('--profile', 'ci', '--paper', 'p99');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--paper p99: no such paper/);
  });

  it('a missing, a non-file and an empty corpus leave no report behind', () => {
    const dir = scratch();
    const out = join(dir, 'out');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    for (const [corpus, message] of [
      [join(dir, 'nope.txt'), /not found/],
      [dir, /not a regular file/],
      [empty, /empty/],
    ] as const) {
      const r = reproduce('--profile', 'ci', '--paper', 'p57b', '--corpus', corpus, '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(corpus);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a broken spec names its file and field', () => {
    const dir = scratch();
    const papers = join(dir, 'papers');
    mkdirSync(papers);
    const spec = readFileSync(join(ROOT, 'papers', 'p57b-pr-spreading.ts'), 'utf8')
      .replace("from '../src/", `from '${ROOT}/src/`)
      .replace(/toleranceRule:/, 'toleranceRul:');
    writeFileSync(join(papers, 'broken.ts'), spec);
    const r = reproduce('--profile', 'ci', '--papers', papers, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.ts is invalid/);
    expect(r.stderr).toMatch(/toleranceRul/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('check without a lock says how to write one', () => {
    const r = reproduce('--profile', 'ci', '--check', '--lock', join(scratch(), 'none.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lock file .*none\.json not found.*npm run lock/);
  });
});

