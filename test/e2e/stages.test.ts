/**
 * `npm run stages` and `--dry-run`: the graph of a run, read without computing anything. A corpus
 * file of the test's own makes every stage "never run", whatever the project's cache holds, and
 * editing the file in place makes the corpus stage's dependants say that its content changed.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function reproduce(...args: string[]) {
  const r = spawnSync(TSX, ['reproduce.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('the stage graph on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stages-'));
  const corpus = join(dir, 'corpus.txt');
  writeFileSync(corpus, 'a first corpus of words , with some words repeated , and more words .\n'.repeat(400));

  it('--stages lists every stage with its status, why and inputs, and writes nothing', () => {
    const out = join(dir, 'out');
    const r = reproduce('--stages', '--profile', 'ci', '--paper', 'p57b', '--corpus', corpus, '--ep', 'cpu', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^stage\s+status\s+why\s+last run\s+inputs/m);
    expect(r.stdout).toMatch(new RegExp(`^corpus \\(${corpus.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)\\s+in memory`, 'm'));
    expect(r.stdout).toMatch(/^crystallized embeddings\s+will run\s+never run\s+-\s+co-occurrence statistics$/m);
    expect(r.stdout).toMatch(/^train ct-sft\s+will run\s+never run\s+-\s+model config, ct-init, corpus/m);
    expect(r.stdout).toMatch(/^init-variant-losses \{.*\}\s+will run/m);
    expect(r.stdout).toMatch(/\d+ stages: 0 cached, \d+ will run/);
    expect(existsSync(out)).toBe(false);
  });

  it('--dry-run lists only what would run', () => {
    const r = reproduce('--dry-run', '--profile', 'ci', '--paper', 'p57b', '--corpus', corpus, '--ep', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\s+cached\s+/);
    expect(r.stdout).toMatch(/train v1\s+will run/);
  });
});
